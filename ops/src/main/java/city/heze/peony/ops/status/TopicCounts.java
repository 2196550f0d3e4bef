package city.heze.peony.ops.status;

import city.heze.peony.schemas.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * How many records each of Peony's topics holds now: the sum over partitions of end offset minus
 * start offset. On a compacted or transactional topic this counts offsets, not live records (a
 * commit marker takes an offset too), which is what an operator compares over time.
 */
final class TopicCounts {
    private TopicCounts() {}

    static Map<String, Long> of(Admin admin) throws Exception {
        Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<String> peony = names.stream()
                .filter(n -> n.startsWith(Topics.RAW_PREFIX)
                        || n.startsWith(Topics.SHARED_PREFIX)
                        || n.startsWith("peony.")
                        || n.equals(Topics.SCHEMAS.name()))
                .sorted()
                .toList();
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
