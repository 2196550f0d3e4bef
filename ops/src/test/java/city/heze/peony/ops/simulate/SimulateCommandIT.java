package city.heze.peony.ops.simulate;

import static city.heze.peony.ops.publish.PeonyRun.peony;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.ops.LocalPeony;
import city.heze.peony.ops.publish.PeonyRun;
import city.heze.peony.ops.publish.TopicContents;
import city.heze.peony.producers.CatalogTopic;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.rules.CatalogRules;
import city.heze.peony.streams.rules.ValidationResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code peony simulate} against a real broker and registry with the catalogs of {@code
 * ops/catalog/} registered: the same seed publishes the same records byte for byte, and the rule
 * library rejects exactly as many records as the simulator says it spoiled.
 */
class SimulateCommandIT {
    private static final Path CATALOGS = Path.of("catalog").toAbsolutePath();
    private static final Pattern DEFECTS = Pattern.compile("simulated (\\d+) records: (\\d+) defects \\(.*\\)");
    private static final Pattern SHARES = Pattern.compile("share applications (\\d+): .*never answered (\\d+),.*");

    @TempDir
    static Path dataDir;

    static LocalPeony peony;
    static Properties client;

    @BeforeAll
    static void start() {
        peony = LocalPeony.start(dataDir);
        client = peony.client();
        PeonyRun register = run("catalog", "register", CATALOGS.toString());
        assertThat(register.exitCode()).as(register.toString()).isZero();
    }

    @AfterAll
    static void stop() {
        if (peony != null) {
            peony.close();
        }
    }

    private static PeonyRun run(String... args) {
        return peony(peony.bootstrapServers(), peony.registryUrl(), args);
    }

    @Test
    void theSameSeedPublishesTheSameRecordsTwiceAndValidationRejectsExactlyTheDefects() throws Exception {
        String[] simulate = {
            "simulate",
            "--seed",
            "20251129",
            "--count",
            "600",
            "--rate",
            "5000",
            "--defect-rate",
            "0.1",
            "--share-rate",
            "300"
        };
        PeonyRun first = run(simulate);
        PeonyRun second = run(simulate);

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(second.exitCode()).as(second.toString()).isZero();
        List<String> report = summary(first);
        assertThat(summary(second)).isEqualTo(report);
        Matcher defects = DEFECTS.matcher(report.get(0));
        assertThat(defects.matches()).as(report.get(0)).isTrue();
        assertThat(defects.group(1)).isEqualTo("600");
        long planted = Long.parseLong(defects.group(2));
        assertThat(planted).isBetween(30L, 100L);
        Matcher shares = SHARES.matcher(report.get(1));
        assertThat(shares.matches()).as(report.get(1)).isTrue();
        long applications = Long.parseLong(shares.group(1));
        long neverAnswered = Long.parseLong(shares.group(2));
        assertThat(applications).isPositive();

        Map<String, CatalogEntry> catalogs = new CatalogTopic(client).readAll();
        long records = 0;
        long rejected = 0;
        for (CatalogEntry catalog : catalogs.values()) {
            String topic = Topics.raw(catalog.getId());
            List<ConsumerRecord<byte[], byte[]>> bytes = TopicContents.raw(client, topic);
            assertSecondRunRepeatsTheFirst(topic, bytes);
            records += bytes.size();

            Schema schema = new Schema.Parser().parse(catalog.getSchema$());
            CatalogRules rules = CatalogRules.compile(catalog.getFieldRules(), schema);
            for (ConsumerRecord<String, GenericRecord> r : TopicContents.decoded(client, topic)) {
                ValidationResult result = rules.evaluate(r.value());
                assertThat(result.warnings()).as(topic + " " + r.value()).isEmpty();
                if (!result.blockingFailures().isEmpty()) {
                    rejected++;
                }
            }
        }
        assertThat(records).isEqualTo(2 * 600);
        assertThat(rejected).isEqualTo(2 * planted);

        // The simulated departments submit and answer on their own topics, as departments do.
        long requests = 0;
        long decisions = 0;
        for (String department : catalogs.values().stream()
                .map(CatalogEntry::getDepartment)
                .distinct()
                .toList()) {
            List<ConsumerRecord<byte[], byte[]>> submitted =
                    TopicContents.raw(client, Topics.shareRequestsOf(department));
            assertSecondRunRepeatsTheFirst(Topics.shareRequestsOf(department), submitted);
            requests += submitted.size();
            decisions += TopicContents.raw(client, Topics.shareDecisionsOf(department))
                    .size();
        }
        assertThat(requests).isEqualTo(2 * applications);
        assertThat(decisions).isEqualTo(2 * (applications - neverAnswered));
    }

    @Test
    void recordsWithoutShareTrafficPublishOnlyRecords() {
        PeonyRun records = run(
                "simulate",
                "--catalog",
                "mz.social-assistance",
                "--count",
                "10",
                "--rate",
                "1000",
                "--share-rate",
                "0");

        assertThat(records.exitCode()).as(records.toString()).isZero();
        assertThat(records.out()).contains("10 records");
    }

    @Test
    void aCatalogThatIsNotRegisteredIsOneLineAndExitCode2() {
        PeonyRun unknown = run("simulate", "--catalog", "mz.nowhere", "--count", "1");

        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err().strip())
                .isEqualTo("peony simulate: no catalog 'mz.nowhere' on peony.catalog; register it first (peony catalog"
                        + " register)");
    }

    /** The summary lines of a run (without the seed line's wall-clock-free details, which match anyway). */
    private static List<String> summary(PeonyRun run) {
        List<String> lines = new ArrayList<>(Arrays.asList(run.out().split("\n")));
        lines.removeIf(l -> l.startsWith("simulating "));
        return lines;
    }

    /** Each partition holds the first run's records, then the second's: the halves must be equal. */
    private static void assertSecondRunRepeatsTheFirst(String topic, List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
        records.forEach(r -> byPartition
                .computeIfAbsent(r.partition(), p -> new ArrayList<>())
                .add(r));
        for (var e : byPartition.entrySet()) {
            List<ConsumerRecord<byte[], byte[]>> all = e.getValue();
            assertThat(all.size() % 2)
                    .as(topic + "-" + e.getKey() + " holds two equal runs")
                    .isZero();
            int half = all.size() / 2;
            for (int i = 0; i < half; i++) {
                ConsumerRecord<byte[], byte[]> a = all.get(i);
                ConsumerRecord<byte[], byte[]> b = all.get(half + i);
                assertThat(b.key())
                        .as(topic + "-" + e.getKey() + " record " + i)
                        .isEqualTo(a.key());
                assertThat(b.value())
                        .as(topic + "-" + e.getKey() + " record " + i)
                        .isEqualTo(a.value());
            }
        }
    }
}
