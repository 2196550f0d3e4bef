package city.heze.peony.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ClusterOptionsTest {

    @Command(name = "probe")
    static final class Probe implements Runnable {
        @Mixin
        ClusterOptions cluster;

        @Override
        public void run() {}
    }

    private static ClusterOptions parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe.cluster;
    }

    @Test
    void defaultsToTheLocalStack() {
        ClusterOptions options = parse();
        // The environment of the build may set these; the defaults apply when it does not.
        if (System.getenv("PEONY_BOOTSTRAP_SERVERS") == null) {
            assertThat(options.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        }
        if (System.getenv("PEONY_REGISTRY_URL") == null) {
            assertThat(options.registryUrl()).isEqualTo("http://127.0.0.1:8081");
        }
    }

    @Test
    void clientConfigFileIsReadAndTheBootstrapOptionWins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, """
                bootstrap.servers=ignored:1
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                schema.registry.url=https://registry.example:8081
                """);
        ClusterOptions options =
                parse("--bootstrap-servers", "kafka-1:9093,kafka-2:9093", "--client-config", file.toString());

        Properties props = options.clientProperties();
        assertThat(props.getProperty("bootstrap.servers")).isEqualTo("kafka-1:9093,kafka-2:9093");
        assertThat(props.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(props.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(props.getProperty("schema.registry.url")).isEqualTo("https://registry.example:8081");
    }

    @Test
    void aMissingClientConfigFileIsAUserErrorNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");
        ClusterOptions options = parse("--client-config", missing.toString());
        assertThatThrownBy(options::clientProperties)
                .isInstanceOf(UserException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("no such file");
    }
}
