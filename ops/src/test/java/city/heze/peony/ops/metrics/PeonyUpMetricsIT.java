package city.heze.peony.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.ops.PeonyProcess;
import city.heze.peony.ops.metrics.DashboardMetricsCheck.MetricUse;
import city.heze.peony.testkit.RequiresCommands;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./peony up --simulate} as a user runs it: every metric the Grafana dashboards and the
 * alert rules read appears in the running stack's {@code /metrics} (the URL the {@code Peony is
 * up} line prints as {@code metrics=}), {@code /-/healthy} turns 200, and a real Prometheus
 * scraping the stack answers the timely-share ratio. No panel is empty and no alert silent
 * because of a renamed meter.
 */
@RequiresCommands(value = "prometheus", install = "apt-get install prometheus")
class PeonyUpMetricsIT {
    private static final Duration START = Duration.ofMinutes(3);
    /** Simulated traffic must make every labelled meter appear (rejections, share outcomes, ...). */
    private static final Duration TRAFFIC = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;

    @TempDir
    Path prometheusDir;

    @Test
    void everyMetricTheDashboardsAndRulesUseIsInTheScrapeOfTheRunningStack() throws Exception {
        DashboardMetricsCheck check = DashboardMetricsCheck.forOpsDirectory(DashboardMetricsCheck.opsDirectory());
        try (PeonyProcess peony = PeonyProcess.start(
                "up",
                "--data-dir",
                dataDir.toString(),
                "--kafka-port",
                "0",
                "--registry-port",
                "0",
                "--metrics-port",
                "0",
                "--simulate",
                // Enough applications that some deadlines fall in the last 30 days within the test.
                "--simulate-applications",
                "20")) {
            String up = peony.awaitLine("Peony is up:", START);
            String metricsUrl = PeonyProcess.fields(up).get("metrics");
            assertThat(metricsUrl)
                    .as("the up line names the metrics URL: %s", up)
                    .isNotNull()
                    .matches("http://[^/]+/metrics");

            List<MetricUse> missing = List.of();
            String scrape = "";
            long deadline = System.nanoTime() + TRAFFIC.toNanos();
            do {
                HttpResponse<String> response;
                try {
                    response = MetricsServerTest.get(metricsUrl);
                } catch (java.io.IOException e) {
                    // A loaded machine may refuse a connection now and then; the deadline still holds.
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError(
                                "cannot scrape " + metricsUrl + ": " + e + "; transcript:\n" + peony.transcript(), e);
                    }
                    TimeUnit.SECONDS.sleep(1);
                    continue;
                }
                assertThat(response.statusCode()).isEqualTo(200);
                scrape = response.body();
                missing = check.missingFrom(scrape);
                if (missing.isEmpty()) {
                    break;
                }
                TimeUnit.SECONDS.sleep(1);
            } while (System.nanoTime() < deadline);
            assertThat(missing)
                    .as(
                            "%s%nafter %s of simulated traffic; transcript:%n%s",
                            DashboardMetricsCheck.report(missing), TRAFFIC, peony.transcript())
                    .isEmpty();

            String healthUrl = metricsUrl.replace(MetricsServer.METRICS_PATH, MetricsServer.HEALTH_PATH);
            HttpResponse<String> health = MetricsServerTest.get(healthUrl);
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);

            String target =
                    metricsUrl.substring("http://".length(), metricsUrl.length() - MetricsServer.METRICS_PATH.length());
            try (PrometheusServer prometheus = PrometheusServer.start(prometheusDir, target)) {
                // A provider with nothing due has no rate (NaN); `>= 0` keeps the providers that have one.
                double timely = prometheus.awaitValue(
                        "min(peony_share_timely_ratio >= 0)", v -> v >= 0 && v <= 1, Duration.ofSeconds(60));
                assertThat(timely).isBetween(0.0, 1.0);
                assertThat(prometheus.awaitValue("min(peony_streams_running)", v -> v == 1, Duration.ofSeconds(30)))
                        .isEqualTo(1);
            }

            assertThat(peony.terminate(Duration.ofSeconds(30)))
                    .as(peony.transcript())
                    .isZero();
        }
    }
}
