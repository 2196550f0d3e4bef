package city.heze.peony.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.ops.UserException;
import io.micrometer.core.instrument.Counter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesPeonyAndJvmMetersInPrometheusTextFormat() throws Exception {
        try (MetricsServer metrics = MetricsServer.start(0)) {
            Counter received = Counter.builder(PeonyMeters.RECORDS_RECEIVED)
                    .tags("department", "mz", "catalog", "mz.social-assistance")
                    .register(metrics.registry());
            received.increment(3);

            assertThat(metrics.url()).isEqualTo("http://127.0.0.1:" + metrics.port() + "/metrics");
            HttpResponse<String> scrape = get(metrics.url());

            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
            assertThat(scrape.body())
                    .contains("peony_records_received_total{catalog=\"mz.social-assistance\",department=\"mz\"} 3.0")
                    .contains("# TYPE peony_records_received_total counter")
                    .contains("jvm_memory_used_bytes{")
                    .contains("jvm_gc_")
                    .contains("jvm_threads_live_threads")
                    .contains("jvm_classes_loaded_classes")
                    .contains("system_cpu_count")
                    .contains("process_uptime_seconds");
        }
    }

    @Test
    void servesOpenMetricsWhenPrometheusAsksForIt() throws Exception {
        try (MetricsServer metrics = MetricsServer.start(0)) {
            Counter.builder(PeonyMeters.SHARE_OUTCOMES)
                    .tags("provider", "rs", "status", "TIMELY")
                    .register(metrics.registry())
                    .increment();
            HttpResponse<String> scrape = HTTP.send(
                    HttpRequest.newBuilder(URI.create(metrics.url()))
                            .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(scrape.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text"));
            assertThat(scrape.body())
                    .contains("peony_share_outcomes_total{provider=\"rs\",status=\"TIMELY\"} 1.0")
                    .endsWith("# EOF\n");
        }
    }

    @Test
    void healthyFlipsWithTheHealthChecksAndNamesWhatIsNotReady() throws Exception {
        try (MetricsServer metrics = MetricsServer.start(0)) {
            HttpResponse<String> noChecks = get(metrics.healthUrl());
            assertThat(noChecks.statusCode()).isEqualTo(200);

            AtomicBoolean streamsRunning = new AtomicBoolean(false);
            metrics.addHealthCheck("broker", () -> true);
            metrics.addHealthCheck("streams", streamsRunning::get);

            HttpResponse<String> notReady = get(metrics.healthUrl());
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo("not ready: streams\n");

            streamsRunning.set(true);
            HttpResponse<String> ready = get(metrics.healthUrl());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("ready: broker, streams up\n");

            streamsRunning.set(false);
            assertThat(get(metrics.healthUrl()).statusCode()).isEqualTo(503);
        }
    }

    @Test
    void aHealthCheckThatThrowsIsDownWithItsReason() throws Exception {
        try (MetricsServer metrics = MetricsServer.start(0)) {
            metrics.addHealthCheck("registry", () -> {
                throw new IllegalStateException("connection refused");
            });
            HttpResponse<String> health = get(metrics.healthUrl());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).isEqualTo("not ready: registry (IllegalStateException: connection refused)\n");
        }
    }

    @Test
    void aHealthCheckNameIsUsedOnce() {
        try (MetricsServer metrics = MetricsServer.start(0)) {
            metrics.addHealthCheck("streams", () -> true);
            assertThatThrownBy(() -> metrics.addHealthCheck("streams", () -> false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'streams'");
        }
    }

    @Test
    void otherPathsAre404() throws Exception {
        try (MetricsServer metrics = MetricsServer.start(0)) {
            HttpResponse<String> root = get("http://127.0.0.1:" + metrics.port() + "/");
            assertThat(root.statusCode()).isEqualTo(404);
            assertThat(root.body()).contains("/metrics").contains("/-/healthy");
        }
    }

    @Test
    void aPortInUseIsAUserErrorNamingThePortAndTheOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> MetricsServer.start(port))
                    .isInstanceOf(UserException.class)
                    .hasMessage(
                            "--metrics-port " + port + ": port " + port
                                    + " on 127.0.0.1 is already in use; choose another port with --metrics-port (0 picks a free one)")
                    .satisfies(e -> assertThat(((UserException) e).exitCode()).isEqualTo(UserException.USAGE));
        }
    }

    @Test
    void aPortOutOfRangeIsAUserError() {
        assertThatThrownBy(() -> MetricsServer.start(70000))
                .isInstanceOf(UserException.class)
                .hasMessage("--metrics-port 70000 is not a port number (0..65535)");
    }

    @Test
    void closeFreesThePortAndIsIdempotent() throws Exception {
        MetricsServer first = MetricsServer.start(0);
        int port = first.port();
        first.close();
        first.close();
        try (MetricsServer again = MetricsServer.start(port)) {
            assertThat(get(again.url()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theOptionDefaultsTo9464() {
        MetricsOptions options = new MetricsOptions();
        new picocli.CommandLine(new Probe(options)).parseArgs();
        if (System.getenv("PEONY_METRICS_PORT") == null) {
            assertThat(options.metricsPort()).isEqualTo(9464);
        }
        new picocli.CommandLine(new Probe(options)).parseArgs("--metrics-port", "0");
        assertThat(options.metricsPort()).isZero();
    }

    @picocli.CommandLine.Command(name = "probe")
    static final class Probe implements Runnable {
        @picocli.CommandLine.Mixin
        final MetricsOptions metrics;

        Probe(MetricsOptions metrics) {
            this.metrics = metrics;
        }

        @Override
        public void run() {}
    }
}
