package city.heze.peony.ops;

import city.heze.peony.schemas.ClientConfigs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads one topic from its beginning to its end as it is when the read starts, committed records
 * only, without a consumer group: what the listing commands ({@code quality}, {@code dlq list},
 * {@code share list}, {@code rates}) show.
 */
public final class TopicSnapshot {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicSnapshot() {}

    /**
     * Calls {@code each} with every record as bytes, in offset order per partition.
     *
     * @throws UserException (exit 1) if the topic does not exist or cannot be read in time
     */
    public static void readRaw(Properties client, String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        readRaw(client, List.of(topic), each);
    }

    /**
     * The same for several topics with one consumer (one metadata request, not one per topic), with
     * the same time per topic; records of different topics interleave.
     *
     * @throws UserException (exit 1) if a topic does not exist or they cannot be read in time
     */
    public static void readRaw(
            Properties client, Collection<String> topics, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        if (topics.isEmpty()) {
            return;
        }
        Properties props = ClientConfigs.kafkaOnly(client);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, topics, props);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Duration timeout = TIMEOUT.multipliedBy(topics.size());
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    String what = topics.size() == 1 ? topics.iterator().next() : topics.size() + " topics";
                    throw new UserException("could not read " + what + " to its end within " + timeout, 1);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        each.accept(record);
                    }
                }
            }
        }
    }

    /**
     * Calls {@code each} with every record's key (UTF-8) and decoded value (null for a tombstone)
     * and returns how many values could not be decoded: an undecodable record is counted, not fatal.
     *
     * @throws UserException (exit 1) if the topic does not exist or cannot be read in time
     */
    public static <V> int read(Properties client, String topic, Deserializer<V> values, BiConsumer<String, V> each) {
        int[] undecodable = {0};
        readRaw(client, topic, record -> {
            if (record.value() == null) {
                each.accept(key(record), null);
                return;
            }
            V value = decodeOrNull(values, record);
            if (value == null) {
                undecodable[0]++;
                return;
            }
            each.accept(key(record), value);
        });
        return undecodable[0];
    }

    /** The latest value of each key, in the order keys first appeared; a tombstone removes its key. */
    public record Latest<V>(Map<String, V> values, int undecodable) {}

    /** Reads a compacted-style topic (outcomes, rates, scorecards) down to its latest value per key. */
    public static <V> Latest<V> latest(Properties client, String topic, Deserializer<V> values) {
        Map<String, V> latest = new LinkedHashMap<>();
        int undecodable = read(client, topic, values, (k, v) -> {
            if (v == null) {
                latest.remove(k);
            } else {
                latest.put(k, v);
            }
        });
        return new Latest<>(latest, undecodable);
    }

    /**
     * The record's value decoded, or null when it cannot be (a poison record is counted by the
     * caller, not fatal). An unreachable schema registry is no property of the record: it is thrown.
     */
    public static <V> V decodeOrNull(Deserializer<V> values, ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return values.deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            if (UnreachableRegistry.in(e).isPresent()) {
                throw e;
            }
            return null;
        }
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    /** The partitions of an existing topic; a missing one is the user's to create. */
    public static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic, Properties props) {
        return partitions(consumer, List.of(topic), props);
    }

    private static List<TopicPartition> partitions(
            KafkaConsumer<?, ?> consumer, Collection<String> topics, Properties props) {
        Map<String, List<PartitionInfo>> existing = consumer.listTopics(TIMEOUT);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            if (!existing.containsKey(topic)) {
                throw new UserException(
                        "topic " + topic + " does not exist on " + props.get("bootstrap.servers")
                                + "; expected Peony's topics (peony up creates them)",
                        1);
            }
            existing.get(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        return partitions;
    }

    /** Whether the consumer's position reached {@code end} on every partition. */
    public static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
