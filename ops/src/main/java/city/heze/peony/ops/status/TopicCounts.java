package city.heze.peony.ops.status;

import city.heze.peony.ops.TopicSnapshot;
import city.heze.peony.schemas.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * How much each of Peony's topics holds now, two ways.
 *
 * <ul>
 *   <li>{@link #offsets}: the sum over partitions of end offset minus start offset, cheap (one
 *       request) but not a count of records: on a transactional topic every commit marker takes an
 *       offset too, and on a compacted one the cleaner leaves gaps. After 5,000 simulated records
 *       a {@code shared.*} topic shows more offsets than its {@code raw.*} topic has records.
 *   <li>{@link #records}: reads each topic read_committed to its end and counts, exact (raw =
 *       shared + rejected) but as slow as reading every topic.
 * </ul>
 */
final class TopicCounts {
    private TopicCounts() {}

    /** Peony's topic names on the cluster, sorted. */
    static List<String> peonyTopics(Admin admin) throws Exception {
        Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        return names.stream()
                .filter(n -> n.startsWith(Topics.RAW_PREFIX)
                        || n.startsWith(Topics.SHARED_PREFIX)
                        || n.startsWith("peony.")
                        || n.equals(Topics.SCHEMAS.name()))
                .sorted()
                .toList();
    }

    /** Committed records per topic, counted by reading each one to its end (read_committed). */
    static Map<String, Long> records(Properties client, List<String> topics) {
        Map<String, Long> counts = new TreeMap<>();
        topics.forEach(t -> counts.put(t, 0L));
        TopicSnapshot.readRaw(client, topics, r -> counts.merge(r.topic(), 1L, Long::sum));
        return counts;
    }

    /** Offsets per topic (end minus start, summed over partitions): see the class comment. */
    static Map<String, Long> offsets(Admin admin) throws Exception {
        List<String> peony = peonyTopics(admin);
        Map<String, TopicDescription> described =
                admin.describeTopics(peony).allTopicNames().get(30, TimeUnit.SECONDS);
        List<TopicPartition> partitions = new ArrayList<>();
        described
                .values()
                .forEach(d -> d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> {
            earliest.put(tp, OffsetSpec.earliest());
            latest.put(tp, OffsetSpec.latest());
        });
        Map<TopicPartition, ListOffsetsResultInfo> start =
                admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> end =
                admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
        Map<String, Long> counts = new TreeMap<>();
        peony.forEach(t -> counts.put(t, 0L));
        for (TopicPartition tp : partitions) {
            counts.merge(tp.topic(), end.get(tp).offset() - start.get(tp).offset(), Long::sum);
        }
        return counts;
    }
}
