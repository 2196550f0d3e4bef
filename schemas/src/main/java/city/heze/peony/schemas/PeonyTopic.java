package city.heze.peony.schemas;

import java.util.Locale;
import java.util.Map;

/**
 * A topic Peony owns: its name, how it is cleaned up and how many partitions it gets by default.
 * Every topic name used anywhere in Peony comes from {@link Topics}; nothing spells one out as a
 * string literal.
 */
public record PeonyTopic(String name, CleanupPolicy cleanup, int partitions, String purpose) {

    /** Kafka's {@code cleanup.policy}. */
    public enum CleanupPolicy {
        DELETE,
        COMPACT;

        /** The value of {@code cleanup.policy}: the name in lower case. */
        public String configValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The topic-level configs to create it with. */
    public Map<String, String> configs() {
        return Map.of("cleanup.policy", cleanup.configValue());
    }
}
