package city.heze.peony.ops.metrics;

import city.heze.peony.ops.UserException;
import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /metrics} endpoint of a long-running Peony process: a Micrometer
 * {@link PrometheusMeterRegistry} with the JVM binders, served by the Prometheus client's
 * {@link HTTPServer} at {@code /metrics} (Prometheus text or OpenMetrics, as the scraper asks)
 * beside a readiness endpoint {@code /-/healthy} that answers 200 only when every registered health
 * check is up and 503 naming the ones that are not.
 *
 * <pre>{@code
 * try (MetricsServer metrics = MetricsServer.start(9464)) {
 *     metrics.bindKafkaStreams(streams, "peony-validation");
 *     metrics.addHealthCheck("streams", HealthChecks.streamsRunning(streams));
 *     new SomeTopology(metrics.registry());
 * }
 * }</pre>
 *
 * Binders of Kafka clients keep a refresh thread each; {@link #close()} stops them before the
 * registry, and stops serving first so that no scrape sees a half-closed registry.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

    /** The port Prometheus' exporter convention and {@code ops/prometheus/prometheus.yml} use. */
    public static final int DEFAULT_PORT = 9464;

    public static final String METRICS_PATH = "/metrics";
    public static final String HEALTH_PATH = "/-/healthy";

    private final PrometheusMeterRegistry registry;
    private final HTTPServer server;
    private final String baseUrl;
    private final Map<String, Supplier<Boolean>> healthChecks = new ConcurrentHashMap<>();
    private final List<String> healthCheckOrder = new CopyOnWriteArrayList<>();
    /** Binders holding threads or listeners, closed in reverse order of binding. */
    private final Deque<AutoCloseable> binders = new ArrayDeque<>();

    private boolean closed;

    private MetricsServer(PrometheusMeterRegistry registry, HTTPServer server, String advertisedHost) {
        this.registry = registry;
        this.server = server;
        this.baseUrl = "http://" + advertisedHost + ":" + server.getPort();
    }

    /** Serves on 127.0.0.1:{@code port} ({@code 0} picks a free port), without common tags. */
    public static MetricsServer start(int port) {
        return builder().port(port).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where to listen and which tags every meter carries. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private final List<Tag> commonTags = new ArrayList<>();

        private Builder() {}

        /** The address to listen on; default 127.0.0.1 (0.0.0.0 lets a remote Prometheus scrape). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port; default 9464, 0 picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * A tag every meter carries, such as {@code instance_role=up}. Keep it of bounded
         * cardinality, and do not use a label name Peony's meters already use (application,
         * department, catalog, ...).
         */
        public Builder commonTag(String key, String value) {
            commonTags.add(Tag.of(key, value));
            return this;
        }

        /**
         * Binds the JVM meters and starts serving.
         *
         * @throws UserException when the port is out of range or already in use
         */
        public MetricsServer start() {
            if (port < 0 || port > 65535) {
                throw new UserException("--metrics-port " + port + " is not a port number (0..65535)");
            }
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.config().commonTags(commonTags);
            HealthHandler health = new HealthHandler();
            HTTPServer server;
            try {
                server = HTTPServer.builder()
                        .hostname(host)
                        .port(port)
                        .registry(registry.getPrometheusRegistry())
                        .metricsHandlerPath(METRICS_PATH)
                        // The client's own /-/healthy always says 200; ours asks the health checks.
                        .registerHealthHandler(false)
                        .defaultHandler(health::handle)
                        .buildAndStart();
            } catch (BindException e) {
                registry.close();
                throw new UserException(
                        "--metrics-port " + port + ": port " + port + " on " + host
                                + " is already in use; choose another port with --metrics-port (0 picks a free one)",
                        UserException.USAGE,
                        e);
            } catch (IOException e) {
                registry.close();
                throw new UserException(
                        "--metrics-port " + port + ": cannot serve metrics on " + host + ":" + port + ": " + e,
                        UserException.USAGE,
                        e);
            }
            String advertised = host.equals("0.0.0.0") ? "127.0.0.1" : host;
            MetricsServer metrics = new MetricsServer(registry, server, advertised);
            health.owner = metrics;
            metrics.bindJvm();
            log.info("Metrics served at {} (readiness at {})", metrics.url(), metrics.healthUrl());
            return metrics;
        }
    }

    private void bindJvm() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        binders.push(gc);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** The registry every Peony meter of this process goes to. */
    public MeterRegistry registry() {
        return registry;
    }

    /** {@code http://host:port/metrics}, what the {@code Peony is up} line prints as {@code metrics=}. */
    public String url() {
        return baseUrl + METRICS_PATH;
    }

    /** {@code http://host:port/-/healthy}. */
    public String healthUrl() {
        return baseUrl + HEALTH_PATH;
    }

    public int port() {
        return server.getPort();
    }

    /**
     * Adds a readiness condition: {@code /-/healthy} answers 200 only while every check returns
     * true. A check runs on each readiness request, so it must answer quickly (see
     * {@link HealthChecks} for ones with timeouts); one that throws counts as down.
     */
    public void addHealthCheck(String name, Supplier<Boolean> check) {
        Objects.requireNonNull(check, "check");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a health check needs a name");
        }
        if (healthChecks.putIfAbsent(name, check) != null) {
            throw new IllegalArgumentException("there is already a health check named '" + name + "'");
        }
        healthCheckOrder.add(name);
    }

    /**
     * Binds Kafka Streams' own metrics ({@code kafka_stream_*} and those of its embedded clients,
     * {@code kafka_consumer_*}, {@code kafka_producer_*}, {@code kafka_admin_client_*}) and Peony's
     * state gauges {@code peony.streams.running} and {@code peony.streams.state}, tagged with
     * {@code application}.
     */
    public void bindKafkaStreams(KafkaStreams streams, String applicationId) {
        KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams);
        binder.bindTo(registry);
        synchronized (binders) {
            binders.push(binder);
        }
        StreamsStateGauges.register(registry, streams, applicationId);
    }

    /** The same, reading the application id from the streams client's own metrics. */
    public void bindKafkaStreams(KafkaStreams streams) {
        bindKafkaStreams(streams, applicationIdOf(streams));
    }

    static String applicationIdOf(KafkaStreams streams) {
        for (Map.Entry<MetricName, ? extends Metric> metric : streams.metrics().entrySet()) {
            MetricName name = metric.getKey();
            if (name.group().equals("stream-metrics") && name.name().equals("application-id")) {
                return String.valueOf(metric.getValue().metricValue());
            }
        }
        throw new IllegalArgumentException("this KafkaStreams has no application-id metric; pass the application id");
    }

    /** Binds a producer's client metrics ({@code kafka_producer_*}). */
    public void bindClient(Producer<?, ?> producer) {
        bind(new KafkaClientMetrics(producer));
    }

    /** Binds a consumer's client metrics ({@code kafka_consumer_*}, lag included). */
    public void bindClient(Consumer<?, ?> consumer) {
        bind(new KafkaClientMetrics(consumer));
    }

    /** Binds an admin client's metrics ({@code kafka_admin_client_*}). */
    public void bindClient(Admin admin) {
        if (!(admin instanceof AdminClient client)) {
            // Micrometer's binder takes the abstract class every Kafka admin client extends.
            throw new IllegalArgumentException(
                    "cannot bind metrics of " + admin.getClass().getName() + ": not an AdminClient");
        }
        bind(new KafkaClientMetrics(client));
    }

    private void bind(KafkaClientMetrics binder) {
        binder.bindTo(registry);
        synchronized (binders) {
            binders.push(binder);
        }
    }

    /** The text a scrape would return now (Prometheus text format 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    /** Stops serving, closes the binders (their refresh threads), then the registry. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.close();
        synchronized (binders) {
            while (!binders.isEmpty()) {
                AutoCloseable binder = binders.pop();
                try {
                    binder.close();
                } catch (Exception e) {
                    log.warn("error while closing {}: {}", binder.getClass().getSimpleName(), e.toString());
                }
            }
        }
        registry.close();
    }

    /** What {@code /-/healthy} says now: ready, or the names of the checks that are down. */
    HealthStatus health() {
        List<String> down = new ArrayList<>();
        for (String name : healthCheckOrder) {
            Supplier<Boolean> check = healthChecks.get(name);
            try {
                if (!Boolean.TRUE.equals(check.get())) {
                    down.add(name);
                }
            } catch (RuntimeException e) {
                down.add(name + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            }
        }
        return new HealthStatus(down, List.copyOf(healthCheckOrder));
    }

    /** The outcome of the health checks. */
    record HealthStatus(List<String> down, List<String> checked) {
        boolean ready() {
            return down.isEmpty();
        }

        String body() {
            if (ready()) {
                return checked.isEmpty() ? "ready\n" : "ready: " + String.join(", ", checked) + " up\n";
            }
            return "not ready: " + String.join(", ", down) + "\n";
        }
    }

    /** Answers {@code /-/healthy}, and 404 for every path but the metrics one. */
    private static final class HealthHandler {
        volatile MetricsServer owner;

        void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String method = exchange.getRequestMethod();
                int status;
                String body;
                if (!path.equals(HEALTH_PATH)) {
                    status = 404;
                    body = "not found: Peony serves " + METRICS_PATH + " and " + HEALTH_PATH + "\n";
                } else if (!method.equals("GET") && !method.equals("HEAD")) {
                    status = 405;
                    body = "method not allowed: use GET\n";
                } else if (owner == null) {
                    status = 503;
                    body = "not ready: starting\n";
                } else {
                    HealthStatus health = owner.health();
                    status = health.ready() ? 200 : 503;
                    body = health.body();
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                if (method.equals("HEAD")) {
                    exchange.sendResponseHeaders(status, -1);
                    return;
                }
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
