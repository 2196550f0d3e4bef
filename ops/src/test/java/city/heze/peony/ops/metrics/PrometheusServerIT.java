package city.heze.peony.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.testkit.RequiresCommands;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus, run with Peony's {@code prometheus.yml} and rule files, scrapes a
 * {@link MetricsServer}: the configuration and every rule file load, the samples arrive under the
 * names the rules use, and an alert rule goes pending on Micrometer's real output.
 */
@RequiresCommands(value = "prometheus", install = "apt-get install prometheus")
class PrometheusServerIT {
    private static final Duration WAIT = Duration.ofMinutes(2); // a loaded 2-core machine

    @TempDir
    Path workDir;

    @Test
    void scrapesPeonyAndEvaluatesItsAlertRules() throws Exception {
        try (MetricsServer metrics = MetricsServer.start(0)) {
            AtomicReference<Double> timely = new AtomicReference<>(0.97);
            Gauge.builder(PeonyMeters.SHARE_TIMELY_RATIO, timely, AtomicReference::get)
                    .tag("provider", "mz")
                    .register(metrics.registry());
            Counter received = Counter.builder(PeonyMeters.RECORDS_RECEIVED)
                    .tags("department", "mz", "catalog", "mz.social-assistance")
                    .register(metrics.registry());
            received.increment(42);

            try (PrometheusServer prometheus = PrometheusServer.start(workDir, "127.0.0.1:" + metrics.port())) {
                assertThat(prometheus.awaitValue("up{job=\"peony\"}", v -> v == 1, WAIT))
                        .as(prometheus.log())
                        .isEqualTo(1);
                assertThat(prometheus.awaitValue("peony_share_timely_ratio{provider=\"mz\"}", WAIT))
                        .isEqualTo(0.97);
                assertThat(prometheus.awaitValue(
                                "peony_records_received_total{department=\"mz\",catalog=\"mz.social-assistance\"}",
                                WAIT))
                        .isEqualTo(42);

                // Every alert of every rule file is loaded, and the timely-share one sees 97 % < 99 %.
                List<String> loaded = new ArrayList<>();
                for (JsonNode group : prometheus.api("/api/v1/rules").path("groups")) {
                    for (JsonNode rule : group.path("rules")) {
                        assertThat(rule.path("health").asText())
                                .as("rule %s: %s", rule.path("name"), rule.path("lastError"))
                                .isNotEqualTo("err");
                        loaded.add(rule.path("name").asText());
                    }
                }
                assertThat(loaded).containsExactlyInAnyOrderElementsOf(alertNamesInRuleFiles());
                assertThat(prometheus.awaitValue(
                                "ALERTS{alertname=\"PeonyTimelyShareRateLow\",alertstate=\"pending\",provider=\"mz\"}",
                                WAIT))
                        .isEqualTo(1);

                timely.set(0.995);
                assertThat(prometheus.awaitValue("peony_share_timely_ratio{provider=\"mz\"}", v -> v == 0.995, WAIT))
                        .isEqualTo(0.995);
                assertThat(prometheus.awaitValue(
                                "count(ALERTS{alertname=\"PeonyTimelyShareRateLow\"}) or vector(0)", v -> v == 0, WAIT))
                        .isZero();
            }
        }
    }

    @Test
    void aMissingPrometheusFailsSayingWhereItComesFrom() {
        assertThatThrownBy(() -> PrometheusServer.requireBinary(workDir.resolve("no-prometheus")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no-prometheus is missing")
                .hasMessageContaining(".ci/run installs it");
    }

    private static List<String> alertNamesInRuleFiles() throws Exception {
        List<String> names = new ArrayList<>();
        YAMLMapper yaml = new YAMLMapper();
        try (Stream<Path> files =
                Files.list(DashboardMetricsCheck.opsDirectory().resolve("prometheus/rules"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".rules.yml")).toList()) {
                for (JsonNode group : yaml.readTree(file.toFile()).path("groups")) {
                    for (JsonNode rule : group.path("rules")) {
                        names.add(
                                rule.has("alert")
                                        ? rule.path("alert").asText()
                                        : rule.path("record").asText());
                    }
                }
            }
        }
        return names;
    }
}
