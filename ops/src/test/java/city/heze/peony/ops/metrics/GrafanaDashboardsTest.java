package city.heze.peony.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Grafana files follow Peony's conventions: dashboards with a stable {@code uid}, a {@code DS_PROMETHEUS}
 * datasource variable that every panel and query uses (so a dashboard works with whatever the
 * Prometheus datasource is called), {@code label_values} variables for department and catalog; the
 * provisioning files load them.
 */
class GrafanaDashboardsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DS = "${DS_PROMETHEUS}";

    private final Path grafana = DashboardMetricsCheck.opsDirectory().resolve("grafana");

    @Test
    void everyDashboardHasAStableUidAndTheVariables() throws Exception {
        Set<String> uids = new HashSet<>();
        for (Path file : dashboards()) {
            JsonNode d = JSON.readTree(file.toFile());
            String uid = d.path("uid").asText();
            assertThat(uid).as(file + " uid").matches("peony-[a-z0-9-]{1,34}");
            assertThat(uids.add(uid)).as(file + " uid unique").isTrue();
            assertThat(file.getFileName().toString()).isEqualTo(uid + ".json");
            assertThat(d.path("title").asText()).as(file + " title").startsWith("Peony: ");

            JsonNode ds = variable(d, "DS_PROMETHEUS");
            assertThat(ds.path("type").asText()).isEqualTo("datasource");
            assertThat(ds.path("query").asText()).isEqualTo("prometheus");
            for (String name : List.of("department", "catalog")) {
                JsonNode v = variable(d, name);
                assertThat(v.path("type").asText())
                        .as(file + " variable " + name)
                        .isEqualTo("query");
                assertThat(v.path("datasource").path("uid").asText()).isEqualTo(DS);
                assertThat(v.path("query").path("query").asText())
                        .as(file + " variable " + name)
                        .startsWith("label_values(")
                        .endsWith(", " + name + ")");
            }
        }
        assertThat(uids).contains("peony-city-overview", "peony-department-scorecard");
    }

    @Test
    void everyPanelAndQueryUsesTheDatasourceVariable() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Path file : dashboards()) {
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : panels(JSON.readTree(file.toFile()))) {
                String at =
                        file.getFileName() + " panel '" + panel.path("title").asText() + "': ";
                if (!ids.add(panel.path("id").asInt())) {
                    problems.add(at + "id " + panel.path("id") + " used twice");
                }
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                if (!DS.equals(panel.path("datasource").path("uid").asText())) {
                    problems.add(at + "datasource is not " + DS);
                }
                if (panel.path("description").asText().isBlank()) {
                    problems.add(at + "no description");
                }
                if (panel.path("targets").isEmpty()) {
                    problems.add(at + "no query");
                }
                Set<String> refIds = new HashSet<>();
                for (JsonNode target : panel.path("targets")) {
                    if (!DS.equals(target.path("datasource").path("uid").asText())) {
                        problems.add(at + "query " + target.path("refId") + " datasource is not " + DS);
                    }
                    if (!refIds.add(target.path("refId").asText())) {
                        problems.add(at + "refId " + target.path("refId") + " used twice");
                    }
                    if (target.path("expr").asText().isBlank()) {
                        problems.add(at + "query " + target.path("refId") + " has no expression");
                    }
                }
            }
        }
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    @Test
    void theCityOverviewShowsTheRatesAgainstTheirTargets() throws Exception {
        JsonNode overview = JSON.readTree(
                grafana.resolve("dashboards/peony-city-overview.json").toFile());
        assertThat(thresholdOf(overview, "peony_share_timely_ratio")).contains(0.99);
        assertThat(thresholdOf(overview, "peony_quality_qualified_ratio")).contains(0.98);
        String all = overview.toString();
        assertThat(all)
                .contains("peony_records_received_total")
                .contains("peony_records_shared_total")
                .contains("peony_records_rejected_total")
                .contains("sum by (rule)")
                .contains("kafka_consumer_fetch_manager_records_lag_max")
                .contains("peony_streams_running");
    }

    @Test
    void theScorecardIsForOneDepartment() throws Exception {
        JsonNode scorecard = JSON.readTree(
                grafana.resolve("dashboards/peony-department-scorecard.json").toFile());
        assertThat(variable(scorecard, "department").path("multi").asBoolean()).isFalse();
        assertThat(variable(scorecard, "catalog").path("multi").asBoolean()).isTrue();
        assertThat(thresholdOf(scorecard, "peony_share_timely_ratio")).contains(0.99);
        assertThat(thresholdOf(scorecard, "peony_quality_qualified_ratio")).contains(0.98);
        for (JsonNode panel : panels(scorecard)) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertThat(expr)
                        .as(
                                "panel '%s' is filtered to the department",
                                panel.path("title").asText())
                        .containsAnyOf("department=\"$department\"", "provider=\"$department\"");
            }
        }
    }

    @Test
    void provisioningLoadsThePrometheusDatasourceAndTheDashboards() throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        JsonNode datasources = yaml.readTree(
                grafana.resolve("provisioning/datasources/peony.yaml").toFile());
        assertThat(datasources.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode prometheus = datasources.path("datasources").get(0);
        assertThat(prometheus.path("type").asText()).isEqualTo("prometheus");
        assertThat(prometheus.path("url").asText()).startsWith("http://");

        JsonNode providers = yaml.readTree(
                grafana.resolve("provisioning/dashboards/peony.yaml").toFile());
        assertThat(providers.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode provider = providers.path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.path("options").path("path").asText()).isNotBlank();
    }

    /** Threshold values of the panels whose queries read {@code metric}. */
    private static List<Double> thresholdOf(JsonNode dashboard, String metric) {
        List<Double> values = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            boolean reads = false;
            for (JsonNode target : panel.path("targets")) {
                reads |= PromqlMetricNames.of(target.path("expr").asText()).contains(metric);
            }
            if (reads) {
                for (JsonNode step : panel.path("fieldConfig")
                        .path("defaults")
                        .path("thresholds")
                        .path("steps")) {
                    if (step.path("value").isNumber()) {
                        values.add(step.path("value").asDouble());
                    }
                }
            }
        }
        return values;
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        collect(dashboard.path("panels"), all);
        return all;
    }

    private static void collect(JsonNode panels, List<JsonNode> into) {
        for (JsonNode panel : panels) {
            into.add(panel);
            collect(panel.path("panels"), into);
        }
    }

    private static JsonNode variable(JsonNode dashboard, String name) {
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("dashboard " + dashboard.path("uid") + " has no variable " + name);
    }

    private List<Path> dashboards() throws Exception {
        try (Stream<Path> files = Files.list(grafana.resolve("dashboards"))) {
            List<Path> list =
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            assertThat(list).hasSizeGreaterThanOrEqualTo(2);
            return list;
        }
    }
}
