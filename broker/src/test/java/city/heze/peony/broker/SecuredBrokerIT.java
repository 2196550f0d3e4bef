package city.heze.peony.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** One secured broker for the class; the restart test runs last because it replaces it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredBrokerIT {
    private static final String SUPER_USER = "peony";
    private static final String SUPER_PASSWORD = "peony-secret-1";
    private static final String TOPIC = "shared.mz.social-assistance";

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.create(dataDir, 0)
                .secured(SUPER_USER, SUPER_PASSWORD)
                .start();
        try (Admin admin = Admin.create(broker.superUserClientConfigs())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void theSuperUserProducesAndConsumes() throws Exception {
        assertThat(broker.isSecured()).isTrue();
        assertThat(broker.superUserClientConfigs())
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerConfigs(broker.superUserClientConfigs()))) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "k" + i, "低保-" + i)).get();
            }
        }
        assertThat(readAll(broker.superUserClientConfigs(), null, 3)).containsExactly("低保-0", "低保-1", "低保-2");
    }

    @Test
    @Order(2)
    void refusesAnUnauthenticatedPlaintextClient() {
        Map<String, Object> plain = new HashMap<>();
        plain.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        plain.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        plain.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        try (Admin admin = Admin.create(plain)) {
            assertThatThrownBy(() -> admin.listTopics().names().get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
        }
    }

    @Test
    @Order(3)
    void refusesAWrongPassword() {
        try (Admin admin = Admin.create(clientConfigs(SUPER_USER, "not-the-password"))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    @Order(4)
    void aDepartmentUserNeedsAnAclForATopic() throws Exception {
        String user = "mz";
        String password = "mz-secret-2";
        try (Admin admin = Admin.create(broker.superUserClientConfigs())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
                    .all()
                    .get();
        }
        Map<String, Object> mz = clientConfigs(user, password);
        awaitSignIn(mz);

        try (Admin admin = Admin.create(mz)) {
            assertThatThrownBy(() ->
                            admin.describeTopics(List.of(TOPIC)).allTopicNames().get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        Map<String, Object> producerConfigs = producerConfigs(mz);
        producerConfigs.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfigs)) {
            assertThatThrownBy(() ->
                            producer.send(new ProducerRecord<>(TOPIC, "k", "v")).get())
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }

        ResourcePattern topic = new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL);
        ResourcePattern groups = new ResourcePattern(ResourceType.GROUP, "mz.", PatternType.PREFIXED);
        try (Admin admin = Admin.create(broker.superUserClientConfigs())) {
            admin.createAcls(List.of(
                            new AclBinding(topic, allow(user, AclOperation.READ)),
                            new AclBinding(topic, allow(user, AclOperation.DESCRIBE)),
                            new AclBinding(groups, allow(user, AclOperation.READ))))
                    .all()
                    .get();
        }
        assertThat(readAll(mz, "mz.reader", 3)).containsExactly("低保-0", "低保-1", "低保-2");
    }

    @Test
    @Order(5)
    void theSuperUserStillSignsInAfterARestart() throws Exception {
        broker.close();
        broker = EmbeddedKafkaBroker.create(dataDir, 0)
                .secured(SUPER_USER, SUPER_PASSWORD)
                .start();
        try (Admin admin = Admin.create(broker.superUserClientConfigs())) {
            assertThat(admin.listTopics().names().get()).contains(TOPIC);
        }
        assertThat(readAll(broker.superUserClientConfigs(), null, 3)).hasSize(3);
    }

    @Test
    @Order(6)
    void refusesToStartWithAnotherSuperUserPasswordThanTheDataWasFormattedWith() {
        broker.close();
        EmbeddedKafkaBroker wrong = EmbeddedKafkaBroker.create(dataDir, 0).secured(SUPER_USER, "another-password");
        assertThatThrownBy(wrong::start)
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("formatted with another password");
        wrong.close();
        broker = EmbeddedKafkaBroker.create(dataDir, 0)
                .secured(SUPER_USER, SUPER_PASSWORD)
                .start();
    }

    @Test
    @Order(7)
    void refusesToSecureADataDirectoryFormattedPlain(@TempDir Path plainDir) {
        EmbeddedKafkaBroker.create(plainDir, 0).start().close();
        assertThat(EmbeddedKafkaBroker.isSecuredDataDir(plainDir)).isFalse();
        assertThat(EmbeddedKafkaBroker.isSecuredDataDir(dataDir)).isTrue();
        assertThatThrownBy(() -> EmbeddedKafkaBroker.create(plainDir, 0)
                        .secured(SUPER_USER, SUPER_PASSWORD)
                        .start())
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("formatted for a plain (unauthenticated) broker");
    }

    private static AccessControlEntry allow(String user, AclOperation operation) {
        return new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW);
    }

    private static Map<String, Object> clientConfigs(String user, String password) {
        Map<String, Object> configs = new HashMap<>(EmbeddedKafkaBroker.scramClientSettings(user, password));
        configs.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        configs.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        configs.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return configs;
    }

    /** A new SCRAM credential reaches the broker through the metadata log: poll until it signs in. */
    private static void awaitSignIn(Map<String, Object> configs) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Admin admin = Admin.create(configs)) {
                admin.describeCluster().clusterId().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof SaslAuthenticationException) || System.nanoTime() > deadline) {
                    throw new AssertionError("the new user could not sign in", e);
                }
            }
            Thread.sleep(100);
        }
    }

    private static Map<String, Object> producerConfigs(Map<String, Object> client) {
        Map<String, Object> configs = new HashMap<>(client);
        configs.remove(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        configs.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        configs.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return configs;
    }

    /** Reads the topic from the start, by assignment, or as {@code group} when given (committing). */
    private static List<String> readAll(Map<String, Object> client, String group, int expected) {
        Map<String, Object> configs = new HashMap<>(client);
        configs.remove(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        configs.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        configs.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        if (group != null) {
            configs.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(configs)) {
            if (group == null) {
                Set<TopicPartition> partitions = Set.of(new TopicPartition(TOPIC, 0));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
            } else {
                consumer.subscribe(List.of(TOPIC));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
