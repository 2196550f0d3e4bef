package city.heze.peony.bench;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Tells when an application has delivered its output: the end of a streams measurement. It notes
 * the output topics' end offsets when created, then polls them through the Admin client every
 * {@value #POLL_MILLIS} ms per {@value #PARTITIONS_PER_POLL_STEP} partitions watched (at most
 * {@value #MAX_POLL_MILLIS} ms) until the expected number of new records is there, and returns the
 * time of the poll that first saw them.
 *
 * <p>The interval grows with the partitions because a poll is a ListOffsets request over all of
 * them, served by the broker the application uses, on the same cores: at 200 catalogs (603 output
 * partitions) polling every 5 ms took about half of the process's CPU samples during the
 * measurement (JFR, docs/scaling.md), so the watch slowed what it measured in proportion to the
 * catalogs. With a few dozen partitions it costs nothing measurable and stays at 5 ms.
 *
 * <p>Without transactions every new offset is a record, so the offsets alone tell. With {@code
 * exactly_once_v2} it polls the last stable offset (what a {@code read_committed} consumer can
 * read), and since each commit adds a marker that takes an offset too, it then counts the
 * committed records up to those offsets with a consumer; the count runs after the poll it checks,
 * so it does not lengthen the measured time.
 */
final class OutputWatch implements AutoCloseable {
    static final long POLL_MILLIS = 5;
    /** Partitions per {@link #POLL_MILLIS} of interval between polls. */
    static final int PARTITIONS_PER_POLL_STEP = 50;
    /** The longest interval: the end of a measurement is known to within this. */
    static final long MAX_POLL_MILLIS = 200;

    /** The interval between polls when watching {@code partitions} partitions. */
    static long pollMillisFor(int partitions) {
        long steps = Math.max(1, (partitions + PARTITIONS_PER_POLL_STEP - 1) / PARTITIONS_PER_POLL_STEP);
        return Math.min(MAX_POLL_MILLIS, steps * POLL_MILLIS);
    }

    private final long pollMillis;

    private final BenchCluster cluster;
    private final boolean transactional;
    private final Map<TopicPartition, Long> start;
    private final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    private final ListOffsetsOptions options;
    private KafkaConsumer<byte[], byte[]> counter;
    private long counted;
    /** Offsets read past the last offsets polled: they count once a later poll sees them. */
    private final Map<TopicPartition, ArrayDeque<Long>> ahead = new HashMap<>();
    /** Records delivered per topic when the wait ended. */
    private final Map<String, Long> delivered = new HashMap<>();

    /**
     * @param topics the output topics, which must exist
     * @param transactional whether the application writes in transactions ({@code exactly_once_v2})
     */
    OutputWatch(BenchCluster cluster, List<String> topics, boolean transactional) {
        this.cluster = cluster;
        this.transactional = transactional;
        IsolationLevel isolation = transactional ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
        this.options = new ListOffsetsOptions(isolation);
        this.start = cluster.endOffsets(topics, isolation);
        start.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
        this.pollMillis = pollMillisFor(start.size());
    }

    /**
     * Waits until {@code expected} records arrived after the start offsets.
     *
     * @param failure says why the application cannot finish (it stopped, it failed), or null while it runs
     * @return {@link System#nanoTime()} of the poll that first saw them all
     * @throws BenchFailure when the application fails or the records do not all arrive in {@code timeout}
     */
    long awaitRecords(long expected, Duration timeout, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastSeen = -1;
        while (true) {
            Map<TopicPartition, Long> now = endOffsets();
            long seenAt = System.nanoTime();
            long offsets = 0;
            for (var e : now.entrySet()) {
                offsets += e.getValue() - start.get(e.getKey());
            }
            if (offsets >= expected && offsets != lastSeen) {
                lastSeen = offsets;
                if (!transactional) {
                    now.forEach((tp, end) -> delivered.merge(tp.topic(), end - start.get(tp), Long::sum));
                    return seenAt;
                }
                if (countCommitted(now) >= expected) {
                    return seenAt;
                }
            }
            String why = failure.get();
            if (why != null) {
                throw new BenchFailure(why + " after " + progress(offsets) + " of " + expected + " records");
            }
            if (seenAt > deadline) {
                throw new BenchFailure("only " + progress(offsets) + " of " + expected + " records arrived within "
                        + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                throw BenchCluster.interrupted(e);
            }
        }
    }

    /**
     * Offsets added to the output topics since this watch was created: records, and under {@code
     * exactly_once_v2} also one commit marker per partition and commit (a few per second against
     * tens of thousands of records, well under 0.1 %), up to the last stable offset.
     */
    long offsetsNow() {
        long offsets = 0;
        for (var e : endOffsets().entrySet()) {
            offsets += e.getValue() - start.get(e.getKey());
        }
        return offsets;
    }

    /** Records that arrived on {@code topic}, once {@link #awaitRecords} returned. */
    long delivered(String topic) {
        return delivered.getOrDefault(topic, 0L);
    }

    private String progress(long offsets) {
        return transactional ? Long.toString(counted) + " counted (" + offsets + " offsets)" : Long.toString(offsets);
    }

    private Map<TopicPartition, Long> endOffsets() {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try {
            cluster.admin()
                    .listOffsets(request, options)
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> offsets.put(tp, info.offset()));
        } catch (ExecutionException | TimeoutException e) {
            throw new BenchFailure(
                    "cannot poll the end offsets of " + request.keySet() + ": "
                            + BenchCluster.cause(e).getMessage(),
                    e);
        } catch (InterruptedException e) {
            throw BenchCluster.interrupted(e);
        }
        return offsets;
    }

    /** Counts committed records from the start offsets up to {@code until}, going on from the last count. */
    private long countCommitted(Map<TopicPartition, Long> until) {
        if (counter == null) {
            Properties props = cluster.clientProperties();
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            counter = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            counter.assign(start.keySet());
            start.forEach(counter::seek);
        }
        for (var e : ahead.entrySet()) {
            long limit = until.get(e.getKey());
            ArrayDeque<Long> offsets = e.getValue();
            while (!offsets.isEmpty() && offsets.peekFirst() < limit) {
                offsets.pollFirst();
                counted++;
                delivered.merge(e.getKey().topic(), 1L, Long::sum);
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!reached(until)) {
            if (System.nanoTime() > deadline) {
                throw new BenchFailure("could not read the committed output up to " + until + " within 30 s");
            }
            for (ConsumerRecord<byte[], byte[]> r : counter.poll(Duration.ofMillis(100))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() < until.get(tp)) {
                    counted++;
                    delivered.merge(tp.topic(), 1L, Long::sum);
                } else {
                    ahead.computeIfAbsent(tp, k -> new ArrayDeque<>()).addLast(r.offset());
                }
            }
        }
        return counted;
    }

    private boolean reached(Map<TopicPartition, Long> until) {
        for (var e : until.entrySet()) {
            if (counter.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (counter != null) {
            counter.close(Duration.ofSeconds(5));
        }
    }
}
