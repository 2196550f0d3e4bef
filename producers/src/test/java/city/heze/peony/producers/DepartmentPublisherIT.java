package city.heze.peony.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.Sex;
import city.heze.peony.avro.dept.AssistanceType;
import city.heze.peony.avro.dept.SocialAssistanceRecipient;
import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.producers.simulate.RecordGenerator;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher against a real broker and the real registry: keys, acknowledgements, refusals, transactions. */
class DepartmentPublisherIT {

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;
    private static EmbeddedSchemaRegistry registry;
    private static Properties client;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.create(dataDir, 0).start();
        registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, Topics.SCHEMAS.name());
        client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        client.put("schema.registry.url", registry.url());
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(Topics.CATALOG.name(), 1, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** Registers a social-assistance catalog under {@code id} and creates its topic. */
    private static CatalogEntry catalog(String id) throws Exception {
        CatalogEntry entry = TestCatalogs.socialAssistance();
        entry.setId(id);
        try (SchemaRegistryClient registryClient = SchemaRegistryClients.forUrl(registry.url());
                Admin admin = Admin.create(client)) {
            registryClient.register(Topics.raw(id) + "-value", entry.getSchema$());
            admin.createTopics(List.of(new NewTopic(Topics.raw(id), 3, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        return entry;
    }

    @Test
    void recordsGoOutKeyedByTheirIdAndCloseWaitsForEveryAcknowledgement() throws Exception {
        CatalogEntry entry = catalog("mz.publisher-acks");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        DepartmentPublisher publisher = DepartmentPublisher.builder(client)
                .catalog(entry)
                .meterRegistry(meters)
                .build();
        assertThat(publisher.department()).isEqualTo("mz");
        RecordGenerator generator = RecordGenerator.forCatalog(entry, publisher.schema());
        Random random = new Random(11);
        for (int i = 0; i < 3000; i++) {
            GenericRecord record = i % 2 == 0 ? generator.nextRecord(random, System.currentTimeMillis()) : specific(i);
            ids.add(record.get("recordId").toString());
            futures.add(publisher.send(record));
        }
        publisher.close();

        assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted());
        assertThat(publisher.acknowledged()).isEqualTo(3000);
        assertThat(meters.get("peony.publish.records")
                        .tag("outcome", "acknowledged")
                        .tags("department", "mz", "catalog", entry.getId())
                        .counter()
                        .count())
                .isEqualTo(3000.0);
        List<ConsumerRecord<String, GenericRecord>> read = readCommitted(Topics.raw(entry.getId()));
        assertThat(read).hasSize(3000);
        assertThat(read)
                .allSatisfy(r ->
                        assertThat(r.key()).isEqualTo(r.value().get("recordId").toString()));
        assertThat(read.stream().map(ConsumerRecord::key)).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aRecordOfAnotherSchemaIsRefusedBeforeAnythingIsSent() throws Exception {
        CatalogEntry entry = catalog("mz.publisher-refusals");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (DepartmentPublisher publisher = DepartmentPublisher.builder(client)
                .catalog(entry)
                .meterRegistry(meters)
                .build()) {
            GenericRecord foreign = RecordGenerator.forCatalog(TestCatalogs.businessRegistration())
                    .nextRecord(new Random(1), System.currentTimeMillis());
            assertThatThrownBy(() -> publisher.send(foreign))
                    .isInstanceOf(ForeignSchemaException.class)
                    .hasMessageContaining("catalog 'mz.publisher-refusals' takes records of schema "
                            + "city.heze.peony.avro.dept.SocialAssistanceRecipient (subject "
                            + "raw.mz.publisher-refusals-value, version 1, id ")
                    .hasMessageContaining("refused a record of schema city.heze.peony.avro.dept.BusinessRegistration"
                            + " before sending it");

            // Same name, one field fewer: a stale copy of the schema.
            Schema stale = withoutField(publisher.schema(), "phone");
            GenericData.Record staleRecord = new GenericData.Record(stale);
            staleRecord.put("recordId", "x");
            assertThatThrownBy(() -> publisher.send(staleRecord))
                    .isInstanceOf(ForeignSchemaException.class)
                    .hasMessageContaining(
                            "which has the catalog's name but another definition (it lacks field 'phone')");

            GenericRecord noKey = RecordGenerator.forCatalog(entry, publisher.schema())
                    .nextRecord(new Random(2), System.currentTimeMillis());
            noKey.put("recordId", null);
            assertThatThrownBy(() -> publisher.send(noKey)).hasMessageContaining("key field 'recordId' is null");
            publisher.flush();
        }
        assertThat(readCommitted(Topics.raw(entry.getId()))).isEmpty();
        assertThat(endOffsets(Topics.raw(entry.getId()))).isZero();
        assertThat(meters.get("peony.publish.records")
                        .tag("outcome", "refused")
                        .counter()
                        .count())
                .isEqualTo(3.0);
    }

    @Test
    void anAbortedTransactionIsInvisibleToReadCommittedConsumers() throws Exception {
        CatalogEntry entry = catalog("mz.publisher-transactions");
        try (DepartmentPublisher publisher = DepartmentPublisher.builder(client)
                .catalog(entry)
                .transactionalId("test-" + entry.getId())
                .build()) {
            publisher.beginTransaction();
            for (int i = 0; i < 50; i++) {
                publisher.send(specific(i));
            }
            publisher.abortTransaction();

            publisher.beginTransaction();
            for (int i = 100; i < 105; i++) {
                publisher.send(specific(i));
            }
            publisher.commitTransaction();
        }
        List<ConsumerRecord<String, GenericRecord>> read = readCommitted(Topics.raw(entry.getId()));
        assertThat(read)
                .extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("MZ-100", "MZ-101", "MZ-102", "MZ-103", "MZ-104");
    }

    @Test
    void aCatalogIsFoundById() throws Exception {
        CatalogEntry entry = catalog("mz.publisher-lookup");
        new CatalogTopic(client).write(entry);

        try (DepartmentPublisher publisher =
                DepartmentPublisher.builder(client).catalogId(entry.getId()).build()) {
            assertThat(publisher.catalogIds()).containsExactly(entry.getId());
            assertThat(publisher.registeredSchema(entry.getId()).version()).isEqualTo(1);
            publisher.send(specific(1)).get(30, TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> DepartmentPublisher.builder(client)
                        .catalogId("mz.nowhere")
                        .build())
                .isInstanceOf(PublisherSetupException.class)
                .hasMessageStartingWith("no catalog 'mz.nowhere' on peony.catalog; known: ")
                .hasMessageContaining("mz.publisher-lookup");
    }

    @Test
    void aCatalogWithoutARegisteredSchemaCannotBePublished() {
        CatalogEntry entry = TestCatalogs.socialAssistance();
        entry.setId("mz.never-registered");

        assertThatThrownBy(
                        () -> DepartmentPublisher.builder(client).catalog(entry).build())
                .isInstanceOf(PublisherSetupException.class)
                .hasMessageContaining("catalog 'mz.never-registered': cannot find its schema under subject "
                        + "raw.mz.never-registered-value in the schema registry at " + registry.url())
                .hasMessageContaining("peony catalog register");
    }

    private static SocialAssistanceRecipient specific(int n) {
        return SocialAssistanceRecipient.newBuilder()
                .setRecordId("MZ-" + n)
                .setResidentId("371702198001010014")
                .setName("张秀英")
                .setSex(Sex.MALE)
                .setBirthDate(LocalDate.of(1980, 1, 1))
                .setRegionCode("371702")
                .setAssistanceType(AssistanceType.MINIMUM_LIVING)
                .setMonthlyAmountFen(68_000L)
                .setHouseholdSize(3)
                .setApprovedOn(LocalDate.of(2024, 3, 15))
                .setPhone(null)
                .setUpdatedAt(Instant.ofEpochMilli(1_735_000_000_000L + n))
                .build();
    }

    private static Schema withoutField(Schema schema, String dropped) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            if (!f.name().equals(dropped)) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    /** The sum of the log-end offsets, as a read_uncommitted consumer sees them. */
    private static long endOffsets(String topic) {
        Properties props = consumerProps();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                props,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    private static Properties consumerProps() {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }

    /** Everything a read_committed consumer sees on the topic, read to its end. */
    static List<ConsumerRecord<String, GenericRecord>> readCommitted(String topic) {
        Map<String, Object> configs = new HashMap<>();
        client.forEach((k, v) -> configs.put(k.toString(), v));
        List<ConsumerRecord<String, GenericRecord>> out = new ArrayList<>();
        try (Serde<GenericRecord> values = new PeonySerdes(configs).genericValue();
                KafkaConsumer<String, GenericRecord> consumer =
                        new KafkaConsumer<>(consumerProps(), PeonySerdes.key().deserializer(), values.deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            // A commit's markers land after commitTransaction returns; until then the last stable
            // offset stops short and a read would prove nothing. Wait until it is the log's end.
            Map<TopicPartition, Long> stable = consumer.endOffsets(partitions);
            while (stable.values().stream().mapToLong(Long::longValue).sum() < endOffsets(topic)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("a transaction is still open on " + topic);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
                stable = consumer.endOffsets(partitions);
            }
            Map<TopicPartition, Long> end = stable;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end + " within 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
