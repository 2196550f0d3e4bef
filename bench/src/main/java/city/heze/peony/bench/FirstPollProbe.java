package city.heze.peony.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Notes when a streams application's main consumer first hands records to the application: the
 * start of a streams measurement. Installed through the application's own configuration ({@link
 * #install}), so the topologies of others are timed without a change to their code; keyed by
 * consumer group, which Kafka Streams sets to the {@code application.id}. It costs one check per
 * poll, none per record.
 */
public final class FirstPollProbe implements ConsumerInterceptor<Object, Object> {
    private static final Map<String, Long> FIRST_POLL_NANOS = new ConcurrentHashMap<>();

    private String groupId;
    private volatile boolean seen;

    /** Adds the probe to the main consumer of a streams application configured with these properties. */
    static void install(Map<Object, Object> streamsOrClientProperties) {
        streamsOrClientProperties.put(
                StreamsConfig.mainConsumerPrefix(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG),
                FirstPollProbe.class.getName());
    }

    /** {@link System#nanoTime()} of the first non-empty poll of the group, or null before it. */
    static Long firstPollNanos(String groupId) {
        return FIRST_POLL_NANOS.get(groupId);
    }

    static void forget(String groupId) {
        FIRST_POLL_NANOS.remove(groupId);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object group = configs.get(ConsumerConfig.GROUP_ID_CONFIG);
        groupId = group == null ? null : group.toString();
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        if (!seen && groupId != null && !records.isEmpty()) {
            seen = true;
            FIRST_POLL_NANOS.putIfAbsent(groupId, System.nanoTime());
        }
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public void close() {}
}
