package city.heze.peony.ops.publish;

import static city.heze.peony.ops.publish.PeonyRun.peony;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.ops.LocalPeony;
import city.heze.peony.producers.CatalogTopic;
import city.heze.peony.producers.simulate.RecordGenerator;
import city.heze.peony.schemas.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code peony publish} as a department runs it, against a real broker and registry with the
 * catalogs of {@code ops/catalog/} registered: files in, exactly their good records out on {@code
 * raw.<id>}, bad lines named, transactions all or nothing.
 */
class PublishCommandIT {
    private static final Path CATALOGS = Path.of("catalog").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW = Instant.parse("2026-03-02T02:00:00Z").toEpochMilli();

    @TempDir
    static Path dataDir;

    @TempDir
    Path files;

    static LocalPeony peony;
    static Properties client;
    static Map<String, CatalogEntry> catalogs;

    @BeforeAll
    static void start() {
        peony = LocalPeony.start(dataDir);
        client = peony.client();
        PeonyRun register = run("catalog", "register", CATALOGS.toString());
        assertThat(register.exitCode()).as(register.toString()).isZero();
        catalogs = new CatalogTopic(client).readAll();
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
    void aJsonLinesFileIsPublishedAndReadBackExactly() throws Exception {
        String id = "mz.social-assistance";
        List<GenericRecord> records = generate(id, 400, 1);
        Path file = files.resolve("recipients.jsonl");
        Files.write(file, records.stream().map(PublishCommandIT::json).toList(), StandardCharsets.UTF_8);

        PeonyRun publish = run("publish", "--catalog", id, "--file", file.toString());

        assertThat(publish.exitCode()).as(publish.toString()).isZero();
        assertThat(publish.out()).startsWith("read 400, published 400, rejected 0 in ");
        assertThat(Files.exists(Path.of(file + ".rejects"))).isFalse();
        Map<String, GenericRecord> read = byKey(TopicContents.decoded(client, Topics.raw(id)));
        assertThat(read).hasSize(400);
        for (GenericRecord sent : records) {
            GenericRecord back = read.get(sent.get("recordId").toString());
            assertThat(back).as("record " + sent.get("recordId")).isNotNull();
            assertThat(back.toString()).isEqualTo(sent.toString());
            assertThat(back.get("name").toString()).isEqualTo(sent.get("name").toString());
        }
    }

    @Test
    void aCsvFileWithThreeBadLinesExitsOneNamingThemAndPublishesTheRest() throws Exception {
        String id = "sw.tax-registration";
        List<GenericRecord> records = generate(id, 20, 2);
        Schema schema = records.get(0).getSchema();
        List<String> lines = new ArrayList<>();
        lines.add(schema.getFields().stream().map(Schema.Field::name).collect(Collectors.joining(",")));
        records.forEach(r -> lines.add(csv(r)));
        lines.set(4, lines.get(4).replaceFirst(",(A|B|M|C|D|UNRATED),", ",AAA,")); // line 5: unknown symbol
        lines.set(8, lines.get(8).replaceFirst(",\\d{4}-\\d{2}-\\d{2},", ",2024-13-01,")); // line 9: no date
        lines.set(13, lines.get(13).substring(0, lines.get(13).lastIndexOf(','))); // line 14: a column short
        Path file = files.resolve("taxpayers.csv");
        Files.write(file, lines, StandardCharsets.UTF_8);

        PeonyRun publish = run("publish", "--catalog", id, "--file", file.toString());

        assertThat(publish.exitCode()).as(publish.toString()).isEqualTo(1);
        assertThat(publish.err())
                .contains(file + ":5: field 'creditRating': unknown symbol \"AAA\"")
                .contains(file + ":9: field 'registeredOn': expected a date yyyy-MM-dd, found \"2024-13-01\"")
                .contains(file + ":14: expected 7 columns as in the header, found 6");
        assertThat(publish.out())
                .startsWith("read 20, published 17, rejected 3 in ")
                .contains("bad lines are in " + file + ".rejects");
        List<String> rejects = Files.readAllLines(Path.of(file + ".rejects"), StandardCharsets.UTF_8);
        assertThat(rejects.get(1)).isEqualTo(lines.get(0));
        assertThat(rejects.stream().filter(l -> l.startsWith("# line ")))
                .extracting(l -> l.substring(0, l.indexOf(':')))
                .containsExactly("# line 5", "# line 9", "# line 14");
        assertThat(rejects).contains(lines.get(4), lines.get(8), lines.get(13));

        List<String> expectedIds = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (i != 3 && i != 7 && i != 12) {
                expectedIds.add(records.get(i).get("recordId").toString());
            }
        }
        Map<String, GenericRecord> read = byKey(TopicContents.decoded(client, Topics.raw(id)));
        assertThat(read.keySet()).containsExactlyInAnyOrderElementsOf(expectedIds);
        assertThat(read.get(expectedIds.get(0)).get("taxpayerName").toString())
                .isEqualTo(records.get(0).get("taxpayerName").toString());
    }

    @Test
    void allOrNothingWithABadLineLeavesNothingForReadCommittedConsumers() throws Exception {
        String id = "ga.household-registration";
        List<String> lines =
                generate(id, 60, 3).stream().map(PublishCommandIT::json).collect(Collectors.toList());
        lines.set(29, lines.get(29).replace("\"regionCode\":", "\"regionCod\":"));
        Path file = files.resolve("households.jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);

        PeonyRun aborted = run("publish", "--catalog", id, "--file", file.toString(), "--all-or-nothing");

        assertThat(aborted.exitCode()).as(aborted.toString()).isEqualTo(1);
        assertThat(aborted.err()).contains(file + ":30: field 'regionCod': not a field of");
        assertThat(aborted.out())
                .startsWith("read 60, published 0, rejected 1 in ")
                .contains("transaction aborted (line 30 is bad): nothing of the file was published");
        assertThat(TopicContents.decoded(client, Topics.raw(id))).isEmpty();

        lines.remove(29);
        Files.write(file, lines, StandardCharsets.UTF_8);
        PeonyRun committed = run("publish", "--catalog", id, "--file", file.toString(), "--all-or-nothing");

        assertThat(committed.exitCode()).as(committed.toString()).isZero();
        assertThat(committed.out()).startsWith("read 59, published 59, rejected 0 in ");
        assertThat(TopicContents.decoded(client, Topics.raw(id))).hasSize(59);
    }

    @Test
    void aDryRunConvertsAndReportsButPublishesNothing() throws Exception {
        String id = "scjg.business-deregistration";
        List<String> lines =
                generate(id, 30, 4).stream().map(PublishCommandIT::json).collect(Collectors.toList());
        lines.set(9, lines.get(9).replaceFirst("\"kind\":\"[A-Z_]+\"", "\"kind\":\"CLOSED\""));
        Path file = files.resolve("closures.ndjson");
        Files.write(file, lines, StandardCharsets.UTF_8);

        PeonyRun dryRun = run("publish", "--catalog", id, "--file", file.toString(), "--dry-run");

        assertThat(dryRun.exitCode()).as(dryRun.toString()).isEqualTo(1);
        assertThat(dryRun.err()).contains(file + ":10: field 'kind': unknown symbol \"CLOSED\"");
        assertThat(dryRun.out())
                .startsWith("read 30, published 0, rejected 1 in ")
                .contains("dry run: nothing was published, 29 lines would be");
        assertThat(TopicContents.raw(client, Topics.raw(id))).isEmpty();
    }

    @Test
    void anUnreachableRegistryIsOneLineNamingItWhateverTheCommand() throws Exception {
        Path file = files.resolve("one.jsonl");
        Files.writeString(file, "{}\n");
        String closed = "http://127.0.0.1:" + EmbeddedKafkaBroker.freePort();
        String expected = "the schema registry at " + closed + " cannot be reached (connection refused)";

        PeonyRun publish = peony(
                peony.bootstrapServers(),
                closed,
                "publish",
                "--catalog",
                "mz.social-assistance",
                "--file",
                file.toString());
        PeonyRun catalogs = peony(peony.bootstrapServers(), closed, "catalog", "list");
        PeonyRun schemas = peony(peony.bootstrapServers(), closed, "schemas", "list");

        for (PeonyRun run : List.of(publish, catalogs, schemas)) {
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.err().strip()).as(run.toString()).endsWith(expected).doesNotContain("\n");
            assertThat(run.err()).as(run.toString()).doesNotContain("seek past the record");
        }
        assertThat(publish.err()).startsWith("peony publish: ");
        assertThat(catalogs.err()).startsWith("peony catalog list: ");
    }

    @Test
    void anUnknownCatalogAMissingFileOrAnUnreachableClusterIsOneLineAndExitCode2() throws Exception {
        Path file = files.resolve("empty.jsonl");
        Files.writeString(file, "");

        PeonyRun unknown = run("publish", "--catalog", "mz.nothing-here", "--file", file.toString());
        PeonyRun missing = run(
                "publish",
                "--catalog",
                "mz.social-assistance",
                "--file",
                files.resolve("no.jsonl").toString());
        int closedPort = EmbeddedKafkaBroker.freePort();
        PeonyRun unreachable = PeonyRun.run(
                "publish",
                "--catalog",
                "mz.social-assistance",
                "--file",
                file.toString(),
                "--bootstrap-servers",
                "127.0.0.1:" + closedPort,
                "--registry-url",
                peony.registryUrl());

        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err().strip())
                .startsWith("peony publish: no catalog 'mz.nothing-here' on " + peony.bootstrapServers() + "; known: ")
                .contains("mz.social-assistance")
                .doesNotContain("\n");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip())
                .isEqualTo("peony publish: --file " + files.resolve("no.jsonl") + ": no such file");
        assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(2);
        assertThat(unreachable.err().strip())
                .startsWith("peony publish: cannot reach Kafka at 127.0.0.1:" + closedPort + ": ")
                .doesNotContain("\n")
                .doesNotContain("Exception");
    }

    /** Valid records of a catalog, built with its registered schema. */
    private static List<GenericRecord> generate(String catalogId, int n, long seed) {
        CatalogEntry catalog = catalogs.get(catalogId);
        RecordGenerator generator = RecordGenerator.forCatalog(catalog);
        Random random = new Random(seed);
        List<GenericRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(generator.nextRecord(random, NOW - i * 60_000L));
        }
        return out;
    }

    private static Map<String, GenericRecord> byKey(List<ConsumerRecord<String, GenericRecord>> records) {
        return records.stream().collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value));
    }

    /** A record as a department's JSON Lines export writes it: dates and times as text, in the city's zone. */
    static String json(GenericRecord record) {
        ObjectNode node = JSON.createObjectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            node.set(field.name(), JSON.valueToTree(value == null ? null : text(field, value)));
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record as a CSV export writes it: text cells, an empty cell for null. */
    static String csv(GenericRecord record) {
        List<String> cells = new ArrayList<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            cells.add(value == null ? "" : String.valueOf(text(field, value)));
        }
        return String.join(",", cells);
    }

    private static Object text(Schema.Field field, Object value) {
        Schema type = field.schema().getType() == Schema.Type.UNION
                ? field.schema().getTypes().stream()
                        .filter(s -> s.getType() != Schema.Type.NULL)
                        .findFirst()
                        .orElseThrow()
                : field.schema();
        if (type.getLogicalType() instanceof LogicalTypes.Date) {
            return LocalDate.ofEpochDay((Integer) value).toString();
        }
        if (type.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            return Instant.ofEpochMilli((Long) value)
                    .atOffset(ZoneOffset.ofHours(8))
                    .toString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return value.toString();
    }
}
