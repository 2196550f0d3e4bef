package city.heze.peony.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.schemas.TestSchemas;
import city.heze.peony.schemas.registry.CompatibilityLevel;
import city.heze.peony.schemas.registry.RegisteredSchema;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's state lives in Kafka: a restarted registry (and broker) finds every subject, version and id. */
class EmbeddedSchemaRegistryRestartIT {
    private static final String TOPIC = "_restart_schemas";

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.create(dataDir, 0).start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** Everything a client can see, soft-deleted versions included, in a comparable form. */
    private record Snapshot(
            Map<String, List<RegisteredSchema>> versions,
            Map<String, String> subjectLevels,
            CompatibilityLevel global,
            List<String> liveSubjects) {}

    private static Snapshot snapshot(EmbeddedSchemaRegistry server) {
        SchemaRegistryClient client = SchemaRegistryClients.forUrl(server.url());
        Map<String, List<RegisteredSchema>> versions = new TreeMap<>();
        Map<String, String> levels = new TreeMap<>();
        for (String subject : client.subjects(true)) {
            List<RegisteredSchema> all = new ArrayList<>();
            for (int version : server.registry().versions(subject, true)) {
                all.add(server.registry().version(subject, version, true));
            }
            versions.put(subject, all);
            client.subjectCompatibility(subject).ifPresent(level -> levels.put(subject, level.name()));
        }
        return new Snapshot(versions, levels, client.globalCompatibility(), client.subjects());
    }

    @Test
    void aRestartedRegistryFindsEverythingAndNeverReusesAnId() {
        Snapshot before;
        int highestEverId;
        try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, TOPIC)) {
            SchemaRegistryClient client = SchemaRegistryClients.forUrl(first.url());
            client.register("residents-value", TestSchemas.RESIDENT_V1);
            client.register("residents-value", TestSchemas.RESIDENT_V2);
            client.register("archive-value", TestSchemas.RESIDENT_V1);
            client.register("vehicles-value", TestSchemas.VEHICLE);
            for (int i = 0; i < 20; i++) {
                client.register("numbers-value", TestSchemas.numbered(i));
                client.setSubjectCompatibility("numbers-value", CompatibilityLevel.NONE);
            }
            client.setSubjectCompatibility("residents-value", CompatibilityLevel.FULL);
            client.deleteVersion("residents-value", 1, false);
            highestEverId = client.register("short-lived-value", TestSchemas.numbered(999));
            client.deleteSubject("short-lived-value", false);
            client.deleteSubject("short-lived-value", true);
            before = snapshot(first);
        }

        Snapshot afterRegistryRestart;
        try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, TOPIC)) {
            afterRegistryRestart = snapshot(second);
        }
        broker.close();
        broker = EmbeddedKafkaBroker.create(dataDir, 0).start();
        try (EmbeddedSchemaRegistry third = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, TOPIC)) {
            Snapshot afterBrokerRestart = snapshot(third);
            int fresh = SchemaRegistryClients.forUrl(third.url()).register("fresh-value", TestSchemas.numbered(1000));

            assertThat(before.versions()).containsKeys("residents-value", "archive-value", "vehicles-value");
            assertThat(before.versions().get("numbers-value")).hasSize(20);
            assertThat(before.versions()).doesNotContainKey("short-lived-value");
            assertThat(afterRegistryRestart).isEqualTo(before);
            assertThat(afterBrokerRestart).isEqualTo(before);
            assertThat(fresh).isGreaterThan(highestEverId);
        }
    }
}
