package city.heze.peony.ops.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.ops.LocalPeony;
import city.heze.peony.ops.PeonyCommand;
import city.heze.peony.ops.publish.PeonyRun;
import city.heze.peony.producers.CatalogTopic;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** {@code peony catalog register} against a real broker and registry, as a user runs it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogIT {
    private static final Path CATALOGS = Path.of("catalog").toAbsolutePath();

    @TempDir
    static Path dataDir;

    static LocalPeony peony;
    static Properties client;

    @BeforeAll
    static void start() {
        peony = LocalPeony.start(dataDir);
        client = peony.client();
    }

    @AfterAll
    static void stop() {
        if (peony != null) {
            peony.close();
        }
    }

    private static int run(String... args) {
        return PeonyCommand.execute(PeonyRun.against(peony.bootstrapServers(), peony.registryUrl(), args));
    }

    @Test
    @Order(1)
    void registersEveryCatalogWithItsSchemaAndTopics() throws Exception {
        assertThat(run("catalog", "register", CATALOGS.toString())).isZero();

        Map<String, CatalogEntry> entries = new CatalogTopic(client).readAll();
        assertThat(entries).hasSize(CatalogFile.filesIn(CATALOGS).size());
        try (Admin admin = Admin.create(client);
                SchemaRegistryClient schemas = SchemaRegistryClients.forUrl(peony.registryUrl())) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            for (String id : entries.keySet()) {
                assertThat(topics).contains(Topics.raw(id), Topics.shared(id));
                assertThat(schemas.versions(Topics.raw(id) + "-value")).containsExactly(1);
            }
        }
    }

    @Test
    @Order(2)
    void registeringTheSameEntriesAgainChangesNothing() {
        Map<String, CatalogEntry> before = new CatalogTopic(client).readAll();
        assertThat(run("catalog", "register", CATALOGS.toString())).isZero();
        Map<String, CatalogEntry> after = new CatalogTopic(client).readAll();
        assertThat(after).isEqualTo(before);
    }

    @Test
    @Order(3)
    void anIncompatibleSchemaChangeIsRefusedAndTheEntryStays(@TempDir Path dir) throws Exception {
        String text = Files.readString(CATALOGS.resolve("sw.tax-registration.yaml"));
        String field = "      - {name: regionCode, type: string, doc: \"Division code of the tax office.\"}\n";
        assertThat(text).contains(field);
        Path changed = dir.resolve("sw.tax-registration.yaml");
        Files.writeString(
                changed,
                text.replace(
                        field, field + "      - {name: taxOffice, type: string, doc: \"required, no default\"}\n"));
        CatalogEntry before = new CatalogTopic(client).readAll().get("sw.tax-registration");

        assertThat(run("catalog", "register", changed.toString())).isEqualTo(1);

        assertThat(new CatalogTopic(client).readAll().get("sw.tax-registration"))
                .isEqualTo(before);
        try (SchemaRegistryClient schemas = SchemaRegistryClients.forUrl(peony.registryUrl())) {
            assertThat(schemas.versions("raw.sw.tax-registration-value")).containsExactly(1);
        }
    }

    @Test
    @Order(4)
    void aCompatibleChangeIsANewVersionAndAnUpdatedEntry(@TempDir Path dir) throws Exception {
        String text = Files.readString(CATALOGS.resolve("sw.tax-registration.yaml"));
        String field = "      - {name: regionCode, type: string, doc: \"Division code of the tax office.\"}\n";
        Path changed = dir.resolve("sw.tax-registration.yaml");
        Files.writeString(
                changed,
                text.replace(
                        field,
                        field
                                + "      - {name: taxOffice, type: [\"null\", string], default: null, doc: \"optional\"}\n"));

        assertThat(run("catalog", "register", changed.toString())).isZero();

        CatalogEntry entry = new CatalogTopic(client).readAll().get("sw.tax-registration");
        assertThat(entry.getSchema$()).contains("taxOffice");
        try (SchemaRegistryClient schemas = SchemaRegistryClients.forUrl(peony.registryUrl())) {
            assertThat(schemas.versions("raw.sw.tax-registration-value")).isEqualTo(List.of(1, 2));
        }
    }

    @Test
    @Order(5)
    void morePartitionsGrowRawAndSharedAndFewerAreRefusedWithOneLine(@TempDir Path dir) throws Exception {
        String text = Files.readString(CATALOGS.resolve("mz.social-assistance.yaml"));
        Path file = dir.resolve("mz.social-assistance.yaml");
        Files.writeString(file, text + "partitions: 6\n");
        assertThat(partitions("mz.social-assistance")).as("before").containsExactly(3, 3);

        assertThat(run("catalog", "register", file.toString())).isZero();
        assertThat(partitions("mz.social-assistance")).as("after partitions: 6").containsExactly(6, 6);

        Files.writeString(file, text + "partitions: 2\n");
        PeonyRun rejected = runCapturing("catalog", "register", file.toString());
        assertThat(rejected.exitCode()).isEqualTo(1);
        assertThat(rejected.err().strip())
                .isEqualTo("peony catalog register: catalog mz.social-assistance: partitions: 2 is fewer than the 6"
                        + " its topics have; Kafka cannot remove partitions, so expected 6 or more");
        assertThat(partitions("mz.social-assistance")).as("after partitions: 2").containsExactly(6, 6);

        // Without partitions: the topics keep what they have; the default is for new topics only.
        assertThat(run(
                        "catalog",
                        "register",
                        CATALOGS.resolve("mz.social-assistance.yaml").toString()))
                .isZero();
        assertThat(partitions("mz.social-assistance")).containsExactly(6, 6);
    }

    @Test
    @Order(6)
    void aBatchRegistersEveryCatalogItCanAndNamesEachOneItCannot(@TempDir Path dir) throws Exception {
        String tax = Files.readString(CATALOGS.resolve("sw.tax-registration.yaml"));
        String field = "      - {name: regionCode, type: string, doc: \"Division code of the tax office.\"}\n";
        Files.writeString(
                dir.resolve("sw.tax-registration.yaml"),
                tax.replace(field, field + "      - {name: taxCode, type: int, doc: \"required, no default\"}\n"));
        String assistance = Files.readString(CATALOGS.resolve("mz.social-assistance.yaml"));
        for (int i = 1; i <= 3; i++) {
            String id = "mz.social-assistance-copy" + i;
            Files.writeString(
                    dir.resolve(id + ".yaml"),
                    assistance.replace("id: mz.social-assistance", "id: " + id) + "partitions: " + i + "\n");
        }
        PeonyRun batch = runCapturing("catalog", "register", dir.toString());

        assertThat(batch.exitCode()).isEqualTo(1);

        assertThat(batch.err().lines().toList())
                .singleElement()
                .asString()
                .startsWith("peony catalog register: catalog sw.tax-registration: the registry at ");
        Map<String, CatalogEntry> entries = new CatalogTopic(client).readAll();
        for (int i = 1; i <= 3; i++) {
            String id = "mz.social-assistance-copy" + i;
            assertThat(entries).containsKey(id);
            assertThat(partitions(id)).containsExactly(i, i);
        }
    }

    private static PeonyRun runCapturing(String... args) {
        return PeonyRun.peony(peony.bootstrapServers(), peony.registryUrl(), args);
    }

    /** The partition counts of the catalog's raw and shared topics, in that order. */
    private static List<Integer> partitions(String catalogId) throws Exception {
        try (Admin admin = Admin.create(client)) {
            var described = admin.describeTopics(List.of(Topics.raw(catalogId), Topics.shared(catalogId)))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            return List.of(
                    described.get(Topics.raw(catalogId)).partitions().size(),
                    described.get(Topics.shared(catalogId)).partitions().size());
        }
    }
}
