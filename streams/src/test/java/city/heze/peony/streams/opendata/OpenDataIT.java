package city.heze.peony.streams.opendata;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.OpenQualifiedRate;
import city.heze.peony.avro.OpenWithheld;
import city.heze.peony.avro.common.OpenField;
import city.heze.peony.avro.common.OpenTreatment;
import city.heze.peony.avro.common.OpenType;
import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.PeonyTopic;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.serde.PeonyAvroDeserializer;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import city.heze.peony.streams.PeonyStreamsConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open data against a real broker and registry, exactly-once, with a known answer across a catalog
 * change: 300 records of version 1 (a third planted with a resident ID, mobile or card number), then
 * version 2 of the catalog (a field added and opened, the phone no longer opened) and 100 clean
 * records of it. Exactly the clean records are opened, each planted one withheld, an independent
 * scan of the whole open topic finds nothing personal, and the month's rate is opened / due.
 */
class OpenDataIT {
    static final Duration WAIT = Duration.ofMinutes(2); // a loaded 2-core machine

    @TempDir
    static Path dataDir;

    static EmbeddedKafkaBroker broker;
    static EmbeddedSchemaRegistry registry;
    static Properties client;
    static PeonySerdes serdes;
    static city.heze.peony.schemas.registry.SchemaRegistryClient registryClient;

    @BeforeAll
    static void startCluster() throws Exception {
        // Catalog entries are built before any serde is loaded: trust Peony's generated classes first.
        city.heze.peony.schemas.serde.AvroGeneratedClasses.trust();
        broker = EmbeddedKafkaBroker.create(dataDir.resolve("kafka"), 0).start();
        registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, Topics.SCHEMAS.name());
        client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        client.put("schema.registry.url", registry.url());
        serdes = new PeonySerdes(Map.of("schema.registry.url", registry.url()));
        registryClient = city.heze.peony.schemas.registry.SchemaRegistryClients.fromConfig(
                Map.of("schema.registry.url", registry.url()));
        try (Admin admin = Admin.create(client)) {
            List<NewTopic> topics = new ArrayList<>();
            for (PeonyTopic t : List.of(Topics.CATALOG, Topics.OPEN_WITHHELD, Topics.OPEN_RATES)) {
                topics.add(new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs()));
            }
            topics.add(new NewTopic(Topics.shared(OpenFixtures.CATALOG), 3, (short) 1));
            topics.add(new NewTopic(Topics.open(OpenFixtures.CATALOG), 3, (short) 1));
            admin.createTopics(topics).all().get();
        }
    }

    @AfterAll
    static void stopCluster() {
        if (registryClient != null) {
            registryClient.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void opensExactlyTheCleanRecordsAcrossACatalogChange() throws Exception {
        Instant now = Instant.now();
        Random random = new Random(16);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        publish(OpenFixtures.entry(now.minusSeconds(60)));
        int planted = 0;
        List<GenericRecord> v1 = new ArrayList<>();
        for (int n = 0; n < 300; n++) {
            GenericRecord record = OpenFixtures.record(n);
            if (n % 3 == 0) {
                String secret = switch (random.nextInt(3)) {
                    case 0 -> OpenFixtures.residentId(random);
                    case 1 -> OpenFixtures.mobile(random);
                    default -> OpenFixtures.bankCard(random);
                };
                record.put("notes", OpenFixtures.embed(record.get("notes").toString(), secret, random));
                planted++;
            }
            v1.add(record);
        }
        share(v1, now);

        OpenDataApp app = OpenDataApp.start(
                client,
                "open-data-it",
                PeonyStreamsConfig.DEFAULT_GUARANTEE,
                dataDir.resolve("state"),
                new OpenDataContext.Settings(
                        Map.of("schema.registry.url", registry.url()), meters, Duration.ofSeconds(1)));
        try {
            assertThat(app.awaitRunning(WAIT)).isTrue();
            List<GenericRecord> opened = readOpen(200);
            assertThat(opened).hasSize(200);
            assertThat(opened)
                    .allSatisfy(r -> assertThat(r.get("phone").toString()).matches("138\\*{4}5678"));

            // Version 2: serviceHall added and opened, the phone no longer opened.
            Schema schemaV2 = OpenDataTopologyTest.addField(OpenFixtures.SCHEMA, "serviceHall");
            List<OpenField> fields = new ArrayList<>();
            for (OpenField f : OpenFixtures.openFields()) {
                fields.add(f.getField().equals("phone") ? new OpenField("phone", OpenTreatment.DROP, Map.of()) : f);
            }
            fields.add(new OpenField("serviceHall", OpenTreatment.KEEP, Map.of()));
            publish(OpenFixtures.entry(
                    OpenFixtures.CATALOG, OpenType.OPEN, schemaV2, fields, List.of("recordId"), now));
            awaitCatalogVersion(app, schemaV2);
            List<GenericRecord> v2 = new ArrayList<>();
            for (int n = 300; n < 400; n++) {
                GenericData.Record record = new GenericData.Record(schemaV2);
                GenericRecord old = OpenFixtures.record(n);
                for (Schema.Field f : OpenFixtures.SCHEMA.getFields()) {
                    record.put(f.name(), old.get(f.name()));
                }
                record.put("serviceHall", "牡丹区便民服务中心");
                v2.add(record);
            }
            share(v2, now);

            List<GenericRecord> all = readOpen(300);
            assertThat(all).hasSize(300);
            List<GenericRecord> second = all.stream()
                    .filter(r -> r.getSchema().getField("serviceHall") != null)
                    .toList();
            assertThat(second).hasSize(100);
            assertThat(second)
                    .allSatisfy(r -> assertThat(r.getSchema().getField("phone")).isNull());
            for (GenericRecord r : all) {
                for (Object value : List.of(r.get("recordId"), r.get("notes"), r.get("regionCode"))) {
                    assertThat(OpenChecksPropertyTest.IndependentScan.findings(value.toString()))
                            .isEmpty();
                }
            }
            assertThat(readWithheld(planted)).hasSize(planted);

            OpenQualifiedRate month = awaitRate("mz/*/MONTH/", 400);
            assertThat(month.getOpened()).isEqualTo(300);
            assertThat(month.getWithheld()).isEqualTo(planted);
            assertThat(month.getRate()).isEqualTo(300.0 / 400);
        } finally {
            app.close();
        }
    }

    private static void publish(CatalogEntry entry) throws Exception {
        registryClient.register(Topics.rawValueSubject(entry.getId()), entry.getSchema$());
        try (KafkaProducer<String, CatalogEntry> producer = new KafkaProducer<>(
                producerProps(),
                new org.apache.kafka.common.serialization.StringSerializer(),
                serdes.catalogEntry().serializer())) {
            producer.send(new ProducerRecord<>(Topics.CATALOG.name(), entry.getId(), entry))
                    .get();
        }
    }

    private static void awaitCatalogVersion(OpenDataApp app, Schema schema) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            OpenCatalog c = app.catalogs().get(OpenFixtures.CATALOG);
            if (c != null && c.schema() != null && c.schema().getField("serviceHall") != null) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("catalog version 2 did not reach the open-data application within " + WAIT);
    }

    private static Properties producerProps() {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    private static void share(List<GenericRecord> records, Instant timestamp) throws Exception {
        Map<String, Object> config = Map.of("schema.registry.url", registry.url());
        try (PeonyAvroSerializer values = new PeonyAvroSerializer(registryClient, config, false);
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(producerProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (GenericRecord r : records) {
                producer.send(new ProducerRecord<>(
                        Topics.shared(OpenFixtures.CATALOG),
                        null,
                        timestamp.toEpochMilli(),
                        r.get("recordId").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        values.serialize(Topics.raw(OpenFixtures.CATALOG), r)));
            }
            producer.flush();
        }
    }

    private static Properties consumerProps() {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "open-it-" + System.nanoTime());
        return p;
    }

    /** Every record on open.<catalog>, read until {@code expected} arrived or the deadline passed. */
    private static List<GenericRecord> readOpen(int expected) {
        List<GenericRecord> out = new ArrayList<>();
        try (PeonyAvroDeserializer values = new PeonyAvroDeserializer(
                        registryClient, Map.of("schema.registry.url", registry.url()), false);
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                        consumerProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.open(OpenFixtures.CATALOG)));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add((GenericRecord) values.deserialize(r.topic(), r.value()));
                }
            }
            // Anything beyond the expected count would be a defect: look once more.
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(2))) {
                out.add((GenericRecord) values.deserialize(r.topic(), r.value()));
            }
        }
        return out;
    }

    private static List<OpenWithheld> readWithheld(int expected) {
        List<OpenWithheld> out = new ArrayList<>();
        Deserializer<OpenWithheld> values = serdes.value(OpenWithheld.class).deserializer();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.OPEN_WITHHELD.name()));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(values.deserialize(r.topic(), r.value()));
                }
            }
        }
        return out;
    }

    /** The latest rate whose key starts with {@code prefix}, once its due count reaches {@code due}. */
    private static OpenQualifiedRate awaitRate(String prefix, long due) {
        Deserializer<OpenQualifiedRate> values =
                serdes.value(OpenQualifiedRate.class).deserializer();
        Map<String, OpenQualifiedRate> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.OPEN_RATES.name()));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(r.key(), values.deserialize(r.topic(), r.value()));
                }
                for (Map.Entry<String, OpenQualifiedRate> e : latest.entrySet()) {
                    if (e.getKey().startsWith(prefix) && e.getValue().getDue() >= due) {
                        return e.getValue();
                    }
                }
            }
        }
        throw new AssertionError(
                "no rate " + prefix + "* with " + due + " due within " + WAIT + ": " + latest.keySet());
    }
}
