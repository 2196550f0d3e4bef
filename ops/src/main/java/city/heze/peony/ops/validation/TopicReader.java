package city.heze.peony.ops.validation;

import city.heze.peony.ops.UserException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic from its beginning to its end as it is when the read starts, committed records
 * only, without a consumer group: what {@code peony quality} and {@code peony dlq list} show.
 */
final class TopicReader {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicReader() {}

    /**
     * Calls {@code each} with every record, in offset order per partition.
     *
     * @throws UserException (exit 1) if the topic does not exist or cannot be read in time
     */
    static void read(Properties client, String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, topic, props);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new UserException("could not read " + topic + " to its end within " + TIMEOUT, 1);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        each.accept(record);
                    }
                }
            }
        }
    }

    /** The partitions of an existing topic; a missing one is the user's to create. */
    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic, Properties props) {
        if (!consumer.listTopics(TIMEOUT).containsKey(topic)) {
            throw new UserException(
                    "topic " + topic + " does not exist on " + props.get("bootstrap.servers")
                            + "; expected Peony's topics (peony up creates them)",
                    1);
        }
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic, TIMEOUT).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        return partitions;
    }

    static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
