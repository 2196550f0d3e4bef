package city.heze.peony.ops;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where the Kafka cluster is and how to reach it: its bootstrap servers and an optional client
 * config file (security settings of a real cluster). Part of {@link ClusterOptions}; alone in the
 * commands that need no schema registry.
 */
public final class KafkaOptions {
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:PEONY_BOOTSTRAP_SERVERS:-" + DEFAULT_BOOTSTRAP_SERVERS + "}",
            description = "Kafka bootstrap servers (env PEONY_BOOTSTRAP_SERVERS; default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(
            names = "--client-config",
            paramLabel = "FILE",
            defaultValue = "${env:PEONY_CLIENT_CONFIG}",
            description = "Kafka client properties (security settings of a real cluster, ...) for every client"
                    + " this command creates (env PEONY_CLIENT_CONFIG).")
    Path clientConfig;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The client-config file, then {@code bootstrap.servers} from the option (the option wins over
     * the file, as on the command line of Kafka's own tools).
     */
    public Properties kafkaProperties() {
        Properties props = new Properties();
        if (clientConfig != null) {
            props.putAll(readClientConfig(clientConfig));
        }
        props.put("bootstrap.servers", bootstrapServers);
        return props;
    }

    private static Properties readClientConfig(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new UserException("--client-config " + file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new UserException(
                    "--client-config " + file + ": cannot read it as Java properties: " + e.getMessage());
        }
        return props;
    }
}
