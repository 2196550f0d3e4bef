package city.heze.peony.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The consuming end of a latency measurement: a {@code read_committed} consumer on the topic where
 * the records come out, started at its current end, that takes each record's latency as the time
 * the poll returned it minus the record's timestamp. Kafka sets that timestamp when the producer
 * sends the record, and Kafka Streams carries it to its output unchanged, so the latency spans
 * publish to visible at the far end, in milliseconds (the timestamp's resolution). Producer,
 * consumer and clock are in one process.
 */
final class LatencySampler implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final int[] latencies;
    private final Thread thread;
    private volatile int received;
    private volatile boolean stop;
    private volatile Exception failure;

    /** Starts consuming {@code topic} from its end (which must not move until the sender starts), expecting {@code count} records. */
    LatencySampler(BenchCluster cluster, String topic, int count) {
        Properties props = cluster.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "peony-bench-latency");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Map<TopicPartition, Long> end = cluster.endOffsets(List.of(topic), IsolationLevel.READ_COMMITTED);
        consumer.assign(end.keySet());
        end.forEach(consumer::seek);
        // Connect and open the fetch sessions before the first record is sent: otherwise the first
        // records wait for the consumer's start and the high percentiles measure that.
        consumer.poll(Duration.ofMillis(200));
        latencies = new int[count];
        thread = new Thread(this::consume, "peony-bench-latency-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    private void consume() {
        try {
            int n = 0;
            while (!stop && n < latencies.length) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(50));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (n < latencies.length) {
                        latencies[n++] = (int) Math.max(0, now - r.timestamp());
                    }
                }
                received = n;
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    /** Waits until every expected record arrived; false when {@code timeout} passed first. */
    boolean await(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            throw BenchCluster.interrupted(e);
        }
        if (failure != null) {
            throw new BenchFailure("the latency consumer failed: " + failure, failure);
        }
        return received >= latencies.length;
    }

    int received() {
        return received;
    }

    /** The p-th percentile (0..100) of the latencies received, nearest rank, in ms. */
    double percentile(double p) {
        int n = received;
        if (n == 0) {
            throw new BenchFailure("no record arrived at the latency consumer");
        }
        int[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * n);
        return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
    }
}
