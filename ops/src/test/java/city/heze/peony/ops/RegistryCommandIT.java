package city.heze.peony.ops;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./peony registry} as an operator runs it: a child process against a real broker, stopped with SIGTERM. */
class RegistryCommandIT {
    private static final Duration START = Duration.ofMinutes(2);
    private static final String SCHEMA =
            "{\"type\":\"record\",\"name\":\"Permit\",\"namespace\":\"city.heze.test\",\"fields\":[{\"name\":\"id\","
                    + "\"type\":\"string\"}]}";

    @TempDir
    Path dataDir;

    @Test
    void servesSchemasOverHttpFromItsKafkaTopicAndStopsCleanlyOnSigterm() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(dataDir, 0).start()) {
            int port = EmbeddedKafkaBroker.freePort();
            int id;
            try (PeonyProcess registry = PeonyProcess.start(
                    "registry",
                    "--port",
                    Integer.toString(port),
                    "--bootstrap-servers",
                    broker.bootstrapServers(),
                    "--topic",
                    "_it_schemas")) {
                String up = registry.awaitLine("registry is up:", START);
                assertThat(up).isEqualTo("registry is up: http://127.0.0.1:" + port);
                try (SchemaRegistryClient client = SchemaRegistryClients.forUrl("http://127.0.0.1:" + port)) {
                    id = client.register("permits-value", SCHEMA);
                    assertThat(client.schemaById(id)).isEqualTo(new Schema.Parser().parse(SCHEMA));
                    assertThat(client.subjects()).containsExactly("permits-value");
                }
                assertThat(registry.terminate(Duration.ofSeconds(15)))
                        .as(registry.transcript())
                        .isZero();
            }
            try (Admin admin = Admin.create(java.util.Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertThat(topics).contains("_it_schemas");
            }

            // A second registry on the same topic serves what the first one stored.
            try (PeonyProcess again = PeonyProcess.start(
                    "registry",
                    "--port",
                    "0",
                    "--bootstrap-servers",
                    broker.bootstrapServers(),
                    "--topic",
                    "_it_schemas")) {
                String url = again.awaitLine("registry is up:", START).substring("registry is up: ".length());
                try (SchemaRegistryClient client = SchemaRegistryClients.forUrl(url)) {
                    assertThat(client.schemaById(id)).isEqualTo(new Schema.Parser().parse(SCHEMA));
                }
                assertThat(again.terminate(Duration.ofSeconds(15)))
                        .as(again.transcript())
                        .isZero();
            }
        }
    }
}
