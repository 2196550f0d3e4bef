package city.heze.peony.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.ops.metrics.DashboardMetricsCheck.MetricUse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardMetricsCheckTest {

    // ---- PromQL names ----

    @Test
    void findsMetricNamesButNotFunctionsKeywordsOrLabels() {
        assertThat(
                        PromqlMetricNames.of(
                                "sum by (department, catalog) (rate(peony_records_rejected_total{kind=\"RULE_FAILED\"}[15m]))"
                                        + " > 0.05 * sum by (department, catalog) (rate(peony_records_received_total[15m] offset 1h))"))
                .containsExactly("peony_records_rejected_total", "peony_records_received_total");
        assertThat(
                        PromqlMetricNames.of(
                                "histogram_quantile(0.99, sum by (le) (rate(peony_registry_requests_seconds_bucket[$__rate_interval])))"))
                .containsExactly("peony_registry_requests_seconds_bucket");
        assertThat(PromqlMetricNames.of("up{job=\"peony\"} == 0 and on (instance) group_left (version) jvm_info"))
                .containsExactly("up", "jvm_info");
        assertThat(PromqlMetricNames.of(
                        "max by (client_id) (deriv(kafka_consumer_fetch_manager_records_lag_max[15m])) > 0"))
                .containsExactly("kafka_consumer_fetch_manager_records_lag_max");
        assertThat(PromqlMetricNames.of("sum without (instance) (peony:rejected:rate15m) unless count(x) bool > 1e3"))
                .containsExactly("peony:rejected:rate15m", "x");
    }

    @Test
    void skipsGrafanaVariablesStringsDurationsAndSubqueries() {
        assertThat(PromqlMetricNames.of("label_replace(peony_share_pending{provider=~\"$department\"}, \"dst\", \"$1\","
                        + " \"provider\", \"(.*)\")"))
                .containsExactly("peony_share_pending");
        assertThat(PromqlMetricNames.of("max_over_time(deriv(a_metric[5m])[1h:1m]) / ${factor} + $__range_s"))
                .containsExactly("a_metric");
        assertThat(PromqlMetricNames.of("topk(15, sum by (rule) (increase(peony_rule_failures_total[$__range])))"))
                .containsExactly("peony_rule_failures_total");
        assertThat(PromqlMetricNames.of("count(ALERTS{alertname=\"PeonyDown\"}) or vector(0)"))
                .containsExactly("ALERTS");
        assertThat(PromqlMetricNames.of("sum(x) by (department)")).containsExactly("x");
    }

    @Test
    void readsGrafanaVariableQueries() {
        assertThat(DashboardMetricsCheck.variableExpression(
                        "label_values(peony_records_received_total{department=~\"$department\"}, catalog)"))
                .isEqualTo("peony_records_received_total{department=~\"$department\"}");
        assertThat(DashboardMetricsCheck.variableExpression("label_values(department)"))
                .isNull();
        assertThat(DashboardMetricsCheck.variableExpression("query_result(topk(5, peony_share_pending))"))
                .isEqualTo("topk(5, peony_share_pending)");
        assertThat(DashboardMetricsCheck.variableExpression("label_names()")).isNull();
    }

    // ---- scrape text ----

    private static final String SCRAPE = """
            # HELP peony_records_received_total Records read from raw topics
            # TYPE peony_records_received_total counter
            peony_records_received_total{catalog="mz.social-assistance",department="mz"} 120.0
            peony_records_received_total{catalog="rs.pension-recipients",department="rs"} 7.0
            # TYPE peony_share_timely_ratio gauge
            peony_share_timely_ratio{provider="mz"} 0.97
            # TYPE peony_registry_requests_seconds histogram
            peony_registry_requests_seconds_bucket{endpoint="/subjects/{subject}/versions",le="0.005"} 3
            peony_registry_requests_seconds_count{endpoint="/subjects/{subject}/versions"} 3
            process_uptime_seconds 12.5
            # EOF
            """;

    @Test
    void readsTheSampleNamesOfAScrape() {
        assertThat(DashboardMetricsCheck.namesInScrape(SCRAPE))
                .containsExactly(
                        "peony_records_received_total",
                        "peony_share_timely_ratio",
                        "peony_registry_requests_seconds_bucket",
                        "peony_registry_requests_seconds_count",
                        "process_uptime_seconds");
    }

    @Test
    void reportsEachMissingMetricWithItsFileAndPanelOrRule(@TempDir Path dir) throws Exception {
        Path dashboard = Files.writeString(dir.resolve("overview.json"), """
                {"uid": "x", "panels": [
                  {"type": "row", "title": "Rates", "panels": [
                    {"type": "stat", "title": "Timely", "targets": [
                      {"refId": "A", "expr": "min(peony_share_timely_ratio{provider=~\\"$department\\"})"}]}]},
                  {"type": "timeseries", "title": "Registry", "targets": [
                    {"refId": "A", "expr": "sum(rate(peony_registry_requests_seconds_count[$__rate_interval]))"},
                    {"refId": "B", "expr": "sum(rate(peony_registry_requests_seconds_sum[$__rate_interval]))"}]}],
                 "templating": {"list": [
                   {"name": "DS_PROMETHEUS", "type": "datasource", "query": "prometheus"},
                   {"name": "catalog", "type": "query",
                    "query": {"query": "label_values(peony_records_received_total{department=~\\"$department\\"}, catalog)"}},
                   {"name": "provider", "type": "query", "query": "label_values(peony_share_pending, provider)"}]}}
                """);
        Path rules = Files.writeString(dir.resolve("x.rules.yml"), """
                groups:
                  - name: g
                    rules:
                      - record: peony:rejected:rate15m
                        expr: sum by (department) (rate(peony_records_rejected_total[15m]))
                      - alert: PeonyRejected
                        expr: peony:rejected:rate15m > 1 or up{job="peony"} == 0
                        for: 5m
                """);
        DashboardMetricsCheck check = DashboardMetricsCheck.of(List.of(dashboard), List.of(rules));

        assertThat(check.requiredNames())
                .containsExactly(
                        "peony_records_received_total",
                        "peony_records_rejected_total",
                        "peony_registry_requests_seconds_count",
                        "peony_registry_requests_seconds_sum",
                        "peony_share_pending",
                        "peony_share_timely_ratio");

        List<MetricUse> missing = check.missingFrom(SCRAPE);
        assertThat(missing.stream().map(m -> m.metric() + " @ " + m.file().getFileName() + " " + m.where()))
                .containsExactly(
                        "peony_registry_requests_seconds_sum @ overview.json panel 'Registry' query B",
                        "peony_share_pending @ overview.json variable 'provider'",
                        "peony_records_rejected_total @ x.rules.yml record 'peony:rejected:rate15m'");
        assertThat(DashboardMetricsCheck.report(missing))
                .startsWith("3 metric use(s) not in the scrape:")
                .contains("peony_share_pending (overview.json, variable 'provider': peony_share_pending)");
    }

    // ---- Peony's own files ----

    @Test
    void peonysDashboardsAndRulesReadOnlyPeonyKafkaAndJvmMetrics() {
        DashboardMetricsCheck check = DashboardMetricsCheck.forOpsDirectory(DashboardMetricsCheck.opsDirectory());
        Set<String> names = check.requiredNames();
        // A name outside these families is a typo or a parser mistake (a label read as a metric).
        assertThat(names).allSatisfy(name -> assertThat(name).matches("(peony|kafka|jvm|process|system)_[a-z_]+"));
        assertThat(names)
                .contains(
                        "peony_records_received_total",
                        "peony_records_shared_total",
                        "peony_records_rejected_total",
                        "peony_rule_failures_total",
                        "peony_quality_qualified_ratio",
                        "peony_catalog_stale",
                        "peony_share_outcomes_total",
                        "peony_share_timely_ratio",
                        "peony_share_overdue_pending",
                        "peony_share_pending",
                        "peony_publish_records_total",
                        "peony_registry_requests_seconds_count",
                        "peony_registry_requests_seconds_bucket",
                        "peony_streams_running",
                        "kafka_consumer_fetch_manager_records_lag_max");
        Set<String> files = check.uses().stream()
                .map(u -> u.file().getFileName().toString())
                .collect(Collectors.toSet());
        assertThat(files)
                .contains(
                        "peony-city-overview.json",
                        "peony-department-scorecard.json",
                        "rates.rules.yml",
                        "records.rules.yml",
                        "stack.rules.yml");
    }

    @Test
    void everyPeonyMeterIsUsedByADashboardOrARule() {
        Set<String> names = DashboardMetricsCheck.forOpsDirectory(DashboardMetricsCheck.opsDirectory())
                .requiredNames();
        for (String meter : PeonyMeters.ALL) {
            String prometheus = meter.replace('.', '_');
            assertThat(names)
                    .as("some dashboard or rule reads %s", meter)
                    .anyMatch(n -> n.equals(prometheus)
                            || n.equals(prometheus + "_total")
                            || n.startsWith(prometheus + "_seconds_"));
        }
    }

    @Test
    void aScrapeWithoutOneOfPeonysMetricsIsReportedWhereItIsUsed() {
        DashboardMetricsCheck check = DashboardMetricsCheck.forOpsDirectory(DashboardMetricsCheck.opsDirectory());
        String scrape = check.requiredNames().stream()
                .filter(n -> !n.equals("peony_share_timely_ratio"))
                .map(n -> n + "{a=\"b\"} 1.0")
                .collect(Collectors.joining("\n"));
        List<MetricUse> missing = check.missingFrom(scrape);
        assertThat(missing).allSatisfy(m -> assertThat(m.metric()).isEqualTo("peony_share_timely_ratio"));
        assertThat(missing.stream().map(m -> m.file().getFileName() + " " + m.where()))
                .contains(
                        "peony-city-overview.json panel 'Timely-share rate by provider (30 days)' query A",
                        "peony-department-scorecard.json panel 'Timely-share rate as provider (30 days)' query A",
                        "rates.rules.yml alert 'PeonyTimelyShareRateLow'");
    }
}
