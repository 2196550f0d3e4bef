package city.heze.peony.schemas.registry;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named in-memory registries shared across this JVM, so that serdes Kafka Streams builds from
 * {@code Properties} find the registry a test registered its schemas in: {@code
 * schema.registry.url=local://NAME} (or {@code mock://NAME}, the scheme Confluent's test registry
 * uses) names one.
 */
public final class LocalSchemaRegistries {
    /** Peony's scheme for a named in-process registry. */
    public static final String LOCAL_SCHEME = "local://";
    /** Confluent's scheme for its mock registry, accepted so that existing test configs keep working. */
    public static final String MOCK_SCHEME = "mock://";

    private static final Map<String, SchemaRegistry> REGISTRIES = new ConcurrentHashMap<>();

    private LocalSchemaRegistries() {}

    /** Whether a {@code schema.registry.url} names an in-process registry. */
    public static boolean isLocalUrl(String url) {
        String lower = url.trim().toLowerCase(Locale.ROOT);
        return lower.startsWith(LOCAL_SCHEME) || lower.startsWith(MOCK_SCHEME);
    }

    /** The registry a {@code local://NAME} or {@code mock://NAME} URL names, created on first use. */
    public static SchemaRegistry forUrl(String url) {
        return named(nameOf(url));
    }

    /** The registry called {@code name}, created on first use. */
    public static SchemaRegistry named(String name) {
        return REGISTRIES.computeIfAbsent(name, n -> SchemaRegistry.inMemory());
    }

    /** A client of the registry called {@code name}. */
    public static InProcessSchemaRegistryClient client(String name) {
        return new InProcessSchemaRegistryClient(named(name), LOCAL_SCHEME + name);
    }

    /** Forgets the registry called {@code name}, so the next use starts empty (between tests). */
    public static void drop(String name) {
        SchemaRegistry removed = REGISTRIES.remove(name);
        if (removed != null) {
            removed.close();
        }
    }

    static String nameOf(String url) {
        String trimmed = url.trim();
        String name = trimmed.substring(trimmed.indexOf("://") + 3);
        if (name.isEmpty() || name.contains(",")) {
            throw new IllegalArgumentException(
                    "schema.registry.url '" + url + "' must name one in-process registry, e.g. local://my-test");
        }
        return name;
    }
}
