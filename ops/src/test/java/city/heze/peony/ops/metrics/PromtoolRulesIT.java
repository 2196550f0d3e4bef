package city.heze.peony.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.testkit.ExternalCommands;
import city.heze.peony.testkit.RequiresCommands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Prometheus' own tool checks the configuration and the rule files, and runs the rule tests
 * beside them ({@code promtool test rules}): the same commands {@code .ci/run} runs, so that
 * {@code mvn verify} alone catches a broken rule.
 */
@RequiresCommands(value = "promtool", install = "apt-get install prometheus")
class PromtoolRulesIT {
    static final Path PROMTOOL = ExternalCommands.path("promtool", "peony.promtool");

    private final Path prometheusDir = DashboardMetricsCheck.opsDirectory().resolve("prometheus");

    @Test
    void theConfigurationAndItsRuleFilesAreValid() throws Exception {
        assertThat(promtool("check", "config", "prometheus.yml")).contains("SUCCESS");
    }

    @Test
    void everyRuleFileIsValid() throws Exception {
        List<String> args = new ArrayList<>(List.of("check", "rules"));
        args.addAll(files(".rules.yml"));
        assertThat(args).hasSizeGreaterThan(2);
        assertThat(promtool(args.toArray(String[]::new))).doesNotContain("FAILED");
    }

    @Test
    void everyRuleTestPasses() throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        args.addAll(files(".test.yml"));
        assertThat(args).hasSizeGreaterThan(2);
        String out = promtool(args.toArray(String[]::new));
        assertThat(out).doesNotContain("FAILED");
        assertThat(out.split("SUCCESS", -1)).hasSize(args.size() - 1); // one SUCCESS per test file
    }

    private List<String> files(String suffix) throws Exception {
        try (Stream<Path> list = Files.list(prometheusDir.resolve("rules"))) {
            return list.map(p -> "rules/" + p.getFileName())
                    .filter(name -> name.endsWith(suffix))
                    .sorted()
                    .toList();
        }
    }

    /** Runs promtool in {@code ops/prometheus}; fails with its output unless it exits with 0. */
    private String promtool(String... args) throws Exception {
        if (!Files.isExecutable(PROMTOOL)) {
            throw new AssertionError(PROMTOOL + " is missing: .ci/run installs it from Debian's packages"
                    + " (apt-get install prometheus); do the same here, or point -Dpeony.promtool at one.");
        }
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(prometheusDir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("promtool finished")
                .isTrue();
        assertThat(process.exitValue())
                .as("promtool %s:\n%s", String.join(" ", args), out)
                .isZero();
        return out;
    }
}
