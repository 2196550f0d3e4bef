package city.heze.peony.streams.validation;

import city.heze.peony.schemas.Topics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * Sends a valid record of {@code raw.<catalog>} to {@code shared.<catalog>}: one sink for every
 * catalog, the name built once per raw topic. Shared by the tasks of every stream thread.
 */
final class SharedTopicExtractor implements TopicNameExtractor<byte[], byte[]> {
    private final Map<String, String> sharedByRaw = new ConcurrentHashMap<>();

    @Override
    public String extract(byte[] key, byte[] value, RecordContext recordContext) {
        String raw = recordContext.topic();
        String shared = sharedByRaw.get(raw);
        if (shared == null) {
            shared = sharedByRaw.computeIfAbsent(raw, t -> Topics.SHARED_PREFIX + Topics.catalogOfRaw(t));
        }
        return shared;
    }
}
