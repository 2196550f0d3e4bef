package city.heze.peony.ops;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.schemas.PeonyTopic;
import city.heze.peony.schemas.Topics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./peony up} as a user runs it: a child process, stopped with SIGTERM. */
class PeonyUpIT {
    private static final Duration START = Duration.ofMinutes(3);

    @TempDir
    Path dataDir;

    @Test
    void upServesKafkaWithPeonysTopicsAndStopsCleanlyOnSigterm() throws Exception {
        int port = EmbeddedKafkaBroker.freePort();
        int registryPort = EmbeddedKafkaBroker.freePort();
        try (PeonyProcess peony = PeonyProcess.start(
                "up",
                "--data-dir",
                dataDir.toString(),
                "--kafka-port",
                Integer.toString(port),
                "--registry-port",
                Integer.toString(registryPort))) {
            String up = peony.awaitLine("Peony is up:", START);
            String bootstrap = PeonyProcess.fields(up).get("bootstrap.servers");
            assertThat(bootstrap).isEqualTo("127.0.0.1:" + port);
            String registryUrl = PeonyProcess.fields(up).get("schema.registry.url");
            assertThat(registryUrl).isEqualTo("http://127.0.0.1:" + registryPort);
            try (var schemas = city.heze.peony.schemas.registry.SchemaRegistryClients.forUrl(registryUrl)) {
                assertThat(schemas.subjects()).contains("raw.mz.social-assistance-value");
            }

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertThat(topics)
                        .containsAll(Topics.SYSTEM_TOPICS.stream()
                                .map(PeonyTopic::name)
                                .toList());
                var catalog = admin.describeConfigs(Set.of(new org.apache.kafka.common.config.ConfigResource(
                                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, Topics.CATALOG.name())))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                assertThat(catalog.values()
                                .iterator()
                                .next()
                                .get("cleanup.policy")
                                .value())
                        .isEqualTo("compact");
            }

            long stopping = System.nanoTime();
            assertThat(peony.terminate(Duration.ofSeconds(30)))
                    .as(peony.transcript())
                    .isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void aPortInUseIsOneLineAndExitCode2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            try (PeonyProcess peony = PeonyProcess.run(
                    START, "up", "--data-dir", dataDir.toString(), "--kafka-port", Integer.toString(port))) {
                assertThat(peony.exitCode()).isEqualTo(2);
                assertThat(peony.transcript())
                        .contains("Port " + port + " is already in use")
                        .doesNotContain("Exception")
                        .doesNotContain("\tat ");
            }
        }
    }
}
