package city.heze.peony.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class PeonyCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        return PeonyCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void anUnknownSubcommandPrintsTheUsageAndExits2() {
        assertThat(execute("frobnicate")).isEqualTo(2);
        assertThat(err.toString())
                .contains("Unmatched argument at index 0: 'frobnicate'")
                .contains("Usage: peony");
    }

    @Test
    void anUnknownOptionPrintsTheUsageAndExits2() {
        assertThat(execute("up", "--no-such-option")).isEqualTo(2);
        assertThat(err.toString())
                .contains("Unknown option: '--no-such-option'")
                .contains("Usage: peony up");
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertThat(execute()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing subcommand");
    }

    @Test
    void versionNamesPeonyAndKafka() {
        assertThat(execute("--version")).isZero();
        assertThat(out.toString()).contains("peony").contains("Apache Kafka 4.4.0");
    }

    @Test
    void anInvalidPortIsAUsageError() {
        assertThat(execute("up", "--kafka-port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("--kafka-port 70000 is not a port number");
    }
}
