package city.heze.peony.streams.opendata;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.OpenQualifiedRate;
import city.heze.peony.avro.OpenWithheld;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.serde.PeonyAvroDeserializer;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import city.heze.peony.streams.topology.TopologyFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;

/** The open-data topology on a {@link TopologyFixture}: one per test. */
final class OpenDataDriver extends TopologyFixture {
    /** 10:00 in Heze on 2025-06-15. */
    static final Instant START = Instant.parse("2025-06-15T02:00:00Z");

    static final Duration RATE_INTERVAL = Duration.ofSeconds(1);

    final OpenDataContext context;
    final TestInputTopic<String, CatalogEntry> catalog;
    final TestOutputTopic<String, OpenWithheld> withheld;
    final TestOutputTopic<String, OpenQualifiedRate> rates;
    private final PeonyAvroSerializer recordSerializer;
    private final PeonyAvroDeserializer recordDeserializer;
    private final Map<String, TestInputTopic<byte[], byte[]>> shared = new HashMap<>();

    OpenDataDriver(Path stateDir) {
        super(newRegistryName("open-data"));
        Map<String, Object> serdeConfigs = Map.of("schema.registry.url", registryUrl);
        recordSerializer = new PeonyAvroSerializer(schemaRegistry, serdeConfigs, false);
        recordDeserializer = new PeonyAvroDeserializer(schemaRegistry, serdeConfigs, false);
        Properties client = clientProperties(null);
        context = OpenDataContext.of(new OpenDataContext.Settings(serdeConfigs, meterRegistry, RATE_INTERVAL));
        Properties props =
                OpenDataTopology.streamsProperties(client, "open-data-test", StreamsConfig.AT_LEAST_ONCE, stateDir);
        start(OpenDataTopology.build(context, props), props, START);
        catalog = input(topics.catalog);
        withheld = output(topics.openWithheld);
        rates = output(topics.openRates);
    }

    /** Registers the catalog's schema under {@code raw.<id>-value}, as the registrar does, and publishes the entry. */
    void register(CatalogEntry entry) {
        schemaRegistry.register(Topics.rawValueSubject(entry.getId()), entry.getSchema$());
        catalog.pipeInput(entry.getId(), entry);
    }

    /** A record on {@code shared.<catalog>}, bytes as validation passed them on, at {@code timestamp}. */
    void share(String catalogId, String key, GenericRecord record, Instant timestamp) {
        shared.computeIfAbsent(
                        catalogId,
                        id -> driver().createInputTopic(
                                        Topics.shared(id), new ByteArraySerializer(), new ByteArraySerializer()))
                .pipeInput(
                        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                        recordSerializer.serialize(Topics.raw(catalogId), record),
                        timestamp);
    }

    void shareBytes(String catalogId, byte[] value, Instant timestamp) {
        shared.computeIfAbsent(
                        catalogId,
                        id -> driver().createInputTopic(
                                        Topics.shared(id), new ByteArraySerializer(), new ByteArraySerializer()))
                .pipeInput(null, value, timestamp);
    }

    TestOutputTopic<byte[], byte[]> open(String catalogId) {
        return driver().createOutputTopic(
                        Topics.open(catalogId), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** An open record read with the schema it was written with (the one registered under open.<id>-value). */
    GenericRecord decode(String catalogId, byte[] value) {
        return (GenericRecord) recordDeserializer.deserialize(Topics.open(catalogId), value);
    }

    /** Lets the rate punctuator run. */
    void emitRates() {
        advance(RATE_INTERVAL);
    }

    @Override
    protected void closeContext() {
        recordSerializer.close();
        recordDeserializer.close();
        context.close();
    }
}
