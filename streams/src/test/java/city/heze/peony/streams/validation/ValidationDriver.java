package city.heze.peony.streams.validation;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.QualityReport;
import city.heze.peony.avro.Rejection;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import city.heze.peony.streams.topology.TopologyFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;

/**
 * The validation topology on a {@link TopologyFixture}, with the wall clock starting at 10:00 in
 * Heze on 2025-06-15 (also the rules' "today"), and the topics a test pipes into and reads.
 */
final class ValidationDriver extends TopologyFixture {
    /** 10:00 in Heze (02:00 UTC), 2025-06-15: the wall clock at start and the rules' "today". */
    static final Instant START = Instant.parse("2025-06-15T02:00:00Z");

    static final Duration PARTIALS_INTERVAL = Duration.ofSeconds(1);
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(10);

    final ValidationContext context;
    final TestInputTopic<String, CatalogEntry> catalog;
    final TestOutputTopic<byte[], Rejection> rejected;
    final TestOutputTopic<String, QualityReport> quality;
    private final PeonyAvroSerializer recordSerializer;

    ValidationDriver(Path stateDir) {
        this(stateDir, newRegistryName("validation"), null);
    }

    /**
     * @param registryName the in-process registry the test writes schemas to
     * @param registryUrlOverride how the topology reaches it instead of {@code local://NAME} (an HTTP
     *     server in front of it), or null
     */
    ValidationDriver(Path stateDir, String registryName, String registryUrlOverride) {
        super(registryName);
        recordSerializer = new PeonyAvroSerializer(schemaRegistry, Map.of("schema.registry.url", registryUrl), false);
        Properties client = clientProperties(registryUrlOverride);
        Map<String, Object> topologyConfigs = new HashMap<>();
        client.forEach((k, v) -> topologyConfigs.put(k.toString(), v));
        context = ValidationContext.of(ValidationTopology.Settings.of(topologyConfigs, meterRegistry)
                .withClock(Clock.fixed(START, ZoneOffset.UTC))
                .withIntervals(PARTIALS_INTERVAL, REPORT_INTERVAL));
        Properties props =
                ValidationTopology.streamsProperties(client, "validation-test", StreamsConfig.AT_LEAST_ONCE, stateDir);
        start(ValidationTopology.build(context, props), props, START);
        catalog = input(topics.catalog);
        rejected = driver().createOutputTopic(
                        topics.rejected.name(),
                        new ByteArrayDeserializer(),
                        topics.rejected.valueSerde().deserializer());
        quality = output(topics.quality);
    }

    /** Registers the catalog's schema under {@code raw.<id>-value} and publishes the entry. */
    void register(CatalogEntry entry) {
        schemaRegistry.register(Topics.raw(entry.getId()) + "-value", entry.getSchema$());
        catalog.pipeInput(entry.getId(), entry);
    }

    TestInputTopic<byte[], byte[]> raw(String catalogId) {
        return driver().createInputTopic(
                        Topics.RAW_PREFIX + catalogId,
                        new ByteArraySerializer(),
                        new ByteArraySerializer(),
                        START,
                        Duration.ZERO);
    }

    TestOutputTopic<byte[], byte[]> shared(String catalogId) {
        return driver().createOutputTopic(
                        Topics.SHARED_PREFIX + catalogId, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The record in Confluent's wire format, as a department's publisher writes it to {@code topic}. */
    byte[] bytes(String topic, Object record) {
        return recordSerializer.serialize(topic, record);
    }

    byte[] rawBytes(String catalogId, Object record) {
        return bytes(Topics.RAW_PREFIX + catalogId, record);
    }

    byte[] key(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Lets the validation tasks send their partials, then the aggregator report. */
    void report() {
        advance(PARTIALS_INTERVAL);
        advance(REPORT_INTERVAL);
    }

    @Override
    protected void closeContext() {
        context.close();
    }
}
