package city.heze.peony.ops.opendata;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.ops.LocalPeony;
import city.heze.peony.ops.catalog.CatalogFile;
import city.heze.peony.ops.publish.PeonyRun;
import city.heze.peony.producers.simulate.RecordGenerator;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import city.heze.peony.streams.PeonyStreamsConfig;
import city.heze.peony.streams.opendata.OpenDataApp;
import city.heze.peony.streams.opendata.OpenDataContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code peony catalog register} creates {@code open.<id>} for the OPEN catalogs only; with the
 * open-data application running, {@code peony open list} shows their treatments and {@code peony
 * open rates} the rate of twelve simulated business registrations of which two carry a mobile number
 * in their business scope: 10 / 12.
 */
class OpenCommandsIT {
    private static final Path CATALOGS = Path.of("catalog").toAbsolutePath();
    private static final Duration WAIT = Duration.ofMinutes(2); // a loaded 2-core machine
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGISTRATION = "scjg.business-registration";

    @TempDir
    static Path dataDir;

    static LocalPeony cluster;
    static OpenDataApp app;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalPeony.start(dataDir.resolve("kafka"));
        PeonyRun register = peony(
                "catalog",
                "register",
                CATALOGS.resolve(REGISTRATION + ".yaml").toString(),
                CATALOGS.resolve("scjg.business-deregistration.yaml").toString(),
                CATALOGS.resolve("mz.social-assistance.yaml").toString());
        assertThat(register.exitCode()).as(register.err()).isZero();
        Properties client = cluster.client();
        app = OpenDataApp.start(
                client,
                "open-commands-it",
                PeonyStreamsConfig.DEFAULT_GUARANTEE,
                dataDir.resolve("open-state"),
                new OpenDataContext.Settings(
                        Map.of("schema.registry.url", cluster.registryUrl()),
                        new SimpleMeterRegistry(),
                        Duration.ofMillis(200)));
        assertThat(app.awaitRunning(WAIT)).isTrue();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static PeonyRun peony(String... args) {
        return PeonyRun.peony(cluster.bootstrapServers(), cluster.registryUrl(), args);
    }

    @Test
    void listsTheOpenCatalogsAndShowsTheRate() throws Exception {
        try (Admin admin = Admin.create(ClientConfigs.kafkaOnly(cluster.client()))) {
            assertThat(admin.listTopics().names().get())
                    .contains(Topics.open(REGISTRATION), Topics.open("scjg.business-deregistration"))
                    .doesNotContain(Topics.open("mz.social-assistance"));
        }

        PeonyRun list = peony("open", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out())
                .contains(REGISTRATION + " -> " + Topics.open(REGISTRATION))
                .containsPattern("legalRepresentativeId +DROP")
                .containsPattern("legalRepresentative +MASK +keepFirst=1 personName=true")
                .contains("2 OPEN catalog(s) of 3");
        JsonNode listed = JSON.readTree(peony("open", "list", "--json").out());
        assertThat(listed).hasSize(2);
        assertThat(listed.get(1).path("id").asText()).isEqualTo(REGISTRATION);
        assertThat(listed.get(1).path("required").toString()).isEqualTo("[\"creditCode\",\"entityName\"]");

        share(12, 2);
        JsonNode rates = awaitJson(
                r -> r.size() == 1 && r.get(0).path("due").asLong() == 12,
                "open",
                "rates",
                "--json",
                "--catalog",
                REGISTRATION,
                "--period",
                "month");
        assertThat(rates.get(0).path("opened").asLong()).isEqualTo(10);
        assertThat(rates.get(0).path("withheld").asLong()).isEqualTo(2);
        assertThat(rates.get(0).path("department").asText()).isEqualTo("scjg");
        PeonyRun table = peony("open", "rates", "--department", "scjg");
        assertThat(table.out()).contains("83.3%").contains(REGISTRATION).contains("rate(s)");
        PeonyRun bad = peony("open", "rates", "--period", "week");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("--period week: expected day or month");
    }

    /** {@code count} valid simulated registrations on shared.<id>, the first {@code planted} with a mobile in their scope. */
    private static void share(int count, int planted) throws Exception {
        CatalogEntry entry = CatalogFile.load(CATALOGS.resolve(REGISTRATION + ".yaml"));
        RecordGenerator generator = RecordGenerator.forCatalog(entry);
        Random random = new Random(16);
        Properties producerProps = new Properties();
        producerProps.put("bootstrap.servers", cluster.bootstrapServers());
        try (PeonyAvroSerializer values = new PeonyAvroSerializer();
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
            values.configure(Map.of("schema.registry.url", cluster.registryUrl()), false);
            long now = Instant.now().toEpochMilli();
            for (int i = 0; i < count; i++) {
                GenericRecord record = generator.nextRecord(random, now);
                if (i < planted) {
                    record.put("businessScope", "餐饮服务，联系电话13912345678");
                }
                producer.send(new ProducerRecord<>(
                        Topics.shared(REGISTRATION),
                        null,
                        now,
                        record.get("recordId").toString().getBytes(StandardCharsets.UTF_8),
                        values.serialize(Topics.raw(REGISTRATION), record)));
            }
            producer.flush();
        }
    }

    private static JsonNode awaitJson(Predicate<JsonNode> done, String... args) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            PeonyRun run = peony(args);
            assertThat(run.exitCode()).as(run.err()).isZero();
            last = JSON.readTree(run.out());
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("peony " + String.join(" ", args) + " never showed what was expected; last: " + last);
    }
}
