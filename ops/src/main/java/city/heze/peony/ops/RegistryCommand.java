package city.heze.peony.ops;

import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code peony registry}: only the schema registry, against a Kafka cluster that runs elsewhere,
 * until Ctrl-C or SIGTERM. Its state lives in the Kafka topic, so several of them (or one after a
 * restart) serve the same schemas.
 */
@Command(
        name = "registry",
        description = "Run Peony's Confluent-compatible schema registry on its own, storing its state in a Kafka"
                + " topic, until Ctrl-C or SIGTERM.")
final class RegistryCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "8081",
            description = "HTTP port on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int port;

    @Mixin
    KafkaOptions kafka;

    @Option(
            names = "--topic",
            paramLabel = "NAME",
            description = "Compacted topic that stores the registry's state (default: the one peony up uses,"
                    + " _peony_schemas).")
    String topic;

    @Override
    public Integer call() throws Exception {
        if (topic == null) {
            topic = Topics.SCHEMAS.name();
        }
        Ports.requireFree(port, "--port");
        PrintWriter out = spec.commandLine().getOut();
        ShutdownSignal signal = new ShutdownSignal();
        try (EmbeddedSchemaRegistry registry = start(kafka.kafkaProperties())) {
            out.println("registry is up: " + registry.url());
            out.flush();
            String name = signal.await();
            out.println("registry is stopping (" + name + ") ...");
        }
        out.println("registry stopped.");
        out.flush();
        return 0;
    }

    private EmbeddedSchemaRegistry start(Properties kafkaProperties) {
        try {
            return EmbeddedSchemaRegistry.builder()
                    .kafka(kafkaProperties)
                    .port(port)
                    .topic(topic)
                    .start();
        } catch (SchemaRegistryException | IllegalStateException e) {
            throw new UserException("cannot start the schema registry against Kafka at " + kafka.bootstrapServers()
                    + " (topic " + topic + "): " + e.getMessage());
        }
    }
}
