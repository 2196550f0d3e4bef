package city.heze.peony.schemas.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Builds a {@link SchemaRegistryClient} from Confluent's config names, so that the same {@code
 * Properties} configure Peony's serdes, Confluent's and any other Confluent-compatible client.
 *
 * <p>{@code schema.registry.url} is a comma-separated list of {@code http(s)://} URLs, or one
 * {@code local://NAME} (or {@code mock://NAME}) naming an in-process registry shared in this JVM.
 * Every other key is also read with the {@code schema.registry.} prefix, which Confluent's serdes
 * accept too.
 */
public final class SchemaRegistryClients {
    public static final String URL_CONFIG = "schema.registry.url";
    /** {@code URL} (credentials in the URL's user-info, the default) or {@code USER_INFO}. */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    /** {@code user:password}, used when the source is {@code USER_INFO}. */
    public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
    /** Retries of a call that may safely repeat (default 3). */
    public static final String MAX_RETRIES_CONFIG = "max.retries";
    /** First wait between retries, doubled each time (default 100 ms). */
    public static final String RETRIES_WAIT_MS_CONFIG = "retries.wait.ms";
    /** Longest wait between retries (default 2000 ms). */
    public static final String RETRIES_MAX_WAIT_MS_CONFIG = "retries.max.wait.ms";

    public static final String HTTP_CONNECT_TIMEOUT_MS_CONFIG = "http.connect.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS_CONFIG = "http.read.timeout.ms";

    private static final String PREFIX = "schema.registry.";

    private SchemaRegistryClients() {}

    /** A client for one URL (or {@code local://NAME}) with default settings. */
    public static SchemaRegistryClient forUrl(String url) {
        return fromConfig(Map.of(URL_CONFIG, url));
    }

    /**
     * A client configured by Confluent's names.
     *
     * @throws ConfigException naming the key when a value is missing or wrong
     */
    public static SchemaRegistryClient fromConfig(Map<String, ?> configs) {
        List<String> urls = urls(configs);
        if (urls.size() == 1 && InProcessRegistries.isLocalUrl(urls.get(0))) {
            return InProcessRegistries.client(urls.get(0));
        }
        return new HttpSchemaRegistryClient(settings(configs, urls));
    }

    static HttpSchemaRegistryClient.Settings settings(Map<String, ?> configs, List<String> urls) {
        List<URI> uris = new ArrayList<>();
        String userInfoFromUrl = null;
        for (String url : urls) {
            if (InProcessRegistries.isLocalUrl(url)) {
                throw new ConfigException(URL_CONFIG, url, "an in-process registry cannot be mixed with other URLs");
            }
            URI uri = parseUrl(url);
            if (uri.getRawUserInfo() != null) {
                userInfoFromUrl = uri.getUserInfo();
            }
            uris.add(withoutUserInfo(uri));
        }
        String source = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG)
                .orElse("URL")
                .toUpperCase(Locale.ROOT);
        Optional<String> userInfo;
        switch (source) {
            case "URL" -> userInfo = Optional.ofNullable(userInfoFromUrl);
            case "USER_INFO" -> {
                userInfo = string(configs, BASIC_AUTH_USER_INFO_CONFIG);
                if (userInfo.isEmpty() || !userInfo.get().contains(":")) {
                    throw new ConfigException(
                            BASIC_AUTH_USER_INFO_CONFIG,
                            userInfo.isEmpty() ? null : "(hidden)",
                            "must be user:password when " + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + "=USER_INFO");
                }
            }
            default ->
                throw new ConfigException(
                        BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, source, "Peony supports URL and USER_INFO");
        }
        return new HttpSchemaRegistryClient.Settings(
                uris,
                userInfo,
                integer(configs, MAX_RETRIES_CONFIG, 3),
                Duration.ofMillis(integer(configs, RETRIES_WAIT_MS_CONFIG, 100)),
                Duration.ofMillis(integer(configs, RETRIES_MAX_WAIT_MS_CONFIG, 2000)),
                Duration.ofMillis(integer(configs, HTTP_CONNECT_TIMEOUT_MS_CONFIG, 10_000)),
                Duration.ofMillis(integer(configs, HTTP_READ_TIMEOUT_MS_CONFIG, 30_000)));
    }

    /** The URLs of {@code schema.registry.url}, a comma-separated string or a list. */
    static List<String> urls(Map<String, ?> configs) {
        Object value = configs.get(URL_CONFIG);
        List<String> urls = new ArrayList<>();
        if (value instanceof Collection<?> list) {
            list.forEach(item -> urls.add(String.valueOf(item).trim()));
        } else if (value != null) {
            for (String part : String.valueOf(value).split(",")) {
                if (!part.isBlank()) {
                    urls.add(part.trim());
                }
            }
        }
        if (urls.isEmpty()) {
            throw new ConfigException(
                    URL_CONFIG, value, "a schema registry URL is required, e.g. http://127.0.0.1:8081");
        }
        return urls;
    }

    private static URI parseUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new ConfigException(URL_CONFIG, redacted(url), "expected http://host:port or https://host:port");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(URL_CONFIG, redacted(url), "not a URL: " + e.getReason());
        }
    }

    private static URI withoutUserInfo(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new ConfigException(URL_CONFIG, uri.getHost(), e.getReason());
        }
    }

    private static String redacted(String url) {
        return url.replaceAll("//[^/@]*@", "//***@");
    }

    private static Optional<String> string(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null) {
            value = configs.get(PREFIX + key);
        }
        return value == null || String.valueOf(value).isBlank()
                ? Optional.empty()
                : Optional.of(String.valueOf(value).trim());
    }

    private static int integer(Map<String, ?> configs, String key, int defaultValue) {
        Optional<String> text = string(configs, key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value < 0) {
                throw new ConfigException(key, text.get(), "must not be negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, text.get(), "expected a whole number");
        }
    }
}
