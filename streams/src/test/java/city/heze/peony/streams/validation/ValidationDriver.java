package city.heze.peony.streams.validation;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.QualityReport;
import city.heze.peony.avro.Rejection;
import city.heze.peony.registry.InProcessSchemaRegistryClient;
import city.heze.peony.registry.LocalSchemaRegistries;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import city.heze.peony.schemas.serde.SpecificAvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The validation topology in a {@code TopologyTestDriver}, with an in-process registry ({@code
 * local://NAME}, the real registry logic) private to the test, a wall clock starting at 10:00 in
 * Heze on 2025-06-15, and the topics a test pipes into and reads.
 */
final class ValidationDriver implements AutoCloseable {
    /** 10:00 in Heze (02:00 UTC), 2025-06-15: the wall clock at start and the rules' "today". */
    static final Instant START = Instant.parse("2025-06-15T02:00:00Z");

    static final Duration PARTIALS_INTERVAL = Duration.ofSeconds(1);
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(10);

    final String registryName;
    final String registryUrl;
    final InProcessSchemaRegistryClient registry;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final ValidationTopology topology;
    final TopologyTestDriver driver;
    final TestInputTopic<String, CatalogEntry> catalog;
    final TestOutputTopic<byte[], Rejection> rejected;
    final TestOutputTopic<String, QualityReport> quality;
    private final PeonyAvroSerializer recordSerializer;
    private final SpecificAvroSerde<CatalogEntry> catalogSerde = new SpecificAvroSerde<>(CatalogEntry.class);
    private final SpecificAvroSerde<Rejection> rejectionSerde = new SpecificAvroSerde<>(Rejection.class);
    private final SpecificAvroSerde<QualityReport> qualitySerde = new SpecificAvroSerde<>(QualityReport.class);

    ValidationDriver(Path stateDir) {
        this(stateDir, "validation-" + UUID.randomUUID(), null);
    }

    /**
     * @param registryName the in-process registry the test writes schemas to
     * @param registryUrlOverride how the topology reaches it instead of {@code local://NAME} (an HTTP
     *     server in front of it), or null
     */
    ValidationDriver(Path stateDir, String registryName, String registryUrlOverride) {
        this.registryName = registryName;
        this.registryUrl = "local://" + registryName;
        this.registry = LocalSchemaRegistries.client(registryName);
        Map<String, Object> serdeConfigs = Map.of("schema.registry.url", registryUrl);
        catalogSerde.configure(serdeConfigs, false);
        rejectionSerde.configure(serdeConfigs, false);
        qualitySerde.configure(serdeConfigs, false);
        recordSerializer = new PeonyAvroSerializer(registry, serdeConfigs, false);

        Properties client = new Properties();
        client.put("bootstrap.servers", "127.0.0.1:9");
        client.put("schema.registry.url", registryUrlOverride != null ? registryUrlOverride : registryUrl);
        client.put("max.retries", "0");
        Map<String, Object> topologyConfigs = new HashMap<>();
        client.forEach((k, v) -> topologyConfigs.put(k.toString(), v));
        topology = new ValidationTopology(ValidationTopology.Settings.of(topologyConfigs, meters)
                .withClock(Clock.fixed(START, ZoneOffset.UTC))
                .withIntervals(PARTIALS_INTERVAL, REPORT_INTERVAL));
        Properties props =
                ValidationTopology.streamsProperties(client, "validation-test", StreamsConfig.AT_LEAST_ONCE, stateDir);
        driver = new TopologyTestDriver(topology.build(props), props, START);
        catalog = driver.createInputTopic(Topics.CATALOG.name(), new StringSerializer(), catalogSerde.serializer());
        rejected = driver.createOutputTopic(
                Topics.REJECTED.name(), new ByteArrayDeserializer(), rejectionSerde.deserializer());
        quality =
                driver.createOutputTopic(Topics.QUALITY.name(), new StringDeserializer(), qualitySerde.deserializer());
    }

    /** Registers the catalog's schema under {@code raw.<id>-value} and publishes the entry. */
    void register(CatalogEntry entry) {
        registry.register(Topics.raw(entry.getId()) + "-value", entry.getSchema$());
        catalog.pipeInput(entry.getId(), entry);
    }

    TestInputTopic<byte[], byte[]> raw(String catalogId) {
        return driver.createInputTopic(
                Topics.RAW_PREFIX + catalogId,
                new ByteArraySerializer(),
                new ByteArraySerializer(),
                START,
                Duration.ZERO);
    }

    TestOutputTopic<byte[], byte[]> shared(String catalogId) {
        return driver.createOutputTopic(
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
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    /** Lets the validation tasks send their partials, then the aggregator report. */
    void report() {
        advance(PARTIALS_INTERVAL);
        advance(REPORT_INTERVAL);
    }

    double counter(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    double gauge(String name, String... tags) {
        var gauge = meters.find(name).tags(tags).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    @Override
    public void close() {
        driver.close();
        topology.close();
        LocalSchemaRegistries.drop(registryName);
    }
}
