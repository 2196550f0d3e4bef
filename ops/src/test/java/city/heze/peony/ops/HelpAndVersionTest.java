package city.heze.peony.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Every command and subcommand, found by walking the tree from {@link PeonyCommand} (so a new one
 * cannot miss this), answers {@code -h/--help} and {@code -V/--version} with exit 0 on stdout.
 */
class HelpAndVersionTest {

    /** The command paths of the whole tree, e.g. [share, list]; the root is the empty path. */
    private static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        walk(PeonyCommand.commandLine(), new ArrayList<>(), paths);
        return paths;
    }

    private static void walk(CommandLine cli, List<String> path, List<List<String>> into) {
        into.add(List.copyOf(path));
        cli.getSubcommands().forEach((name, sub) -> {
            // Picocli lists a command under each of its aliases; walk it once, under its name. Its own
            // `peony help COMMAND` is the other way to ask for help, not a command to test here.
            if (name.equals(sub.getCommandName()) && !(sub.getCommand() instanceof CommandLine.HelpCommand)) {
                path.add(name);
                walk(sub, path, into);
                path.remove(path.size() - 1);
            }
        });
    }

    private record Run(int exitCode, String out, String err) {}

    private static Run peony(List<String> path, String option) {
        List<String> args = new ArrayList<>(path);
        args.add(option);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PeonyCommand.execute(
                new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theTreeHasTheSubcommandsOfTheIssue() {
        assertThat(commandPaths())
                .contains(List.of("share", "list"), List.of("share", "request"), List.of("simulate"))
                .hasSizeGreaterThan(20);
    }

    @TestFactory
    List<DynamicTest> everyCommandAnswersHelpAndVersion() {
        List<DynamicTest> tests = new ArrayList<>();
        for (List<String> path : commandPaths()) {
            String usage = "Usage: " + String.join(" ", concat("peony", path));
            for (String help : List.of("-h", "--help")) {
                tests.add(DynamicTest.dynamicTest(String.join(" ", path) + " " + help, () -> {
                    Run run = peony(path, help);
                    assertThat(run.exitCode()).as(run.toString()).isZero();
                    assertThat(run.out()).as(run.toString()).startsWith(usage);
                    assertThat(run.err()).as(run.toString()).isEmpty();
                }));
            }
            for (String version : List.of("-V", "--version")) {
                tests.add(DynamicTest.dynamicTest(String.join(" ", path) + " " + version, () -> {
                    Run run = peony(path, version);
                    assertThat(run.exitCode()).as(run.toString()).isZero();
                    assertThat(run.out())
                            .as(run.toString())
                            .startsWith("peony " + PeonyCommand.Version.peonyVersion() + System.lineSeparator())
                            .contains("Apache Kafka ");
                    assertThat(run.err()).as(run.toString()).isEmpty();
                }));
            }
        }
        return tests;
    }

    @Test
    void theVersionIsTheBuildsNotAPlaceholder() {
        // Filtered by Maven from the project version, e.g. 0.1.0-SNAPSHOT.
        assertThat(PeonyCommand.Version.peonyVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
