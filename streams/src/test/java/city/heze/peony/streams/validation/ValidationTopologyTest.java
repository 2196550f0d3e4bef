package city.heze.peony.streams.validation;

import static city.heze.peony.streams.validation.ValidationFixtures.ASSISTANCE;
import static city.heze.peony.streams.validation.ValidationFixtures.BUSINESS;
import static city.heze.peony.streams.validation.ValidationFixtures.business;
import static city.heze.peony.streams.validation.ValidationFixtures.businessRegistration;
import static city.heze.peony.streams.validation.ValidationFixtures.recipient;
import static city.heze.peony.streams.validation.ValidationFixtures.recipientWithThreeFaults;
import static city.heze.peony.streams.validation.ValidationFixtures.recipientWithWarning;
import static city.heze.peony.streams.validation.ValidationFixtures.socialAssistance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.common.RejectionKind;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.avro.common.Severity;
import city.heze.peony.registry.LocalSchemaRegistries;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.schemas.registry.CompatibilityLevel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route of the validation topology, each kind of poison pill included, in a TopologyTestDriver. */
class ValidationTopologyTest {
    private static final Instant RECORD_TIME = Instant.parse("2025-06-15T02:10:00Z");

    @TempDir
    Path stateDir;

    private ValidationDriver v;
    private TestInputTopic<byte[], byte[]> raw;
    private TestOutputTopic<byte[], byte[]> shared;

    @BeforeEach
    void start() {
        v = new ValidationDriver(stateDir);
        v.register(socialAssistance(ValidationDriver.START));
        raw = v.raw(ASSISTANCE);
        shared = v.shared(ASSISTANCE);
    }

    @AfterEach
    void stop() {
        v.close();
    }

    private Rejection onlyRejection() {
        List<TestRecord<byte[], Rejection>> all = v.rejected.readRecordsToList();
        assertThat(all).hasSize(1);
        return all.get(0).value();
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /** After a poison pill, validation goes on: the next good record is shared. */
    private void assertStillValidating() {
        byte[] next = v.rawBytes(ASSISTANCE, recipient(999));
        raw.pipeInput(v.key("MZ-2025-999"), next, RECORD_TIME);
        assertThat(shared.readValuesToList())
                .singleElement()
                .satisfies(value -> assertThat(value).isEqualTo(next));
    }

    @Test
    void aValidRecordGoesToSharedWithItsKeyValueTimestampAndHeadersUnchanged() {
        byte[] value = v.rawBytes(ASSISTANCE, recipient(1));
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        raw.pipeInput(new TestRecord<>(v.key("MZ-2025-1"), value, headers, RECORD_TIME));

        TestRecord<byte[], byte[]> out = shared.readRecord();
        assertThat(out.key()).isEqualTo(v.key("MZ-2025-1"));
        assertThat(out.value()).isEqualTo(value);
        assertThat(out.getRecordTime()).isEqualTo(RECORD_TIME);
        assertThat(out.headers().lastHeader("trace").value()).isEqualTo("t-1".getBytes(StandardCharsets.UTF_8));
        assertThat(v.rejected.isEmpty()).isTrue();
        assertThat(v.counter(ValidationMeters.SHARED, "department", "mz", "catalog", ASSISTANCE))
                .isEqualTo(1);
    }

    @Test
    void aRecordWithOnlyWarningsIsSharedAndItsWarningCounted() {
        byte[] value = v.rawBytes(ASSISTANCE, recipientWithWarning(2));
        raw.pipeInput(v.key("MZ-2025-2"), value, RECORD_TIME);

        assertThat(shared.readValuesToList())
                .singleElement()
                .satisfies(out -> assertThat(out).isEqualTo(value));
        assertThat(v.rejected.isEmpty()).isTrue();
        assertThat(v.counter(ValidationMeters.RULE_FAILURES, "rule", "sa.phone", "severity", "WARNING"))
                .isEqualTo(1);
    }

    @Test
    void aRecordFailingBlockingRulesIsRejectedWithEveryRuleItsSourceAndItsOriginalBytes() {
        byte[] value = v.rawBytes(ASSISTANCE, recipientWithThreeFaults(3));
        int schemaId = v.schemaRegistry.latest("raw." + ASSISTANCE + "-value").id();
        raw.pipeInput(v.key("MZ-2025-3"), value, RECORD_TIME);

        assertThat(shared.isEmpty()).isTrue();
        Rejection rejection = onlyRejection();
        assertThat(rejection.getKind()).isEqualTo(RejectionKind.RULE_FAILED);
        assertThat(rejection.getFailures())
                .extracting(RuleFailure::getRuleId, RuleFailure::getSeverity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("sa.amount", Severity.BLOCKING),
                        org.assertj.core.groups.Tuple.tuple("sa.household", Severity.BLOCKING),
                        org.assertj.core.groups.Tuple.tuple("sa.phone", Severity.WARNING));
        assertThat(rejection.getFailures().get(0).getReason()).contains("-5");
        assertThat(rejection.getSourceTopic()).isEqualTo("raw." + ASSISTANCE);
        assertThat(rejection.getSourcePartition()).isZero();
        assertThat(rejection.getSourceOffset()).isZero();
        assertThat(rejection.getSourceTimestamp()).isEqualTo(RECORD_TIME);
        assertThat(rejection.getCatalogId()).isEqualTo(ASSISTANCE);
        assertThat(rejection.getDepartment()).isEqualTo("mz");
        assertThat(rejection.getSchemaId()).isEqualTo(schemaId);
        assertThat(bytesOf(rejection.getOriginalKey())).isEqualTo(v.key("MZ-2025-3"));
        assertThat(bytesOf(rejection.getOriginalValue())).isEqualTo(value);
        assertThat(rejection.getRejectedAt()).isEqualTo(ValidationDriver.START);
        assertThat(v.counter(ValidationMeters.REJECTED, "catalog", ASSISTANCE, "kind", "RULE_FAILED"))
                .isEqualTo(1);
        assertThat(v.counter(ValidationMeters.RULE_FAILURES, "rule", "sa.household", "severity", "BLOCKING"))
                .isEqualTo(1);
    }

    @Test
    void bytesThatAreNotConfluentAvroAreRejectedAsNotAvro() {
        byte[] text = "{\"recordId\": \"MZ-1\"}".getBytes(StandardCharsets.UTF_8);
        raw.pipeInput(v.key("a"), text, RECORD_TIME);
        raw.pipeInput(v.key("b"), new byte[] {0, 1, 2}, RECORD_TIME);
        raw.pipeInput(v.key("c"), (byte[]) null, RECORD_TIME);

        List<Rejection> rejections = v.rejected.readValuesToList();
        assertThat(rejections).extracting(Rejection::getKind).containsOnly(RejectionKind.NOT_AVRO);
        assertThat(rejections)
                .extracting(r -> r.getFailures().get(0).getRuleId())
                .containsOnly("poison.not-avro");
        assertThat(rejections.get(0).getFailures().get(0).getReason()).contains("0x7b", "magic byte 0x00");
        assertThat(rejections.get(1).getFailures().get(0).getReason()).contains("3 byte(s)", "5-byte header");
        assertThat(rejections.get(2).getFailures().get(0).getReason()).contains("null (a tombstone)");
        assertThat(bytesOf(rejections.get(0).getOriginalValue())).isEqualTo(text);
        assertThat(rejections.get(2).getOriginalValue()).isNull();
        assertThat(rejections).extracting(Rejection::getSourceOffset).containsExactly(0L, 1L, 2L);
        assertThat(shared.isEmpty()).isTrue();
        assertStillValidating();
    }

    @Test
    void aSchemaIdTheRegistryDoesNotKnowIsRejectedAsUnknownSchema() {
        byte[] value = v.rawBytes(ASSISTANCE, recipient(4));
        byte[] unknownId = value.clone();
        unknownId[1] = 0x7f; // schema id 0x7f0000xx: never handed out
        raw.pipeInput(v.key("MZ-2025-4"), unknownId, RECORD_TIME);

        Rejection rejection = onlyRejection();
        assertThat(rejection.getKind()).isEqualTo(RejectionKind.UNKNOWN_SCHEMA);
        assertThat(rejection.getFailures().get(0).getRuleId()).isEqualTo("poison.unknown-schema");
        assertThat(rejection.getFailures().get(0).getReason()).contains("is not in the schema registry");
        assertThat(rejection.getSchemaId()).isGreaterThan(0x7f000000 - 1);
        assertStillValidating();
    }

    @Test
    void aTopicWithoutACatalogIsRejectedAsNoSuchCatalogAndCountedUnderUnknown() {
        TestInputTopic<byte[], byte[]> stray = v.raw("zz.unregistered");
        byte[] value = v.rawBytes(ASSISTANCE, recipient(5));
        stray.pipeInput(v.key("MZ-2025-5"), value, RECORD_TIME);

        Rejection rejection = onlyRejection();
        assertThat(rejection.getKind()).isEqualTo(RejectionKind.NO_SUCH_CATALOG);
        assertThat(rejection.getCatalogId()).isEqualTo("zz.unregistered");
        assertThat(rejection.getDepartment()).isNull();
        assertThat(rejection.getFailures().get(0).getReason())
                .contains("raw.zz.unregistered", "peony dlq replay --catalog zz.unregistered");
        assertThat(bytesOf(rejection.getOriginalValue())).isEqualTo(value);
        assertThat(v.counter(
                        ValidationMeters.REJECTED,
                        "department",
                        "unknown",
                        "catalog",
                        "unknown",
                        "kind",
                        "NO_SUCH_CATALOG"))
                .isEqualTo(1);
        assertStillValidating();
    }

    @Test
    void aRecordOfAnotherCatalogsSchemaIsRejectedAsWrongSchema() {
        v.register(businessRegistration(ValidationDriver.START));
        byte[] business = v.rawBytes(BUSINESS, business(6));
        raw.pipeInput(v.key("SCJG-2025-6"), business, RECORD_TIME);

        Rejection rejection = onlyRejection();
        assertThat(rejection.getKind()).isEqualTo(RejectionKind.WRONG_SCHEMA);
        assertThat(rejection.getFailures().get(0).getRuleId()).isEqualTo("poison.wrong-schema");
        assertThat(rejection.getFailures().get(0).getReason())
                .contains("BusinessRegistration", "raw.scjg.business-registration-value", "not under raw.mz");
        assertStillValidating();
    }

    @Test
    void aSchemaRegisteredForTheCatalogButNotReadableAsItsRecordIsRejectedAsWrongSchema() {
        // A version someone forced in with compatibility NONE: fields gone, householdSize now text.
        String subject = "raw." + ASSISTANCE + "-value";
        v.schemaRegistry.setSubjectCompatibility(subject, CompatibilityLevel.NONE);
        Schema forced = new Schema.Parser().parse("""
                {"type": "record", "name": "SocialAssistanceRecipient", "namespace": "city.heze.peony.avro.dept",
                 "fields": [{"name": "recordId", "type": "string"}, {"name": "householdSize", "type": "string"}]}""");
        GenericRecord record = new GenericData.Record(forced);
        record.put("recordId", "MZ-2025-7");
        record.put("householdSize", "three");
        raw.pipeInput(v.key("MZ-2025-7"), v.rawBytes(ASSISTANCE, record), RECORD_TIME);

        Rejection rejection = onlyRejection();
        assertThat(rejection.getKind()).isEqualTo(RejectionKind.WRONG_SCHEMA);
        assertThat(rejection.getFailures().get(0).getReason())
                .contains(
                        "cannot be read as the catalog's current schema",
                        "READER_FIELD_MISSING_DEFAULT_VALUE residentId",
                        "INT not compatible with writer type: STRING");
        assertStillValidating();
    }

    @Test
    void bytesThatDoNotMatchTheirSchemaAreRejectedAsUndecodable() {
        byte[] value = v.rawBytes(ASSISTANCE, recipient(8));
        byte[] truncated = Arrays.copyOf(value, value.length / 2);
        byte[] trailing = Arrays.copyOf(value, value.length + 3);
        raw.pipeInput(v.key("t"), truncated, RECORD_TIME);
        raw.pipeInput(v.key("u"), trailing, RECORD_TIME);

        List<Rejection> rejections = v.rejected.readValuesToList();
        assertThat(rejections).extracting(Rejection::getKind).containsOnly(RejectionKind.UNDECODABLE);
        assertThat(rejections.get(0).getFailures().get(0).getReason()).contains("truncated");
        assertThat(rejections.get(1).getFailures().get(0).getReason()).contains("bytes left over");
        assertThat(bytesOf(rejections.get(0).getOriginalValue())).isEqualTo(truncated);
        assertStillValidating();
    }

    @Test
    void anUpdatedCatalogIsRecompiledAndADeletedOneRejectsItsRecords() {
        byte[] value = v.rawBytes(ASSISTANCE, recipient(9));
        raw.pipeInput(v.key("MZ-2025-9"), value, RECORD_TIME);
        assertThat(shared.readValuesToList()).hasSize(1);

        v.catalog.pipeInput(
                ASSISTANCE,
                socialAssistance(
                        ValidationDriver.START.plusSeconds(60),
                        List.of(ValidationFixtures.rule(
                                "sa.amount-cap", "monthlyAmountFen", RuleKind.RANGE, "min", "0", "max", "1000"))));
        raw.pipeInput(v.key("MZ-2025-9"), value, RECORD_TIME);
        assertThat(shared.isEmpty()).isTrue();
        assertThat(onlyRejection().getFailures())
                .extracting(RuleFailure::getRuleId)
                .containsExactly("sa.amount-cap");

        v.catalog.pipeInput(ASSISTANCE, null);
        raw.pipeInput(v.key("MZ-2025-9"), value, RECORD_TIME);
        assertThat(onlyRejection().getKind()).isEqualTo(RejectionKind.NO_SUCH_CATALOG);
    }

    @Test
    void aCatalogWhoseRulesCannotBeAppliedRejectsItsRecordsWithTheReason() {
        v.catalog.pipeInput(
                ASSISTANCE,
                socialAssistance(
                        ValidationDriver.START,
                        List.of(ValidationFixtures.rule("sa.ghost", "noSuchField", RuleKind.REQUIRED))));
        raw.pipeInput(v.key("MZ-2025-10"), v.rawBytes(ASSISTANCE, recipient(10)), RECORD_TIME);

        Rejection rejection = onlyRejection();
        assertThat(rejection.getKind()).isEqualTo(RejectionKind.NO_SUCH_CATALOG);
        assertThat(rejection.getFailures().get(0).getRuleId()).isEqualTo("poison.catalog-unusable");
        assertThat(rejection.getFailures().get(0).getReason()).contains("sa.ghost", "noSuchField");
        assertThat(shared.isEmpty()).isTrue();
    }

    @Test
    void theTopologyNamesEveryNodeAndStoreAndForwardsPartialsToTheRepartition() {
        TopologyDescription description = ValidationTopology.build(
                        v.context,
                        ValidationTopology.streamsProperties(clientProperties(), "describe", "at_least_once", stateDir))
                .describe();
        String text = description.toString();
        assertThat(text)
                .contains(
                        ValidationTopology.VALIDATOR,
                        ValidationTopology.SHARED_SINK,
                        ValidationTopology.REJECTED_SINK,
                        ValidationTopology.PARTIALS,
                        ValidationTopology.QUALITY_PROCESSOR,
                        ValidationTopology.QUALITY_SINK,
                        ValidationTopology.TALLY_STORE,
                        ValidationTopology.CATALOG_STORE,
                        ValidationTopology.CATALOG_UPDATER)
                .doesNotContain("KSTREAM-", "KTABLE-");
        // The validator forwards by child name, so its children must be exactly the three it names.
        assertThat(successorsOf(description, ValidationTopology.VALIDATOR))
                .containsExactlyInAnyOrder(
                        ValidationTopology.SHARED_SINK, ValidationTopology.REJECTED_SINK, ValidationTopology.PARTIALS);
    }

    private static java.util.Set<String> successorsOf(TopologyDescription description, String nodeName) {
        java.util.Set<String> names = new java.util.HashSet<>();
        description
                .subtopologies()
                .forEach(sub -> sub.nodes().stream()
                        .filter(node -> node.name().equals(nodeName))
                        .forEach(node -> node.successors().forEach(n -> names.add(n.name()))));
        return names;
    }

    private java.util.Properties clientProperties() {
        java.util.Properties client = new java.util.Properties();
        client.put("bootstrap.servers", "127.0.0.1:9");
        client.put("schema.registry.url", v.registryUrl);
        return client;
    }

    @Test
    void aRegistryThatDoesNotAnswerFailsTheTaskInsteadOfRejectingAGoodRecord(@TempDir Path otherState) {
        // The topology reaches the registry over HTTP; the server goes away after the catalog is read.
        String name = "validation-http-" + UUID.randomUUID();
        EmbeddedSchemaRegistry server = EmbeddedSchemaRegistry.serve(LocalSchemaRegistries.named(name), 0);
        try (ValidationDriver http = new ValidationDriver(otherState, name, server.url())) {
            http.register(socialAssistance(ValidationDriver.START));
            assertThat(http.context.catalogCount()).isEqualTo(1);
            server.close();

            TestInputTopic<byte[], byte[]> httpRaw = http.raw(ASSISTANCE);
            byte[] good = http.rawBytes(ASSISTANCE, recipient(11));
            assertThatThrownBy(() -> httpRaw.pipeInput(http.key("MZ-2025-11"), good, RECORD_TIME))
                    .hasStackTraceContaining("RegistryUnavailableException")
                    .hasStackTraceContaining("could not answer for schema id");
            assertThat(http.shared(ASSISTANCE).isEmpty()).isTrue();
            assertThat(http.rejected.isEmpty()).isTrue();
        } finally {
            server.close();
        }
    }
}
