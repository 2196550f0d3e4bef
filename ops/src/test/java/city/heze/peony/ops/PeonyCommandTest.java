package city.heze.peony.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PeonyCommandTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private PrintStream originalOut;

    @BeforeEach
    void capture() {
        originalErr = System.err;
        originalOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        System.setOut(originalOut);
    }

    @Test
    void anUnknownSubcommandPrintsTheUsageAndExits2() {
        assertThat(PeonyCommand.execute("frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Unmatched argument at index 0: 'frobnicate'")
                .contains("Usage: peony");
    }

    @Test
    void anUnknownOptionPrintsTheUsageAndExits2() {
        assertThat(PeonyCommand.execute("up", "--no-such-option")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Unknown option: '--no-such-option'")
                .contains("Usage: peony up");
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertThat(PeonyCommand.execute()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing subcommand");
    }

    @Test
    void versionNamesPeonyAndKafka() {
        assertThat(PeonyCommand.execute("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("peony").contains("Apache Kafka 4.4.0");
    }

    @Test
    void anInvalidPortIsAUsageError() {
        assertThat(PeonyCommand.execute("up", "--kafka-port", "70000")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--kafka-port 70000 is not a port number");
    }
}
