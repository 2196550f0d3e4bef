package city.heze.peony.ops.publish;

import city.heze.peony.schemas.PeonySerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;

/**
 * What a {@code read_committed} consumer sees on a topic, read from the beginning to the end, once
 * no transaction is open on it.
 */
public final class TopicContents {
    private TopicContents() {}

    /** The records, values decoded with the writer's schema from the registry. */
    public static List<ConsumerRecord<String, GenericRecord>> decoded(Properties client, String topic) {
        Map<String, Object> configs = new HashMap<>();
        client.forEach((k, v) -> configs.put(k.toString(), v));
        try (Serde<GenericRecord> values = new PeonySerdes(configs).genericValue();
                KafkaConsumer<String, GenericRecord> consumer = new KafkaConsumer<>(
                        props(client, "read_committed"), PeonySerdes.key().deserializer(), values.deserializer())) {
            return readToEnd(client, consumer, topic);
        }
    }

    /** The records as the bytes on the wire. */
    public static List<ConsumerRecord<byte[], byte[]>> raw(Properties client, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = bytesConsumer(client, "read_committed")) {
            return readToEnd(client, consumer, topic);
        }
    }

    private static KafkaConsumer<byte[], byte[]> bytesConsumer(Properties client, String isolation) {
        return new KafkaConsumer<>(props(client, isolation), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Properties props(Properties client, String isolation) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return props;
    }

    private static <K, V> List<ConsumerRecord<K, V>> readToEnd(
            Properties client, KafkaConsumer<K, V> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = settledEnd(client, consumer, partitions);
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not read " + topic + " to its end " + end + " within 60 s");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
    }

    /**
     * The end offsets once no transaction is open on the partitions. A committed transaction's
     * markers are written after the producer's commit returns, and until they are, a read_committed
     * consumer's end (the last stable offset) stops before the transaction: reading then would see
     * nothing and prove nothing. So wait until the last stable offset is the log's end.
     */
    private static Map<TopicPartition, Long> settledEnd(
            Properties client, KafkaConsumer<?, ?> committed, List<TopicPartition> partitions) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (KafkaConsumer<byte[], byte[]> uncommitted = bytesConsumer(client, "read_uncommitted")) {
            while (true) {
                Map<TopicPartition, Long> stable = committed.endOffsets(partitions);
                Map<TopicPartition, Long> logEnd = uncommitted.endOffsets(partitions);
                if (stable.equals(logEnd)) {
                    return stable;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("a transaction is still open on " + partitions + ": last stable offsets "
                            + stable + ", log ends " + logEnd);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }
}
