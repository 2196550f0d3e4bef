package city.heze.peony.ops;

import city.heze.peony.schemas.ClientConfigs;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where Peony's Kafka cluster and schema registry are: the options every subcommand that talks
 * to them shares ({@code @Mixin}), so that the same jar runs against the embedded stack and a real
 * multi-broker cluster. Each option also reads an environment variable; an explicit option wins.
 */
public final class ClusterOptions {
    public static final String DEFAULT_REGISTRY_URL = "http://127.0.0.1:8081";

    @Mixin
    KafkaOptions kafka;

    @Option(
            names = "--registry-url",
            paramLabel = "URL",
            defaultValue = "${env:PEONY_REGISTRY_URL:-" + DEFAULT_REGISTRY_URL + "}",
            description =
                    "Schema registry URL, Confluent-compatible (env PEONY_REGISTRY_URL; default ${DEFAULT-VALUE}).")
    String registryUrl;

    public String bootstrapServers() {
        return kafka.bootstrapServers();
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
        Properties props = kafka.kafkaProperties();
        props.putIfAbsent("schema.registry.url", registryUrl);
        return props;
    }

    /** The same as a map, for client constructors that take one. */
    public Map<String, Object> clientConfigs() {
        return ClientConfigs.toMap(clientProperties());
    }
}
