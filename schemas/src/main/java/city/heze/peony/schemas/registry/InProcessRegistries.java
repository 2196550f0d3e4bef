package city.heze.peony.schemas.registry;

import java.util.Locale;
import java.util.ServiceLoader;
import org.apache.kafka.common.config.ConfigException;

/**
 * Clients of registries in this JVM, named by {@code schema.registry.url=local://NAME} (or {@code
 * mock://NAME}, the scheme Confluent's test registry uses).
 *
 * <p>The registry itself lives in the peony-registry module, which this module cannot depend on
 * (peony-registry depends on it). peony-registry provides the clients through {@link
 * ServiceLoader}, so tests that put it on their classpath get {@code local://} while production
 * jars of producers and streams carry no registry server.
 */
public interface InProcessRegistries {
    /** Peony's scheme for a named in-process registry. */
    String LOCAL_SCHEME = "local://";
    /** Confluent's scheme for its mock registry, accepted so that existing test configs keep working. */
    String MOCK_SCHEME = "mock://";

    /** A client of the in-process registry called {@code name}, created on first use. */
    SchemaRegistryClient clientOf(String name, String url);

    /** Whether a {@code schema.registry.url} names an in-process registry. */
    static boolean isLocalUrl(String url) {
        String lower = url.trim().toLowerCase(Locale.ROOT);
        return lower.startsWith(LOCAL_SCHEME) || lower.startsWith(MOCK_SCHEME);
    }

    /** The name in a {@code local://NAME} or {@code mock://NAME} URL. */
    static String nameOf(String url) {
        String trimmed = url.trim();
        String name = trimmed.substring(trimmed.indexOf("://") + 3);
        if (name.isEmpty() || name.contains(",")) {
            throw new IllegalArgumentException(
                    "schema.registry.url '" + url + "' must name one in-process registry, e.g. local://my-test");
        }
        return name;
    }

    /**
     * A client of the in-process registry a {@code local://NAME} URL names.
     *
     * @throws ConfigException when peony-registry is not on the classpath
     */
    static SchemaRegistryClient client(String url) {
        String name = nameOf(url);
        return ServiceLoader.load(InProcessRegistries.class, InProcessRegistries.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new ConfigException(
                        SchemaRegistryClients.URL_CONFIG,
                        url,
                        "an in-process registry needs the peony-registry module on the classpath"))
                .clientOf(name, url.trim());
    }
}
