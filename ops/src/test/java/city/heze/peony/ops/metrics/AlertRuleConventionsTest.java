package city.heze.peony.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rules of Peony's alerts: CamelCase names with the prefix {@code Peony}, a
 * {@code severity} label, {@code summary} and {@code description} annotations, a {@code for:} of
 * 5 minutes or more; each rule file has a promtool test file beside it that makes every alert
 * fire at least once and checks at least once that it does not.
 */
class AlertRuleConventionsTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    private final Path rulesDir = DashboardMetricsCheck.opsDirectory().resolve("prometheus/rules");

    @Test
    void everyAlertFollowsTheConventions() throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path file : ruleFiles()) {
            for (JsonNode rule : rules(file)) {
                if (!rule.has("alert")) {
                    continue;
                }
                String name = rule.path("alert").asText();
                String at = file.getFileName() + " " + name + ": ";
                if (!name.matches("Peony(?:[A-Z][a-z0-9]*)+")) {
                    problems.add(at + "name is not CamelCase with the prefix Peony");
                }
                if (!names.add(name)) {
                    problems.add(at + "name used twice");
                }
                if (!SEVERITIES.contains(rule.path("labels").path("severity").asText())) {
                    problems.add(at + "severity label is not one of " + SEVERITIES);
                }
                for (String annotation : List.of("summary", "description")) {
                    if (rule.path("annotations").path(annotation).asText().isBlank()) {
                        problems.add(at + "no " + annotation + " annotation");
                    }
                }
                Duration wait = promDuration(rule.path("for").asText("0s"));
                if (wait.compareTo(Duration.ofMinutes(5)) < 0) {
                    problems.add(at + "for: " + rule.path("for").asText("(none)") + " is shorter than 5m");
                }
            }
        }
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
        assertThat(names)
                .contains(
                        "PeonyTimelyShareRateLow",
                        "PeonyQualifiedRateLow",
                        "PeonyRejectedRecordsSpike",
                        "PeonyCatalogStale",
                        "PeonyStreamsNotRunning",
                        "PeonyConsumerLagGrowing");
    }

    @Test
    void everyRuleFileHasATestThatFiresAndHoldsBackEachAlert() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Path file : ruleFiles()) {
            String base = file.getFileName().toString().replace(".rules.yml", "");
            Path test = file.resolveSibling(base + ".test.yml");
            if (!Files.exists(test)) {
                problems.add(file.getFileName() + ": no " + test.getFileName() + " beside it");
                continue;
            }
            JsonNode tests = YAML.readTree(test.toFile());
            List<String> ruleFilesTested = new ArrayList<>();
            tests.path("rule_files").forEach(f -> ruleFilesTested.add(f.asText()));
            if (!ruleFilesTested.contains(file.getFileName().toString())) {
                problems.add(test.getFileName() + ": rule_files does not name " + file.getFileName());
            }
            Set<String> fired = new HashSet<>();
            Set<String> heldBack = new HashSet<>();
            for (JsonNode t : tests.path("tests")) {
                for (JsonNode check : t.path("alert_rule_test")) {
                    String alert = check.path("alertname").asText();
                    (check.path("exp_alerts").isEmpty() ? heldBack : fired).add(alert);
                }
            }
            for (JsonNode rule : rules(file)) {
                String alert = rule.path("alert").asText();
                if (alert.isEmpty()) {
                    continue;
                }
                if (!fired.contains(alert)) {
                    problems.add(test.getFileName() + ": no case where " + alert + " fires");
                }
                if (!heldBack.contains(alert)) {
                    problems.add(test.getFileName() + ": no case where " + alert + " does not fire");
                }
            }
        }
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    @Test
    void prometheusLoadsEveryRuleFile() throws Exception {
        JsonNode config = YAML.readTree(DashboardMetricsCheck.opsDirectory()
                .resolve("prometheus/prometheus.yml")
                .toFile());
        assertThat(config.path("rule_files").get(0).asText()).isEqualTo("rules/*.rules.yml");
        assertThat(config.path("global").path("scrape_interval").asText()).isEqualTo("15s");
        JsonNode job = config.path("scrape_configs").get(0);
        assertThat(job.path("job_name").asText()).isEqualTo("peony");
        assertThat(job.path("metrics_path").asText()).isEqualTo(MetricsServer.METRICS_PATH);
        assertThat(job.path("static_configs").get(0).path("targets").get(0).asText())
                .isEqualTo("127.0.0.1:" + MetricsServer.DEFAULT_PORT);
    }

    @Test
    void durationsReadAsPrometheusWritesThem() {
        assertThat(promDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(promDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(promDuration("45s")).isEqualTo(Duration.ofSeconds(45));
    }

    /** Prometheus durations: {@code 1h30m}, {@code 5m}, {@code 90s}, ... */
    static Duration promDuration(String text) {
        Duration total = Duration.ZERO;
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d+)(ms|y|w|d|h|m|s)").matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(
                    switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        case "d" -> Duration.ofDays(n);
                        case "w" -> Duration.ofDays(7 * n);
                        default -> Duration.ofDays(365 * n);
                    });
        }
        return total;
    }

    private List<Path> ruleFiles() throws Exception {
        try (Stream<Path> files = Files.list(rulesDir)) {
            List<Path> list = files.filter(f -> f.getFileName().toString().endsWith(".rules.yml"))
                    .sorted()
                    .toList();
            assertThat(list).isNotEmpty();
            return list;
        }
    }

    private static List<JsonNode> rules(Path file) throws Exception {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
            group.path("rules").forEach(rules::add);
        }
        return rules;
    }
}
