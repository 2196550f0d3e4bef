package city.heze.peony.streams.share;

import static city.heze.peony.streams.share.ShareFixtures.catalog;
import static city.heze.peony.streams.share.ShareFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareGrant;
import city.heze.peony.avro.common.ShareDecisionKind;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.PeonyTopic;
import city.heze.peony.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The share application, exactly-once on a real broker, picks up departments' share topics created
 * after it started: rs applies on its own topic, mz approves on its own, and the grant appears on
 * peony.share.grants; a request rs writes in mz's name is rejected.
 */
class ShareIngressIT {
    static final Duration WAIT = Duration.ofMinutes(2); // a loaded 2-core machine
    static final String MZ = "mz.social-assistance";

    @TempDir
    static Path dataDir;

    static EmbeddedKafkaBroker broker;
    static EmbeddedSchemaRegistry registry;
    static Properties client;
    static PeonySerdes serdes;

    @BeforeAll
    static void startCluster() throws Exception {
        broker = EmbeddedKafkaBroker.create(dataDir.resolve("kafka"), 0).start();
        registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, Topics.SCHEMAS.name());
        client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        client.put("schema.registry.url", registry.url());
        serdes = new PeonySerdes(Map.of("schema.registry.url", registry.url()));
        createTopics(List.of(
                Topics.CATALOG,
                Topics.REJECTED,
                Topics.SHARE_REQUESTS,
                Topics.SHARE_DECISIONS,
                Topics.SHARE_OUTCOMES,
                Topics.SHARE_RATES,
                Topics.SHARE_GRANTS));
        send(
                Topics.CATALOG.name(),
                "mz.social-assistance",
                serdes.catalogEntry().serializer(),
                catalog(MZ, "mz", ShareType.CONDITIONAL, null));
    }

    @AfterAll
    static void stopCluster() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void departmentTopicsCreatedWhileTheApplicationRunsArePickedUp() throws Exception {
        Path state = Files.createDirectories(dataDir.resolve("state"));
        ShareSlaSettings settings =
                ShareSlaSettings.defaults().withIntervals(Duration.ofMillis(200), Duration.ofMillis(200));
        try (ShareSlaApp app = ShareSlaApp.start(client, state, settings, new SimpleMeterRegistry())) {
            assertThat(app.awaitRunning(WAIT))
                    .as("the application reaches RUNNING")
                    .isTrue();

            // The departments join after the application started.
            List<PeonyTopic> departments = new ArrayList<>(Topics.shareIngressTopicsOf("rs"));
            departments.addAll(Topics.shareIngressTopicsOf("mz"));
            createTopics(departments);

            Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // Avro keeps millis
            Instant submitted = now.minus(Duration.ofHours(1));
            Instant approved = now.minus(Duration.ofMinutes(10));
            send(
                    Topics.shareRequestsOf("rs"),
                    "A-1",
                    serdes.shareRequest().serializer(),
                    request("A-1", MZ, "mz", "rs", submitted));
            send(
                    Topics.shareRequestsOf("rs"),
                    "A-9",
                    serdes.shareRequest().serializer(),
                    request("A-9", MZ, "mz", "mz", submitted));
            send(
                    Topics.shareDecisionsOf("mz"),
                    "A-1",
                    serdes.shareDecision().serializer(),
                    new ShareDecision("A-1", ShareDecisionKind.APPROVED, null, approved, null, null));

            ShareGrant grant = await(
                    Topics.SHARE_GRANTS.name(), serdes.value(ShareGrant.class).deserializer(), "A-1");
            assertThat(grant.getGrantee()).isEqualTo("rs");
            assertThat(grant.getProvider()).isEqualTo("mz");
            assertThat(grant.getApprovedAt()).isEqualTo(approved);
            assertThat(grant.getValidUntil()).isEqualTo(approved.plus(ShareSlaSettings.DEFAULT_ACCESS_VALIDITY));
            assertThat(grant.getEndedAt()).isNull();

            Rejection rejected =
                    await(Topics.REJECTED.name(), serdes.rejection().deserializer(), "A-9");
            assertThat(rejected.getSourceTopic()).isEqualTo("peony.share.requests.rs");
            assertThat(rejected.getFailures().get(0).getReason())
                    .endsWith("application A-9 is in the name of mz; a department submits applications only in its"
                            + " own name");

            ShareDecision stamped =
                    await(Topics.SHARE_DECISIONS.name(), serdes.shareDecision().deserializer(), "A-1");
            assertThat(stamped.getDecidedBy()).isEqualTo("mz");
        }
    }

    private static void createTopics(List<PeonyTopic> topics) throws Exception {
        try (Admin admin = Admin.create(client)) {
            List<NewTopic> created = new ArrayList<>();
            for (PeonyTopic t : topics) {
                created.add(new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs()));
            }
            admin.createTopics(created).all().get();
        }
    }

    /** The first committed record with {@code key} on {@code topic}, polling until {@link #WAIT}. */
    private static <V> V await(String topic, Deserializer<V> values, String key) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, V> consumer =
                new KafkaConsumer<>(props, PeonySerdes.key().deserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        return r.value();
                    }
                }
            }
        }
        throw new AssertionError("nothing keyed " + key + " on " + topic + " within " + WAIT);
    }

    private static <V extends SpecificRecord> void send(String topic, String key, Serializer<V> serializer, V value)
            throws Exception {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, V> producer =
                new KafkaProducer<>(props, PeonySerdes.key().serializer(), serializer)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }
}
