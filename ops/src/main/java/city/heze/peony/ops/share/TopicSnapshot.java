package city.heze.peony.ops.share;

import city.heze.peony.ops.UserException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one topic from its beginning to its current end, committed records only, without a consumer
 * group: what the listing commands show. A record that cannot be decoded is counted, not fatal (the
 * share application rejects such records to peony.rejected with their reason).
 */
final class TopicSnapshot {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicSnapshot() {}

    /**
     * Calls {@code each} with every record's key and decoded value (null for a tombstone), in offset
     * order per partition, and returns how many values could not be decoded.
     *
     * @throws UserException (exit 1) if the topic does not exist or cannot be read in time
     */
    static <V> int read(Properties client, String topic, Deserializer<V> values, BiConsumer<String, V> each) {
        Properties props = new Properties();
        client.forEach((k, v) -> {
            if (!k.toString().startsWith("peony.")) {
                props.put(k, v);
            }
        });
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        int undecodable = 0;
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            if (!consumer.listTopics(TIMEOUT).containsKey(topic)) {
                throw new UserException(
                        "topic " + topic + " does not exist on " + props.get("bootstrap.servers")
                                + "; expected Peony's topics (peony up creates them)",
                        1);
            }
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, TIMEOUT)
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new UserException("could not read " + topic + " to its end within " + TIMEOUT, 1);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    V value;
                    try {
                        value = r.value() == null ? null : values.deserialize(topic, r.value());
                    } catch (SerializationException e) {
                        undecodable++;
                        continue;
                    }
                    each.accept(r.key(), value);
                }
            }
        }
        return undecodable;
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
