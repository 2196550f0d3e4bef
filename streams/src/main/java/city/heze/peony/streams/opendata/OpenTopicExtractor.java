package city.heze.peony.streams.opendata;

import city.heze.peony.schemas.Topics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/** Sends an opened record of {@code shared.<catalog>} to {@code open.<catalog>}; the name built once per topic. */
final class OpenTopicExtractor implements TopicNameExtractor<byte[], byte[]> {
    private final Map<String, String> openByShared = new ConcurrentHashMap<>();

    @Override
    public String extract(byte[] key, byte[] value, RecordContext recordContext) {
        String shared = recordContext.topic();
        String open = openByShared.get(shared);
        if (open == null) {
            open = openByShared.computeIfAbsent(shared, t -> Topics.OPEN_PREFIX + Topics.catalogOfShared(t));
        }
        return open;
    }
}
