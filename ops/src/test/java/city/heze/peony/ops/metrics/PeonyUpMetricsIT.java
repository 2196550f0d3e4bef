package city.heze.peony.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.ops.PeonyProcess;
import city.heze.peony.ops.metrics.DashboardMetricsCheck.MetricUse;
import city.heze.peony.testkit.RequiresCommands;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    /**
     * Simulated traffic (a fixed seed) and the planted share application must make every labelled
     * meter appear (rejections, share outcomes, ...); sized for a loaded 2-core machine.
     */
    private static final Duration TRAFFIC = Duration.ofMinutes(3);
    /** A command such as {@code peony share request} starts a JVM: slow on a loaded machine. */
    private static final Duration COMMAND = Duration.ofMinutes(2);
    /** The planted application's provider (the catalog mz.social-assistance is mz's). */
    private static final String PLANTED_PROVIDER = "mz";

    @TempDir
    Path dataDir;

    @TempDir
    Path prometheusDir;

    @Test
    void everyMetricTheDashboardsAndRulesUseIsInTheScrapeOfTheRunningStack() throws Exception {
        DashboardMetricsCheck check = DashboardMetricsCheck.forOpsDirectory(DashboardMetricsCheck.opsDirectory());
        try (PeonyProcess peony =
                PeonyProcess.up(dataDir, "--simulate", "--simulate-seed", "7", "--simulate-applications", "20")) {
            String up = peony.awaitLine("Peony is up:", START);
            String metricsUrl = PeonyProcess.fields(up).get("metrics");
            assertThat(metricsUrl)
                    .as("the up line names the metrics URL: %s", up)
                    .isNotNull()
                    .matches("http://[^/]+/metrics");
            plantTimelyApplication(PeonyProcess.fields(up), peony);

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
                // The planted application makes the provider's rate known (a provider with nothing due has NaN).
                double timely = prometheus.awaitValue(
                        "peony_share_timely_ratio{provider=\"" + PLANTED_PROVIDER + "\"} >= 0",
                        v -> v > 0 && v <= 1,
                        Duration.ofMinutes(2));
                assertThat(timely).isBetween(0.0, 1.0);
                assertThat(prometheus.awaitValue("min(peony_streams_running)", v -> v == 1, Duration.ofMinutes(1)))
                        .isEqualTo(1);
            }

            assertThat(peony.terminate(Duration.ofSeconds(30)))
                    .as(peony.transcript())
                    .isZero();
        }
    }

    /**
     * A known input instead of chance: an application to mz submitted 20 days ago and approved the
     * next day. Its deadline (5 working days, at most a holiday week later) falls in the last 30
     * days and it was answered in time, so mz's 30-day timely-share rate is a number above 0.
     */
    private static void plantTimelyApplication(Map<String, String> up, PeonyProcess peony) throws Exception {
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        String[] cluster = {
            "--bootstrap-servers", up.get("bootstrap.servers"), "--registry-url", up.get("schema.registry.url")
        };
        command(
                peony,
                cluster,
                "share",
                "request",
                "--from",
                "rs",
                "--catalog",
                "mz.social-assistance",
                "--purpose",
                "低保家庭经济状况核对",
                "--submitted-at",
                today.minusDays(20) + "T10:00",
                "--id",
                "IT-PLANTED-TIMELY");
        command(
                peony,
                cluster,
                "share",
                "decide",
                "IT-PLANTED-TIMELY",
                "--approve",
                "--decided-at",
                today.minusDays(19) + "T10:00",
                "--by",
                PLANTED_PROVIDER);
    }

    private static void command(PeonyProcess stack, String[] cluster, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(cluster));
        PeonyProcess.runSucceeding(stack, COMMAND, all);
    }
}
