package city.heze.peony.schemas.registry;

import java.util.List;

/**
 * The answer to a compatibility test: whether the schema may be registered and, when it may not,
 * Avro's reasons in Confluent's verbose message format.
 */
public record CompatibilityReport(boolean compatible, List<String> messages) {
    public CompatibilityReport {
        messages = List.copyOf(messages);
    }
}
