package city.heze.peony.streams.validation;

import static city.heze.peony.streams.validation.ValidationFixtures.ASSISTANCE;
import static city.heze.peony.streams.validation.ValidationFixtures.BUSINESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.QualityReport;
import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.common.QualityWindow;
import city.heze.peony.avro.common.RejectionKind;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validation on a real broker and registry, exactly_once_v2: a mix of valid records, each kind of
 * defect and raw garbage in the middle of the stream; then a restart that resumes without
 * duplicates.
 */
class ValidationTopologyIT {
    private static final String STRAY = "zz.unregistered";
    private static final Duration WAIT = Duration.ofMinutes(2); // a loaded 2-core machine

    @TempDir
    static Path dataDir;

    private static TestCluster cluster;
    private static PeonyAvroSerializer serializer;

    /** Where a record must end up: shared (kind null) or rejected with this kind and these rule ids. */
    private record Expected(String catalogId, byte[] value, RejectionKind kind, List<String> ruleIds) {}

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new TestCluster(dataDir.resolve("kafka"));
        cluster.createTopics(
                List.of(Topics.CATALOG, Topics.REJECTED, Topics.QUALITY),
                List.of(
                        Topics.raw(ASSISTANCE),
                        Topics.shared(ASSISTANCE),
                        Topics.raw(BUSINESS),
                        Topics.shared(BUSINESS),
                        Topics.raw(STRAY)),
                3);
        Map<String, Object> configs = new HashMap<>();
        cluster.clientProperties().forEach((k, v) -> configs.put(k.toString(), v));
        Instant publishedAt = Instant.now();
        List<CatalogEntry> entries = List.of(
                ValidationFixtures.socialAssistance(publishedAt), ValidationFixtures.businessRegistration(publishedAt));
        try (SchemaRegistryClient registry = SchemaRegistryClients.forUrl(cluster.registry.url());
                Serde<CatalogEntry> entrySerde = new PeonySerdes(configs).catalogEntry()) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (CatalogEntry entry : entries) {
                registry.register(Topics.raw(entry.getId()) + "-value", entry.getSchema$());
                records.add(new ProducerRecord<>(
                        Topics.CATALOG.name(),
                        utf8(entry.getId()),
                        entrySerde.serializer().serialize(Topics.CATALOG.name(), entry)));
            }
            cluster.send(records);
        }
        serializer = new PeonyAvroSerializer();
        serializer.configure(configs, false);
    }

    @AfterAll
    static void stopCluster() {
        if (serializer != null) {
            serializer.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** One batch as departments (and a few broken systems) publish it, shuffled, with where each record belongs. */
    private static List<ProducerRecord<byte[], byte[]>> batch(String tag, Map<String, Expected> expected) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        int n = tag.hashCode() & 0xfff;
        for (int i = 0; i < 40; i++) {
            add(records, expected, tag + "-valid-" + i, ASSISTANCE, ValidationFixtures.recipient(n + i), null);
        }
        for (int i = 0; i < 5; i++) {
            add(
                    records,
                    expected,
                    tag + "-warn-" + i,
                    ASSISTANCE,
                    ValidationFixtures.recipientWithWarning(n + i),
                    null);
            add(
                    records,
                    expected,
                    tag + "-faults-" + i,
                    ASSISTANCE,
                    ValidationFixtures.recipientWithThreeFaults(i),
                    RejectionKind.RULE_FAILED,
                    "sa.amount",
                    "sa.household",
                    "sa.phone");
        }
        for (int i = 0; i < 20; i++) {
            add(records, expected, tag + "-biz-" + i, BUSINESS, ValidationFixtures.business(n + i), null);
        }
        for (int i = 0; i < 4; i++) {
            add(
                    records,
                    expected,
                    tag + "-badcode-" + i,
                    BUSINESS,
                    ValidationFixtures.businessWithBadCreditCode(i),
                    RejectionKind.RULE_FAILED,
                    "br.credit-code");
        }
        byte[] good = serializer.serialize(Topics.raw(ASSISTANCE), ValidationFixtures.recipient(1));
        for (int i = 0; i < 3; i++) {
            addBytes(
                    records,
                    expected,
                    tag + "-garbage-" + i,
                    ASSISTANCE,
                    utf8("garbage line " + i + " \u0001\u0002"),
                    RejectionKind.NOT_AVRO,
                    "poison.not-avro");
        }
        for (int i = 0; i < 2; i++) {
            byte[] unknownId = good.clone();
            unknownId[1] = 0x7e;
            addBytes(
                    records,
                    expected,
                    tag + "-unknown-" + i,
                    ASSISTANCE,
                    unknownId,
                    RejectionKind.UNKNOWN_SCHEMA,
                    "poison.unknown-schema");
            addBytes(
                    records,
                    expected,
                    tag + "-wrong-" + i,
                    ASSISTANCE,
                    serializer.serialize(Topics.raw(BUSINESS), ValidationFixtures.business(i)),
                    RejectionKind.WRONG_SCHEMA,
                    "poison.wrong-schema");
            addBytes(
                    records,
                    expected,
                    tag + "-cut-" + i,
                    ASSISTANCE,
                    Arrays.copyOf(good, good.length - 7),
                    RejectionKind.UNDECODABLE,
                    "poison.undecodable");
            addBytes(
                    records,
                    expected,
                    tag + "-stray-" + i,
                    STRAY,
                    good,
                    RejectionKind.NO_SUCH_CATALOG,
                    "poison.no-such-catalog");
        }
        Collections.shuffle(records, new Random(tag.hashCode()));
        return records;
    }

    private static void add(
            List<ProducerRecord<byte[], byte[]>> records,
            Map<String, Expected> expected,
            String key,
            String catalogId,
            Object record,
            RejectionKind kind,
            String... ruleIds) {
        addBytes(records, expected, key, catalogId, serializer.serialize(Topics.raw(catalogId), record), kind, ruleIds);
    }

    private static void addBytes(
            List<ProducerRecord<byte[], byte[]>> records,
            Map<String, Expected> expected,
            String key,
            String catalogId,
            byte[] value,
            RejectionKind kind,
            String... ruleIds) {
        records.add(new ProducerRecord<>(Topics.raw(catalogId), utf8(key), value));
        expected.put(key, new Expected(catalogId, value, kind, List.of(ruleIds)));
    }

    private static long count(Map<String, Expected> expected, String catalogId, boolean shared) {
        return expected.values().stream()
                .filter(e -> e.catalogId().equals(catalogId) && (e.kind() == null) == shared)
                .count();
    }

    private static ValidationApp startApp(SimpleMeterRegistry meters) throws InterruptedException {
        Properties client = cluster.clientProperties();
        // Sees a new raw topic within a second, not the 30 s validation uses by default.
        client.put("main.consumer.metadata.max.age.ms", 1000);
        ValidationApp app = ValidationApp.start(
                client,
                ValidationApp.Options.defaults(dataDir.resolve("state"))
                        .withApplicationId("validation-it")
                        .withIntervals(Duration.ofMillis(500), Duration.ofSeconds(1)),
                meters);
        assertThat(app.awaitRunning(WAIT)).as("validation reaches RUNNING").isTrue();
        return app;
    }

    @Test
    void validRecordsAreSharedByteForByteEveryDefectIsRejectedWithItsRulesAndARestartRepeatsNothing() throws Exception {
        Map<String, Expected> expected = new LinkedHashMap<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (ValidationApp app = startApp(meters)) {
            cluster.send(batch("first", expected));
            awaitRouted(expected);
            assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
            awaitQuality(expected);
            aCatalogRegisteredWhileRunningIsValidatedWithoutARestart();
            assertThat(meters.find(ValidationMeters.RECEIVED)
                            .tags("catalog", ASSISTANCE)
                            .counter()
                            .count())
                    .isEqualTo(count(expected, ASSISTANCE, true) + count(expected, ASSISTANCE, false));
        }
        assertExactly(expected);

        // Restart: only the new batch is processed, and the scorecards carry on from the committed tallies.
        try (ValidationApp app = startApp(new SimpleMeterRegistry())) {
            cluster.send(batch("second", expected));
            awaitRouted(expected);
            awaitQuality(expected);
            assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
        assertExactly(expected);
    }

    /** A new catalog (entry, schema and topics) while validation runs: its records are shared. */
    private static void aCatalogRegisteredWhileRunningIsValidatedWithoutARestart() throws Exception {
        String catalogId = "mz.social-assistance-pilot";
        CatalogEntry entry = CatalogEntry.newBuilder(ValidationFixtures.socialAssistance(Instant.now()))
                .setId(catalogId)
                .build();
        cluster.createTopics(List.of(), List.of(Topics.raw(catalogId), Topics.shared(catalogId)), 1);
        Map<String, Object> configs = new HashMap<>();
        cluster.clientProperties().forEach((k, v) -> configs.put(k.toString(), v));
        try (SchemaRegistryClient registry = SchemaRegistryClients.forUrl(cluster.registry.url());
                Serde<CatalogEntry> entrySerde = new PeonySerdes(configs).catalogEntry()) {
            registry.register(Topics.raw(catalogId) + "-value", entry.getSchema$());
            cluster.send(List.of(new ProducerRecord<>(
                    Topics.CATALOG.name(),
                    utf8(catalogId),
                    entrySerde.serializer().serialize(Topics.CATALOG.name(), entry))));
        }
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(new ProducerRecord<>(
                    Topics.raw(catalogId),
                    utf8("pilot-" + i),
                    serializer.serialize(Topics.raw(catalogId), ValidationFixtures.recipient(500 + i))));
        }
        cluster.send(records);
        List<ConsumerRecord<byte[], byte[]>> shared =
                cluster.awaitRecords(Topics.shared(catalogId), r -> r.size() >= records.size(), WAIT);
        assertThat(shared)
                .extracting(ConsumerRecord::value)
                .containsExactlyElementsOf(
                        records.stream().map(ProducerRecord::value).toList());
    }

    private static void awaitRouted(Map<String, Expected> expected) {
        long rejected = expected.values().stream().filter(e -> e.kind() != null).count();
        cluster.awaitRecords(Topics.shared(ASSISTANCE), r -> r.size() >= count(expected, ASSISTANCE, true), WAIT);
        cluster.awaitRecords(Topics.shared(BUSINESS), r -> r.size() >= count(expected, BUSINESS, true), WAIT);
        try {
            cluster.awaitRecords(Topics.REJECTED.name(), r -> r.size() >= rejected, WAIT);
        } catch (AssertionError e) {
            List<String> missing = new ArrayList<>();
            expected.forEach((key, x) -> {
                if (x.kind() != null) {
                    missing.add(key);
                }
            });
            cluster.readToEnd(Topics.REJECTED.name())
                    .forEach(r -> missing.remove(new String(r.key(), StandardCharsets.UTF_8)));
            throw new AssertionError(e.getMessage() + "; not rejected: " + missing, e);
        }
    }

    /** shared.* holds exactly the valid records, byte for byte; peony.rejected exactly the others, with their rules. */
    private static void assertExactly(Map<String, Expected> expected) {
        for (String catalogId : List.of(ASSISTANCE, BUSINESS)) {
            Map<String, byte[]> shared = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : cluster.readToEnd(Topics.shared(catalogId))) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                assertThat(shared.put(key, r.value()))
                        .as("%s shared twice", key)
                        .isNull();
            }
            Map<String, byte[]> wanted = new HashMap<>();
            expected.forEach((key, e) -> {
                if (e.kind() == null && e.catalogId().equals(catalogId)) {
                    wanted.put(key, e.value());
                }
            });
            assertThat(shared).as("shared.%s", catalogId).hasSameSizeAs(wanted).containsOnlyKeys(wanted.keySet());
            wanted.forEach((key, value) -> assertThat(shared.get(key)).as(key).isEqualTo(value));
        }

        Map<String, Object> configs = new HashMap<>();
        cluster.clientProperties().forEach((k, v) -> configs.put(k.toString(), v));
        try (Serde<Rejection> serde = new PeonySerdes(configs).rejection()) {
            Map<String, Rejection> rejected = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : cluster.readToEnd(Topics.REJECTED.name())) {
                Rejection rejection = serde.deserializer().deserialize(r.topic(), r.value());
                String key = new String(r.key(), StandardCharsets.UTF_8);
                assertThat(rejected.put(key, rejection))
                        .as("%s rejected twice", key)
                        .isNull();
            }
            Map<String, Expected> wanted = new HashMap<>();
            expected.forEach((key, e) -> {
                if (e.kind() != null) {
                    wanted.put(key, e);
                }
            });
            assertThat(rejected).hasSameSizeAs(wanted).containsOnlyKeys(wanted.keySet());
            wanted.forEach((key, e) -> {
                Rejection rejection = rejected.get(key);
                assertThat(rejection.getKind()).as(key).isEqualTo(e.kind());
                assertThat(rejection.getFailures())
                        .as(key)
                        .extracting(RuleFailure::getRuleId)
                        .isEqualTo(e.ruleIds());
                assertThat(rejection.getCatalogId()).as(key).isEqualTo(e.catalogId());
                assertThat(rejection.getSourceTopic()).as(key).isEqualTo(Topics.raw(e.catalogId()));
                byte[] original = new byte[rejection.getOriginalValue().remaining()];
                rejection.getOriginalValue().duplicate().get(original);
                assertThat(original).as(key).isEqualTo(e.value());
            });
        }
    }

    /** peony.quality's latest DAY scorecards (summed over days, should the test cross midnight) match what was sent. */
    private static void awaitQuality(Map<String, Expected> expected) {
        Map<String, Object> configs = new HashMap<>();
        cluster.clientProperties().forEach((k, v) -> configs.put(k.toString(), v));
        try (Serde<QualityReport> serde = new PeonySerdes(configs).qualityReport()) {
            for (String catalogId : List.of(ASSISTANCE, BUSINESS)) {
                long passed = count(expected, catalogId, true);
                long received = passed + count(expected, catalogId, false);
                cluster.awaitRecords(
                        Topics.QUALITY.name(),
                        records -> {
                            Map<String, QualityReport> latest = new HashMap<>();
                            for (ConsumerRecord<byte[], byte[]> r : records) {
                                QualityReport report = serde.deserializer().deserialize(r.topic(), r.value());
                                if (report.getCatalogId().equals(catalogId)
                                        && report.getWindow() == QualityWindow.DAY) {
                                    latest.put(new String(r.key(), StandardCharsets.UTF_8), report);
                                }
                            }
                            long sumReceived = latest.values().stream()
                                    .mapToLong(QualityReport::getReceived)
                                    .sum();
                            long sumPassed = latest.values().stream()
                                    .mapToLong(QualityReport::getPassed)
                                    .sum();
                            if (sumReceived != received || sumPassed != passed) {
                                return false;
                            }
                            if (latest.size() == 1) {
                                assertThat(latest.values().iterator().next().getQualifiedRate())
                                        .isCloseTo((double) passed / received, within(1e-9));
                            }
                            return true;
                        },
                        WAIT);
            }
        }
    }
}
