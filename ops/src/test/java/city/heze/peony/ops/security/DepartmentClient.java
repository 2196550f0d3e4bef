package city.heze.peony.ops.security;

import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A department's real Kafka clients (producer, consumer, admin) and registry client, signed in
 * with the client file {@code peony department add} wrote. Each probe answers whether the broker
 * (or the registry) let it through; a refusal is an {@link AuthorizationException} (or a 403), and
 * anything else is a failure of the test, not a "denied".
 */
final class DepartmentClient implements AutoCloseable {
    final String code;
    final Properties properties;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Admin admin;
    private final SchemaRegistryClient registry;

    DepartmentClient(String code, Path clientFile) {
        this.code = code;
        this.properties = load(clientFile);
        Properties kafka = ClientConfigs.kafkaOnly(properties);
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Not idempotent: a probe refused on one topic must leave the producer usable for the next.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.putAll(kafka);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.admin = Admin.create(kafka);
        this.registry = SchemaRegistryClients.fromConfig(ClientConfigs.toMap(properties));
    }

    static Properties load(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }

    boolean canProduce(String topic) {
        try {
            producer.send(new ProducerRecord<>(topic, "probe".getBytes(StandardCharsets.UTF_8), new byte[] {1}))
                    .get(20, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            return refused(e.getCause(), "produce to " + topic);
        } catch (AuthorizationException e) {
            return false;
        } catch (Exception e) {
            throw new AssertionError(code + ": produce to " + topic + " failed otherwise", e);
        }
    }

    /**
     * Assigns every partition (no consumer group) and polls until a fetch has answered for each
     * (its lag is known) or the broker refuses: a poll that merely has not fetched yet proves nothing.
     */
    boolean canConsume(String topic) {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!partitions.stream().allMatch(tp -> consumer.currentLag(tp).isPresent())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(code + ": no fetch from " + topic + " answered within 15 s");
                }
                consumer.poll(Duration.ofMillis(100));
            }
            return true;
        } catch (AuthorizationException e) {
            return false;
        } finally {
            consumer.unsubscribe();
        }
    }

    boolean canDescribe(String topic) {
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            return refused(e.getCause(), "describe " + topic);
        } catch (Exception e) {
            throw new AssertionError(code + ": describe " + topic + " failed otherwise", e);
        }
    }

    /** Starts a transactional producer with this {@code transactional.id} (what {@code publish --all-or-nothing} does). */
    boolean canUseTransactionalId(String transactionalId) {
        Properties p = new Properties();
        p.putAll(ClientConfigs.kafkaOnly(properties));
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        try (KafkaProducer<byte[], byte[]> transactional =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            transactional.initTransactions();
            return true;
        } catch (AuthorizationException e) {
            return false;
        }
    }

    /** Registers {@code schema} (already registered there, so a permitted write changes nothing). */
    boolean canRegister(String subject, String schema) {
        try {
            registry.register(subject, schema);
            return true;
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 403) {
                return false;
            }
            throw new AssertionError(code + ": register under " + subject + " failed otherwise", e);
        }
    }

    private boolean refused(Throwable cause, String what) {
        if (cause instanceof AuthorizationException) {
            return false;
        }
        throw new AssertionError(code + ": " + what + " failed otherwise", cause);
    }

    /**
     * Closes every client; a refusal the consumer still holds from its last probe (it rethrows one
     * on close) is the probe's business, not a failure of closing.
     */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (KafkaException e) {
            if (!(e.getCause() instanceof AuthorizationException)) {
                throw e;
            }
        }
        admin.close(Duration.ofSeconds(5));
        registry.close();
    }
}
