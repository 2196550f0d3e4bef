package city.heze.peony.ops.metrics;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Times the schema registry's HTTP requests as {@code peony.registry.requests} {method, endpoint,
 * status}: a JDK {@link Filter}, so it fits in front of the registry's {@code HttpHandler} without
 * the registry depending on Micrometer. The endpoint is the route template of Confluent's REST API
 * ({@code /subjects/{subject}/versions/{version}}), never the raw path, so that subjects and ids
 * do not multiply the series; a path outside the API counts as {@code other}.
 *
 * <p>The histogram has a few fixed buckets (5 ms .. 2.5 s) rather than Micrometer's 70-odd
 * percentile buckets: enough for {@code histogram_quantile} on a dashboard, cheap per series.
 */
public final class RegistryRequestTimer extends Filter {
    public static final String NAME = "peony.registry.requests";

    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500)
    };

    private final MeterRegistry registry;
    /** One timer per (method, endpoint, status), so a request does not rebuild a meter id. */
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

    public RegistryRequestTimer(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        long started = System.nanoTime();
        boolean failed = true;
        try {
            chain.doFilter(exchange);
            failed = false;
        } finally {
            int status = exchange.getResponseCode();
            record(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    failed && status < 0 ? 500 : status,
                    System.nanoTime() - started);
        }
    }

    @Override
    public String description() {
        return "times requests as " + NAME;
    }

    /**
     * Records one request; for a registry server that reports requests itself rather than taking
     * a filter. {@code status} below 0 means no response was sent.
     */
    public void record(String method, String rawPath, int status, long nanos) {
        String m = method(method);
        String endpoint = endpoint(rawPath);
        String s = status < 0 ? "none" : Integer.toString(status);
        timers.computeIfAbsent(
                        m + ' ' + endpoint + ' ' + s,
                        key -> Timer.builder(NAME)
                                .description("Schema registry HTTP requests by method, route template and status")
                                .tags("method", m, "endpoint", endpoint, "status", s)
                                .serviceLevelObjectives(BUCKETS)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    static String method(String method) {
        String upper = method == null ? "" : method.toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "GET", "POST", "PUT", "DELETE", "HEAD" -> upper;
            default -> "OTHER";
        };
    }

    /** The route template of a raw request path of Confluent's schema-registry API. */
    static String endpoint(String rawPath) {
        String[] s = segments(rawPath == null ? "" : rawPath);
        if (s.length == 0) {
            return "/";
        }
        switch (s[0]) {
            case "subjects":
                return subjects(s);
            case "schemas":
                return schemas(s);
            case "config":
            case "mode":
                return s.length == 1 ? "/" + s[0] : s.length == 2 ? "/" + s[0] + "/{subject}" : "other";
            case "compatibility":
                if (s.length >= 4 && s[1].equals("subjects") && s[3].equals("versions")) {
                    return s.length == 4
                            ? "/compatibility/subjects/{subject}/versions"
                            : s.length == 5 ? "/compatibility/subjects/{subject}/versions/{version}" : "other";
                }
                return "other";
            default:
                return "other";
        }
    }

    private static String subjects(String[] s) {
        switch (s.length) {
            case 1:
                return "/subjects";
            case 2:
                return "/subjects/{subject}";
            default:
                if (!s[2].equals("versions")) {
                    return "other";
                }
                if (s.length == 3) {
                    return "/subjects/{subject}/versions";
                }
                if (s.length == 4) {
                    return "/subjects/{subject}/versions/{version}";
                }
                if (s.length == 5 && (s[4].equals("schema") || s[4].equals("referencedby"))) {
                    return "/subjects/{subject}/versions/{version}/" + s[4];
                }
                return "other";
        }
    }

    private static String schemas(String[] s) {
        if (s.length == 1) {
            return "/schemas";
        }
        if (s.length == 2 && s[1].equals("types")) {
            return "/schemas/types";
        }
        if (s.length >= 3 && s[1].equals("ids")) {
            if (s.length == 3) {
                return "/schemas/ids/{id}";
            }
            if (s.length == 4 && (s[3].equals("schema") || s[3].equals("subjects") || s[3].equals("versions"))) {
                return "/schemas/ids/{id}/" + s[3];
            }
        }
        return "other";
    }

    private static String[] segments(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return start == end ? new String[0] : path.substring(start, end).split("/"); // one char: no regex
    }
}
