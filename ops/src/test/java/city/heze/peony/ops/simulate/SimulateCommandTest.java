package city.heze.peony.ops.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.ops.publish.PeonyRun;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The options of {@code peony simulate} that need reading: durations, start times, fractions. */
class SimulateCommandTest {

    @Test
    void durationsReadAsPeopleWriteThem() {
        SimulateCommand.DurationConverter durations = new SimulateCommand.DurationConverter();
        assertThat(durations.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(durations.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(durations.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(durations.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(durations.convert("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> durations.convert("5 minutes"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("expected for example 30s, 5m, 2h");
    }

    @Test
    void fractionsThatCannotBeAreOneLineAndExitCode2() {
        PeonyRun run = PeonyRun.run(
                "simulate", "--late-fraction", "0.6", "--never-fraction", "0.6", "--bootstrap-servers", "127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip())
                .isEqualTo("peony simulate: --late-fraction, --never-fraction and --withdrawn-fraction add up to 1.23;"
                        + " expected at most 1");
    }

    @Test
    void aPopulationNeedsAPositiveSizeAndItsOwnCatalogs() {
        PeonyRun none = PeonyRun.run("simulate", "--people", "0", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err().strip()).isEqualTo("peony simulate: --people 0: expected between 1 and 2000000");

        PeonyRun chosen = PeonyRun.run(
                "simulate",
                "--people",
                "10",
                "--catalog",
                "mz.social-assistance",
                "--bootstrap-servers",
                "127.0.0.1:1");
        assertThat(chosen.exitCode()).isEqualTo(2);
        assertThat(chosen.err().strip())
                .startsWith("peony simulate: --catalog does not apply to --people: a linked population publishes to"
                        + " mz.social-assistance, ga.vehicle-registration,");

        PeonyRun counted =
                PeonyRun.run("simulate", "--people", "10", "--count", "5", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(counted.exitCode()).isEqualTo(2);
        assertThat(counted.err()).contains("--count and --duration do not apply to --people");
    }

    @Test
    void plantedCasesNeedAPopulation() {
        PeonyRun run = PeonyRun.run("simulate", "--planted", "planted.jsonl", "--bootstrap-servers", "127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip())
                .isEqualTo("peony simulate: --planted needs --people: only a linked population plants cases");
    }

    @Test
    void theHelpNamesThePopulationOptions() {
        PeonyRun run = PeonyRun.run("simulate", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--people=N", "--planted=FILE", "linked population");
    }
}
