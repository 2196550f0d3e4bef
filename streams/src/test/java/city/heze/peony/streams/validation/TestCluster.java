package city.heze.peony.streams.validation;

import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.schemas.PeonyTopic;
import city.heze.peony.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A real broker and schema registry on free ports, with the few client chores the integration tests need. */
final class TestCluster implements AutoCloseable {
    final EmbeddedKafkaBroker broker;
    final EmbeddedSchemaRegistry registry;

    TestCluster(Path dataDir) {
        broker = EmbeddedKafkaBroker.create(dataDir, 0).start();
        registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, Topics.SCHEMAS.name());
    }

    Properties clientProperties() {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("schema.registry.url", registry.url());
        return props;
    }

    void createTopics(List<PeonyTopic> system, List<String> catalogTopics, int partitions) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        system.forEach(t -> topics.add(new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs())));
        catalogTopics.forEach(t -> topics.add(new NewTopic(t, partitions, (short) 1)));
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Sends and waits for every acknowledgement. */
    void send(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Properties props = clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> record : records) {
                sent.add(producer.send(record));
            }
            for (var future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Every committed record of the topic, from the beginning to its end right now. */
    List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic) {
        Properties props = clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end + " within 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Polls {@code topic} until {@code done} holds for what it holds, or fails after {@code timeout}. */
    List<ConsumerRecord<byte[], byte[]>> awaitRecords(
            String topic, java.util.function.Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<byte[], byte[]>> records;
        do {
            records = readToEnd(topic);
            if (done.test(records)) {
                return records;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError(
                "gave up waiting on " + topic + " after " + timeout + "; it holds " + records.size() + " record(s)");
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
    }
}
