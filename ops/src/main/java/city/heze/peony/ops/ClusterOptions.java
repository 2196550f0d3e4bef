package city.heze.peony.ops;

import city.heze.peony.schemas.ClientConfigs;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where Peony's Kafka cluster and schema registry are: the options every subcommand that talks
 * to them shares ({@code @Mixin}), so that the same jar runs against the embedded stack and a real
 * multi-broker cluster. Each option also reads an environment variable; an explicit option wins.
 */
public final class ClusterOptions {
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    public static final String DEFAULT_REGISTRY_URL = "http://127.0.0.1:8081";

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

    @Option(
            names = "--registry-url",
            paramLabel = "URL",
            defaultValue = "${env:PEONY_REGISTRY_URL:-" + DEFAULT_REGISTRY_URL + "}",
            description =
                    "Schema registry URL, Confluent-compatible (env PEONY_REGISTRY_URL; default ${DEFAULT-VALUE}).")
    String registryUrl;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registryUrl;
    }

    /**
     * The properties every Kafka client of this command starts from: the client-config file, then
     * {@code bootstrap.servers} from the option (the option wins over the file, as on the command
     * line of Kafka's own tools), then {@code schema.registry.url} unless the file sets it.
     */
    public Properties clientProperties() {
        Properties props = new Properties();
        if (clientConfig != null) {
            props.putAll(readClientConfig(clientConfig));
        }
        props.put("bootstrap.servers", bootstrapServers);
        props.putIfAbsent("schema.registry.url", registryUrl);
        return props;
    }

    /** The same as a map, for client constructors that take one. */
    public Map<String, Object> clientConfigs() {
        return ClientConfigs.toMap(clientProperties());
    }

    /**
     * The client properties without Peony's own settings ({@code peony.*}, e.g. share deadlines):
     * they are not Kafka's, and a Kafka client would warn about each of them.
     */
    public static Properties kafkaOnly(Properties client) {
        Properties props = new Properties();
        client.forEach((k, v) -> {
            if (!k.toString().startsWith("peony.")) {
                props.put(k, v);
            }
        });
        return props;
    }

    static Properties readClientConfig(Path file) {
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
