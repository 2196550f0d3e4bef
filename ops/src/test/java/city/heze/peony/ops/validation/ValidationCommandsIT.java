package city.heze.peony.ops.validation;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.common.RejectionKind;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.Severity;
import city.heze.peony.avro.common.Sex;
import city.heze.peony.avro.dept.AssistanceType;
import city.heze.peony.avro.dept.SocialAssistanceRecipient;
import city.heze.peony.identifiers.ResidentIds;
import city.heze.peony.ops.LocalPeony;
import city.heze.peony.ops.PeonyCommand;
import city.heze.peony.ops.TopicSnapshot;
import city.heze.peony.ops.publish.PeonyRun;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sun.misc.Signal;

/**
 * {@code peony validate}, {@code peony quality} and {@code peony dlq list|replay} against a real
 * broker and registry, run as a user runs them (in this JVM, through {@link PeonyCommand}).
 */
class ValidationCommandsIT {
    private static final Path CATALOGS = Path.of("catalog").toAbsolutePath();
    private static final String ASSISTANCE = "mz.social-assistance";
    private static final String REPLAYED = "zz.replay-only";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofMinutes(2); // a loaded 2-core machine

    @TempDir
    static Path dataDir;

    static LocalPeony cluster;
    static Properties client;
    static Map<String, Object> configs;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalPeony.start(dataDir.resolve("kafka"));
        client = cluster.client();
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(Topics.raw(REPLAYED), 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        configs = ClientConfigs.toMap(client);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Everything the commands printed on stdout and stderr while a test runs, by every thread. */
    private final StringWriter out = new StringWriter();

    private final StringWriter err = new StringWriter();

    private int peony(String... args) {
        return PeonyCommand.execute(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                PeonyRun.against(cluster.bootstrapServers(), cluster.registryUrl(), args));
    }

    /** Runs a command and returns what it printed. */
    private String output(String... args) {
        int before = out.toString().length();
        assertThat(peony(args)).as("peony %s", String.join(" ", args)).isZero();
        return out.toString().substring(before);
    }

    private JsonNode json(String... args) throws Exception {
        String printed = output(args);
        int start = printed.indexOf('[');
        if (start < 0) {
            throw new AssertionError("peony " + String.join(" ", args) + " printed no JSON list: " + printed);
        }
        return JSON.readTree(printed.substring(start));
    }

    private JsonNode awaitJson(Predicate<JsonNode> done, String... args) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last;
        do {
            last = json(args);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("peony " + String.join(" ", args) + " never showed what was expected: " + last);
    }

    private static SocialAssistanceRecipient recipient(int n, long amountFen) {
        LocalDate birth = LocalDate.of(1960, 3, 1 + n);
        return SocialAssistanceRecipient.newBuilder()
                .setRecordId("MZ-" + n)
                .setResidentId(ResidentIds.generate("371702", birth, 2 * n + 1))
                .setName("王建国")
                .setSex(Sex.MALE)
                .setBirthDate(birth)
                .setRegionCode("371702")
                .setAssistanceType(AssistanceType.MINIMUM_LIVING)
                .setMonthlyAmountFen(amountFen)
                .setHouseholdSize(2)
                .setApprovedOn(LocalDate.of(2024, 3, 15))
                .setPhone("13905301234")
                .setUpdatedAt(Instant.now())
                .build();
    }

    private static void send(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(client, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void validateRunsUntilSignalledWhileQualityAndDlqListShowWhatItDid() throws Exception {
        assertThat(peony(
                        "catalog",
                        "register",
                        CATALOGS.resolve(ASSISTANCE + ".yaml").toString()))
                .isZero();
        CompletableFuture<Integer> validate = CompletableFuture.supplyAsync(() -> peony(
                "validate",
                "--application-id",
                "it-validate",
                "--state-dir",
                dataDir.resolve("state").toString(),
                "--metrics-port",
                "0",
                "--report-interval",
                "1"));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!out.toString().contains("Validation is running:")) {
            assertThat(validate).as("peony validate exited early").isNotDone();
            assertThat(System.nanoTime())
                    .as("peony validate never said it was running")
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(out.toString()).contains("application.id=it-validate", "catalogs=");

        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (PeonyAvroSerializer serializer = new PeonyAvroSerializer()) {
            serializer.configure(configs, false);
            for (int n = 1; n <= 3; n++) {
                records.add(new ProducerRecord<>(
                        Topics.raw(ASSISTANCE),
                        utf8("MZ-" + n),
                        serializer.serialize(Topics.raw(ASSISTANCE), recipient(n, 60_000))));
            }
            records.add(new ProducerRecord<>(
                    Topics.raw(ASSISTANCE),
                    utf8("MZ-9"),
                    serializer.serialize(Topics.raw(ASSISTANCE), recipient(9, -100))));
        }
        records.add(new ProducerRecord<>(Topics.raw(ASSISTANCE), utf8("garbage"), utf8("not avro at all")));
        send(records);

        JsonNode rejected =
                awaitJson(list -> list.size() == 2, "dlq", "list", "--catalog", ASSISTANCE, "--json", "--limit", "0");
        JsonNode ruleFailure = rejected.get(0).get("key").asText().equals("MZ-9") ? rejected.get(0) : rejected.get(1);
        JsonNode garbage = ruleFailure == rejected.get(0) ? rejected.get(1) : rejected.get(0);
        assertThat(ruleFailure.get("kind").asText()).isEqualTo("RULE_FAILED");
        assertThat(ruleFailure.get("failures").get(0).get("ruleId").asText()).isEqualTo("sa.amount");
        assertThat(ruleFailure.get("value").get("recordId").asText()).isEqualTo("MZ-9");
        assertThat(ruleFailure.get("value").get("monthlyAmountFen").asLong()).isEqualTo(-100);
        assertThat(garbage.get("kind").asText()).isEqualTo("NOT_AVRO");
        assertThat(garbage.get("value").isNull()).isTrue();
        assertThat(garbage.get("valueBase64").asText())
                .isEqualTo(java.util.Base64.getEncoder().encodeToString(utf8("not avro at all")));
        assertThat(garbage.get("valueNotDecodedBecause").asText()).contains("not Confluent Avro");

        assertThat(json("dlq", "list", "--rule", "poison.not-avro", "--json")).hasSize(1);
        assertThat(output("dlq", "list", "--catalog", ASSISTANCE))
                .contains("sa.amount [BLOCKING] monthlyAmountFen:", "\"recordId\":\"MZ-9\"", "2 of 2 matching");

        JsonNode day = awaitJson(
                list -> list.size() == 2 && list.get(0).get("received").asLong() == 5,
                "quality",
                "--catalog",
                ASSISTANCE,
                "--json");
        assertThat(day.get(0).get("window").asText()).isEqualTo("DAY");
        assertThat(day.get(0).get("department").asText()).isEqualTo("mz");
        assertThat(day.get(0).get("passed").asLong()).isEqualTo(3);
        assertThat(day.get(0).get("qualifiedRate").asDouble()).isEqualTo(0.6);
        assertThat(day.get(0).get("failuresByRule").get("sa.amount").asLong()).isEqualTo(1);
        assertThat(day.get(1).get("window").asText()).isEqualTo("HOUR");
        assertThat(output("quality", "--department", "mz")).contains(ASSISTANCE, "60.00%", "sa.amount=1");

        Signal.raise(new Signal("TERM"));
        assertThat(validate.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).contains("Validation is stopping (SIGTERM)", "Validation stopped.");
    }

    private static Rejection rejection(String catalogId, String key, byte[] value) {
        return new Rejection(
                Topics.raw(catalogId),
                0,
                7L,
                Instant.parse("2025-06-15T02:10:00Z"),
                catalogId,
                "zz",
                RejectionKind.RULE_FAILED,
                List.of(new RuleFailure("zz.rule", "field", Severity.BLOCKING, "wrong")),
                null,
                ByteBuffer.wrap(utf8(key)),
                ByteBuffer.wrap(value),
                Instant.parse("2025-06-15T02:10:01Z"));
    }

    private static void reject(Rejection... rejections) throws Exception {
        try (Serde<Rejection> serde = new PeonySerdes(configs).rejection()) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (Rejection r : rejections) {
                records.add(new ProducerRecord<>(
                        Topics.REJECTED.name(),
                        RejectedValue.bytes(r.getOriginalKey()),
                        serde.serializer().serialize(Topics.REJECTED.name(), r)));
            }
            send(records);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> raw(String catalogId) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        TopicSnapshot.readRaw(client, Topics.raw(catalogId), records::add);
        return records;
    }

    @Test
    void replaySendsACatalogsRejectedRecordsBackOnceEvenWhenRunTwice() throws Exception {
        reject(
                rejection(REPLAYED, "k1", utf8("value one")),
                rejection("zz.other", "o1", utf8("other catalog")),
                rejection(REPLAYED, "k2", utf8("value two")));

        assertThat(output("dlq", "replay", "--catalog", REPLAYED))
                .contains("replayed 2 rejected record(s) of catalog " + REPLAYED, "consumer group peony-dlq-replay-");
        assertThat(output("dlq", "replay", "--catalog", REPLAYED)).contains("replayed 0 rejected record(s)");

        List<ConsumerRecord<byte[], byte[]>> replayed = raw(REPLAYED);
        assertThat(replayed)
                .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("k1", "k2");
        assertThat(replayed)
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("value one", "value two");
        assertThat(replayed.get(0).headers().lastHeader(DlqReplay.REPLAYED_FROM_HEADER))
                .isNotNull();

        reject(rejection(REPLAYED, "k3", utf8("value three")));
        assertThat(output("dlq", "replay", "--catalog", REPLAYED)).contains("replayed 1 rejected record(s)");
        assertThat(raw(REPLAYED)).hasSize(3);
    }

    @Test
    void badInputIsOneLineNamingTheOption() {
        assertThat(peony("dlq", "replay", "--catalog", "Not A Slug")).isEqualTo(2);
        assertThat(peony("validate", "--guarantee", "maybe_once")).isEqualTo(2);
        assertThat(peony("quality", "--window", "week")).isEqualTo(2);
        assertThat(peony("dlq", "replay", "--catalog", "zz.no-topic")).isEqualTo(1);
        assertThat(err.toString())
                .contains("--catalog: catalog id 'Not A Slug' is not a valid slug")
                .contains("--guarantee maybe_once: expected exactly_once_v2 or at_least_once")
                .contains("--window week: expected hour or day")
                .contains("topic raw.zz.no-topic does not exist");
    }
}
