package city.heze.peony.registry;

import city.heze.peony.schemas.registry.InProcessRegistries;
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
    public static final String LOCAL_SCHEME = InProcessRegistries.LOCAL_SCHEME;
    /** Confluent's scheme for its mock registry, accepted so that existing test configs keep working. */
    public static final String MOCK_SCHEME = InProcessRegistries.MOCK_SCHEME;

    private static final Map<String, SchemaRegistry> REGISTRIES = new ConcurrentHashMap<>();

    private LocalSchemaRegistries() {}

    /** Whether a {@code schema.registry.url} names an in-process registry. */
    public static boolean isLocalUrl(String url) {
        return InProcessRegistries.isLocalUrl(url);
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
        return InProcessRegistries.nameOf(url);
    }
}
