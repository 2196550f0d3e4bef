package city.heze.peony.ops.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks that every metric the Grafana dashboards and the Prometheus rule files read is in a
 * {@code /metrics} scrape, so that no panel is empty and no alert silent because of a typo or a
 * renamed meter. Give it the text of a scrape of the running stack; it answers with the missing
 * names and where each is used (file, panel, variable or rule).
 *
 * <pre>{@code
 * DashboardMetricsCheck check = DashboardMetricsCheck.forOpsDirectory(DashboardMetricsCheck.opsDirectory());
 * List<MetricUse> missing = check.missingFrom(scrapeText);
 * assertThat(missing).as(DashboardMetricsCheck.report(missing)).isEmpty();
 * }</pre>
 *
 * Names that Prometheus makes itself ({@code up}, {@code ALERTS}, ...) and names the rule files
 * record are not expected in a scrape.
 */
public final class DashboardMetricsCheck {
    /** Series Prometheus adds itself: never in a target's scrape. */
    static final Set<String> PROMETHEUS_SERIES = Set.of(
            "up",
            "scrape_duration_seconds",
            "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling",
            "scrape_series_added",
            "ALERTS",
            "ALERTS_FOR_STATE");

    /** One metric read by one expression, and where that expression is. */
    public record MetricUse(String metric, Path file, String where, String expression) {
        public String describe() {
            return metric + " (" + file.getFileName() + ", " + where + ": " + expression.strip() + ")";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();

    private final List<MetricUse> uses;
    private final Set<String> recorded;

    private DashboardMetricsCheck(List<MetricUse> uses, Set<String> recorded) {
        this.uses = List.copyOf(uses);
        this.recorded = Set.copyOf(recorded);
    }

    /** Rule files whose metrics exist only on a secured stack ({@code peony up --secure}); SecureStackIT checks them. */
    public static final String SECURED_ONLY_RULES = "access.rules.yml";

    /**
     * The dashboards under {@code grafana/dashboards/*.json} and the rule files {@code prometheus/rules/*.rules.yml},
     * except those of a secured stack.
     */
    public static DashboardMetricsCheck forOpsDirectory(Path ops) {
        return of(
                list(ops.resolve("grafana/dashboards"), ".json"),
                list(ops.resolve("prometheus/rules"), ".rules.yml").stream()
                        .filter(f -> !f.getFileName().toString().equals(SECURED_ONLY_RULES))
                        .toList());
    }

    /** The rule files whose metrics only a secured stack has. */
    public static DashboardMetricsCheck forSecuredStack(Path ops) {
        return of(List.of(), List.of(ops.resolve("prometheus/rules").resolve(SECURED_ONLY_RULES)));
    }

    public static DashboardMetricsCheck of(List<Path> dashboards, List<Path> ruleFiles) {
        List<MetricUse> uses = new ArrayList<>();
        Set<String> recorded = new LinkedHashSet<>();
        for (Path dashboard : dashboards) {
            readDashboard(dashboard, uses);
        }
        for (Path rules : ruleFiles) {
            readRules(rules, uses, recorded);
        }
        return new DashboardMetricsCheck(uses, recorded);
    }

    /** The {@code ops} folder of the checkout, from the module's or the repository's directory. */
    public static Path opsDirectory() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("prometheus/rules")) && Files.isDirectory(d.resolve("grafana"))) {
                return d;
            }
            if (Files.isDirectory(d.resolve("ops/prometheus/rules"))) {
                return d.resolve("ops");
            }
        }
        throw new IllegalStateException("no ops/prometheus/rules above " + dir);
    }

    /** Every use of a metric, in file order. */
    public List<MetricUse> uses() {
        return uses;
    }

    /** The names a scrape must contain. */
    public Set<String> requiredNames() {
        return uses.stream()
                .map(MetricUse::metric)
                .filter(this::expectedInScrape)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** The uses whose metric is not in {@code scrape}, in file order. */
    public List<MetricUse> missingFrom(String scrape) {
        Set<String> present = namesInScrape(scrape);
        return uses.stream()
                .filter(use -> expectedInScrape(use.metric()) && !present.contains(use.metric()))
                .toList();
    }

    private boolean expectedInScrape(String metric) {
        return !PROMETHEUS_SERIES.contains(metric) && !recorded.contains(metric);
    }

    /** One line per missing use, for an assertion message. */
    public static String report(List<MetricUse> missing) {
        if (missing.isEmpty()) {
            return "every metric the dashboards and rules use is in the scrape";
        }
        return missing.size() + " metric use(s) not in the scrape:\n"
                + missing.stream().map(m -> "  " + m.describe()).collect(Collectors.joining("\n"));
    }

    /** The sample names of a scrape in Prometheus text format or OpenMetrics. */
    public static Set<String> namesInScrape(String scrape) {
        Set<String> names = new LinkedHashSet<>();
        scrape.lines().forEach(line -> {
            if (line.isEmpty() || line.charAt(0) == '#') {
                return;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        });
        return names;
    }

    // ---- Grafana ----

    private static void readDashboard(Path file, List<MetricUse> uses) {
        JsonNode root = read(JSON, file);
        readPanels(file, root.path("panels"), uses);
        for (JsonNode variable : root.path("templating").path("list")) {
            if (!"query".equals(variable.path("type").asText())) {
                continue;
            }
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asText("") : query.asText("");
            String expr = variableExpression(text);
            if (expr != null) {
                add(uses, file, "variable '" + variable.path("name").asText() + "'", expr);
            }
        }
    }

    private static void readPanels(Path file, JsonNode panels, List<MetricUse> uses) {
        for (JsonNode panel : panels) {
            String where = "panel '" + panel.path("title").asText("(untitled)") + "'";
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (!expr.isBlank()) {
                    add(uses, file, where + " query " + target.path("refId").asText("?"), expr);
                }
            }
            readPanels(file, panel.path("panels"), uses); // a collapsed row holds its panels
        }
    }

    /**
     * The PromQL inside a Grafana Prometheus variable query: the selector of {@code
     * label_values(selector, label)} or the expression of {@code query_result(expr)}; null for
     * forms that read no metric ({@code label_values(label)}, {@code label_names()}).
     */
    static String variableExpression(String query) {
        String q = query.strip();
        if (q.startsWith("query_result(") && q.endsWith(")")) {
            return q.substring("query_result(".length(), q.length() - 1);
        }
        if (q.startsWith("label_values(") && q.endsWith(")")) {
            String args = q.substring("label_values(".length(), q.length() - 1);
            int comma = lastTopLevelComma(args);
            return comma < 0 ? null : args.substring(0, comma);
        }
        return null;
    }

    private static int lastTopLevelComma(String s) {
        int depth = 0;
        int found = -1;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && (c == '(' || c == '{' || c == '[')) {
                depth++;
            } else if (!quoted && (c == ')' || c == '}' || c == ']')) {
                depth--;
            } else if (!quoted && c == ',' && depth == 0) {
                found = i;
            }
        }
        return found;
    }

    // ---- Prometheus rules ----

    private static void readRules(Path file, List<MetricUse> uses, Set<String> recorded) {
        JsonNode root = read(YAML, file);
        for (JsonNode group : root.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String where = rule.has("alert")
                        ? "alert '" + rule.path("alert").asText() + "'"
                        : "record '" + rule.path("record").asText() + "'";
                if (rule.has("record")) {
                    recorded.add(rule.path("record").asText());
                }
                add(uses, file, where, rule.path("expr").asText(""));
            }
        }
    }

    private static void add(List<MetricUse> uses, Path file, String where, String expr) {
        for (String metric : PromqlMetricNames.of(expr)) {
            uses.add(new MetricUse(metric, file, where, expr));
        }
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
