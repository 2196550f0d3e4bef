package city.heze.peony.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryRequestTimerTest {

    @ParameterizedTest
    @CsvSource({
        "'', /",
        "/, /",
        "/subjects, /subjects",
        "/subjects/, /subjects",
        "/subjects/raw.mz.social-assistance-value, /subjects/{subject}",
        "/subjects/raw.mz.social-assistance-value/versions, /subjects/{subject}/versions",
        "/subjects/raw.mz.social-assistance-value/versions/latest, /subjects/{subject}/versions/{version}",
        "/subjects/s/versions/3/schema, /subjects/{subject}/versions/{version}/schema",
        "/subjects/s/versions/3/referencedby, /subjects/{subject}/versions/{version}/referencedby",
        "/subjects/s/versions/3/other, other",
        "/subjects/s/nonsense, other",
        "/schemas, /schemas",
        "/schemas/types, /schemas/types",
        "/schemas/ids/17, /schemas/ids/{id}",
        "/schemas/ids/17/schema, /schemas/ids/{id}/schema",
        "/schemas/ids/17/subjects, /schemas/ids/{id}/subjects",
        "/schemas/ids/17/versions, /schemas/ids/{id}/versions",
        "/schemas/ids/17/x, other",
        "/config, /config",
        "/config/s, /config/{subject}",
        "/mode/s, /mode/{subject}",
        "/compatibility/subjects/s/versions/latest, /compatibility/subjects/{subject}/versions/{version}",
        "/compatibility/subjects/s/versions, /compatibility/subjects/{subject}/versions",
        "/compatibility/s, other",
        "/admin/../etc/passwd, other"
    })
    void pathsBecomeRouteTemplates(String path, String endpoint) {
        assertThat(RegistryRequestTimer.endpoint(path)).isEqualTo(endpoint);
    }

    @Test
    void methodsOutsideTheApiAreOther() {
        assertThat(RegistryRequestTimer.method("get")).isEqualTo("GET");
        assertThat(RegistryRequestTimer.method("PATCH")).isEqualTo("OTHER");
        assertThat(RegistryRequestTimer.method("BREW")).isEqualTo("OTHER");
    }

    @Test
    void timesEveryRequestByMethodEndpointAndStatusAsAJdkFilter() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", exchange -> {
                    try (exchange) {
                        boolean known = exchange.getRequestURI().getPath().startsWith("/subjects");
                        byte[] body = (known ? "[]" : "{\"error_code\":404}").getBytes(StandardCharsets.UTF_8);
                        exchange.sendResponseHeaders(known ? 200 : 404, body.length);
                        exchange.getResponseBody().write(body);
                    }
                })
                .getFilters()
                .add(new RegistryRequestTimer(registry));
        server.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            for (String path : new String[] {"/subjects/a-value/versions/1", "/subjects/b-value/versions/2", "/nope"}) {
                http.send(
                        HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        } finally {
            server.stop(0);
        }

        Timer versions = registry.get(PeonyMeters.REGISTRY_REQUESTS)
                .tags("method", "GET", "endpoint", "/subjects/{subject}/versions/{version}", "status", "200")
                .timer();
        assertThat(versions.count()).isEqualTo(2);
        assertThat(versions.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        Timer notFound = registry.get(PeonyMeters.REGISTRY_REQUESTS)
                .tags("method", "GET", "endpoint", "other", "status", "404")
                .timer();
        assertThat(notFound.count()).isEqualTo(1);
        assertThat(registry.find(PeonyMeters.REGISTRY_REQUESTS).timers()).hasSize(2);
    }

    @Test
    void rendersAsAPrometheusHistogramWithFewBuckets() {
        try (MetricsServer metrics = MetricsServer.start(0)) {
            RegistryRequestTimer timer = new RegistryRequestTimer(metrics.registry());
            timer.record("POST", "/subjects/raw.mz.social-assistance-value/versions", 200, 3_000_000);
            String scrape = metrics.scrape();
            assertThat(scrape)
                    .contains("peony_registry_requests_seconds_count{endpoint=\"/subjects/{subject}/versions\","
                            + "method=\"POST\",status=\"200\"} 1")
                    .contains("peony_registry_requests_seconds_bucket{endpoint=\"/subjects/{subject}/versions\","
                            + "method=\"POST\",status=\"200\",le=\"0.005\"} 1")
                    .contains("peony_registry_requests_seconds_sum{")
                    .contains("peony_registry_requests_seconds_max{");
            long buckets = scrape.lines()
                    .filter(l -> l.startsWith("peony_registry_requests_seconds_bucket"))
                    .count();
            assertThat(buckets).isEqualTo(10); // nine bounds and +Inf
        }
    }
}
