package city.heze.peony.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.bench.BenchHarness;
import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.ops.PeonyCommand;
import city.heze.peony.ops.TopicProvisioner;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.schemas.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code peony bench} end to end on a small scale, against a real broker and registry: every row
 * of the table must be measured and positive. Never a timing: a bench is not a test of speed.
 */
class BenchIT {
    @TempDir
    static Path dataDir;

    static EmbeddedKafkaBroker broker;
    static EmbeddedSchemaRegistry registry;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.create(dataDir.resolve("broker"), 0).start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            new TopicProvisioner(admin, (short) 1).ensure(Topics.SYSTEM_TOPICS);
        }
        registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, Topics.SCHEMAS.name());
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyRowIsMeasuredAndPositiveAndTheBenchCleansUpAfterItself() throws Exception {
        Set<String> topicsBefore = topics();
        Path json = dataDir.resolve("bench.json");

        int exit = PeonyCommand.execute(
                "bench",
                "--external",
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--registry-url",
                registry.url(),
                "--catalog-dir",
                Path.of("catalog").toAbsolutePath().toString(),
                "--records",
                "2000",
                "--duration",
                "1",
                "--runs",
                "1",
                "--warmup-records",
                "0",
                "--catalogs",
                "20",
                "--json",
                json.toString());

        assertThat(exit).as("exit code of peony bench").isZero();
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        List<String> unmeasured = new ArrayList<>();
        for (JsonNode row : iterable(report.get("figures"))) {
            if (row.has("notMeasured")
                    || !row.has("median")
                    || !(row.get("median").asDouble() > 0)) {
                unmeasured.add(row.toString());
            }
        }
        for (JsonNode row : iterable(report.get("ratios"))) {
            if (row.has("notMeasured") || !(row.get("median").asDouble() > 0)) {
                unmeasured.add(row.toString());
            }
        }
        assertThat(unmeasured).as("rows not measured or not positive").isEmpty();
        assertThat(keys(report.get("figures")))
                .containsExactly(
                        BenchHarness.PRODUCER,
                        BenchHarness.STREAMS_ALOS,
                        BenchHarness.STREAMS_EOS,
                        BenchHarness.PUBLISH,
                        BenchHarness.PUBLISH_FILE,
                        BenchHarness.VALIDATE_ALOS,
                        BenchHarness.VALIDATE_EOS,
                        BenchHarness.SHARE,
                        BenchHarness.OPEN,
                        BenchHarness.SERDE_PEONY,
                        BenchHarness.SERDE_RAW,
                        BenchHarness.LATENCY_RATE_ALOS,
                        BenchHarness.LATENCY_PLAIN_P50,
                        BenchHarness.LATENCY_PLAIN_P99,
                        BenchHarness.LATENCY_ALOS_P50,
                        BenchHarness.LATENCY_ALOS_P99,
                        BenchHarness.LATENCY_RATE_EOS,
                        BenchHarness.LATENCY_EOS_P50,
                        BenchHarness.LATENCY_EOS_P99,
                        BenchHarness.LATENCY_OWN_ALOS_P50,
                        BenchHarness.LATENCY_OWN_ALOS_P99,
                        BenchHarness.LATENCY_OWN_EOS_P50,
                        BenchHarness.LATENCY_OWN_EOS_P99,
                        BenchHarness.HEAP_STREAMS_ALOS,
                        BenchHarness.HEAP_STREAMS_EOS,
                        BenchHarness.HEAP_VALIDATE_ALOS,
                        BenchHarness.HEAP_VALIDATE_EOS,
                        BenchHarness.HEAP_SHARE,
                        BenchHarness.HEAP_OPEN);
        assertThat(keys(report.get("ratios")))
                .containsExactly(
                        "publish/P",
                        "publish.file/P",
                        "validate.alos/S",
                        "validate.eos/S",
                        "share/S",
                        "open/S",
                        "serde/raw",
                        "latency.alos.p99/plain.p99",
                        "latency.eos.p99/plain.p99",
                        "latency.own.alos.p99/plain.p99",
                        "latency.own.eos.p99/plain.p99");

        // The catalog-scale row: 20 generated catalogs against 12, every figure there.
        JsonNode scale = report.get("catalogScale");
        assertThat(scale).as("catalogScale in " + report).isNotNull();
        assertThat(scale.get("catalogs").asInt()).isEqualTo(20);
        assertThat(scale.get("registerFailures").asInt()).isZero();
        assertThat(scale.get("registerSeconds").asDouble()).isPositive();
        assertThat(scale.get("startSecondsSmall").asDouble()).isPositive();
        assertThat(scale.get("startSecondsLarge").asDouble()).isPositive();
        assertThat(scale.get("runs")).hasSize(1);
        assertThat(scale.get("runs").get(0).get("small").asDouble()).isPositive();
        assertThat(scale.get("runs").get(0).get("large").asDouble()).isPositive();
        assertThat(scale.get("largestGrowth")).as("class histogram rows").isNotEmpty();

        // Its own topics are gone again (internal topics of its applications included).
        Set<String> left = new TreeSet<>(topics());
        left.removeAll(topicsBefore);
        assertThat(left).as("topics the bench left behind").isEmpty();
    }

    @Test
    void catalogsOnlyMeasuresTheCatalogScaleRowAlone() throws Exception {
        Set<String> topicsBefore = topics();
        Path json = dataDir.resolve("scale-only.json");

        int exit = PeonyCommand.execute(
                "bench",
                "--external",
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--registry-url",
                registry.url(),
                "--catalog-dir",
                Path.of("catalog").toAbsolutePath().toString(),
                "--records",
                "1000",
                "--runs",
                "1",
                "--catalogs",
                "5",
                "--catalogs-only",
                "--json",
                json.toString());

        assertThat(exit).as("exit code of peony bench --catalogs-only").isZero();
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.has("figures"))
                .as("no other row was measured: " + report)
                .isFalse();
        JsonNode scale = report.get("catalogScale");
        assertThat(scale.get("catalogs").asInt()).isEqualTo(5);
        assertThat(scale.get("registerFailures").asInt()).isZero();
        assertThat(scale.get("runs").get(0).get("large").asDouble()).isPositive();
        Set<String> left = new TreeSet<>(topics());
        left.removeAll(topicsBefore);
        assertThat(left).as("topics the bench left behind").isEmpty();
    }

    @Test
    void catalogsOnlyWithoutCatalogsIsRefused() {
        int exit = PeonyCommand.execute(
                "bench",
                "--external",
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--registry-url",
                registry.url(),
                "--catalogs-only");

        assertThat(exit).as("exit code of peony bench --catalogs-only alone").isNotZero();
    }

    @Test
    void secureAddsPublishAndValidationOnASecuredBrokerAsRatiosToThePlainOnes() throws Exception {
        Path json = dataDir.resolve("secure.json");
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        System.setOut(new PrintStream(table, true, StandardCharsets.UTF_8));
        try {
            exit = PeonyCommand.execute(
                    "bench",
                    "--secure",
                    "--catalog-dir",
                    Path.of("catalog").toAbsolutePath().toString(),
                    "--records",
                    "1000",
                    "--duration",
                    "0.5",
                    "--runs",
                    "1",
                    "--warmup-records",
                    "0",
                    "--json",
                    json.toString());
        } finally {
            System.setOut(stdout);
        }
        String printed = table.toString(StandardCharsets.UTF_8);
        stdout.print(printed);

        assertThat(exit).as("exit code of peony bench --secure").isZero();
        // Each ratio row: its label, then median, min and max, the spread and the target.
        assertThat(printed)
                .containsPattern("(?m)^  publish secure/plain +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+  >= 0\\.90")
                .containsPattern(
                        "(?m)^  validate secure/plain, exactly_once_v2 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+  >= 0\\.90");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(keys(report.get("figures")))
                .as("the plain rows, then the secured ones")
                .contains(BenchHarness.PUBLISH, BenchHarness.VALIDATE_EOS)
                .endsWith(BenchHarness.PUBLISH_SECURE, BenchHarness.VALIDATE_SECURE);
        assertThat(keys(report.get("ratios"))).endsWith("publish.secure/plain", "validate.secure/plain");
        for (JsonNode row : iterable(report.get("ratios"))) {
            String key = row.get("key").asText();
            if (key.endsWith("secure/plain")) {
                assertThat(row.has("notMeasured")).as(row.toString()).isFalse();
                assertThat(row.get("median").asDouble()).as(row.toString()).isPositive();
                assertThat(row.get("target").asText()).as(row.toString()).isEqualTo(">= 0.9");
            }
        }
    }

    @Test
    void secureWithExternalIsRefused() {
        int exit = PeonyCommand.execute(
                "bench",
                "--secure",
                "--external",
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--registry-url",
                registry.url());

        assertThat(exit).as("exit code of peony bench --secure --external").isNotZero();
    }

    private static Set<String> topics() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> keys(JsonNode rows) {
        List<String> keys = new ArrayList<>();
        rows.forEach(r -> keys.add(r.get("key").asText()));
        return keys;
    }

    private static Iterable<JsonNode> iterable(JsonNode array) {
        return array::elements;
    }
}
