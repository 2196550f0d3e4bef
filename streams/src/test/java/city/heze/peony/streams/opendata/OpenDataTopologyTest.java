package city.heze.peony.streams.opendata;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.OpenQualifiedRate;
import city.heze.peony.avro.OpenWithheld;
import city.heze.peony.avro.common.OpenField;
import city.heze.peony.avro.common.OpenTreatment;
import city.heze.peony.avro.common.OpenType;
import city.heze.peony.avro.common.RatePeriod;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.schemas.Topics;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenDataTopologyTest {
    private static final Instant T = OpenDataDriver.START;

    @TempDir
    Path stateDir;

    @Test
    void opensTheMaskedRecordUnderTheDerivedSchema() {
        try (OpenDataDriver d = new OpenDataDriver(stateDir)) {
            d.register(OpenFixtures.entry(T));
            d.share(OpenFixtures.CATALOG, "OT-1", OpenFixtures.record(1), T);

            List<TestRecord<byte[], byte[]>> opened =
                    d.open(OpenFixtures.CATALOG).readRecordsToList();
            assertThat(opened).hasSize(1);
            assertThat(new String(opened.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("OT-1");
            GenericRecord open = d.decode(OpenFixtures.CATALOG, opened.get(0).value());
            assertThat(open.get("recordId").toString()).isEqualTo("OT-1");
            assertThat(open.get("personName").toString()).isEqualTo("张**");
            assertThat(open.getSchema().getField("residentId")).isNull();
            assertThat(open.getSchema().getField("ratio")).isNull();
            assertThat(open.getSchema().getField("blob")).isNull();
            assertThat(open.get("phone").toString()).isEqualTo("138****5678");
            assertThat(open.get("address").toString()).isEqualTo("牡丹区");
            assertThat(open.get("regionCode").toString()).isEqualTo("371702");
            assertThat(open.get("birthDate").toString()).isEqualTo("1980");
            assertThat(open.get("updatedAt").toString()).isEqualTo("2025-06");
            assertThat(open.get("issuedOn").toString()).isEqualTo("2024-11");
            assertThat(decimal(open, "amount")).isEqualByComparingTo("12300.00");
            assertThat(open.get("score")).isEqualTo(7.5);
            assertThat(open.get("bigCount")).isEqualTo(123_000L);
            assertThat(open.get("count")).isEqualTo(1);
            assertThat(open.get("status").toString()).isEqualTo("ACTIVE");
            assertThat(open.get("tags").toString()).isEqualTo("[民政, 救助]");
            assertThat(((GenericRecord) open.get("contact")).get("label").toString())
                    .isEqualTo("窗口");

            Schema registered = new Schema.Parser()
                    .parse(d.schemaRegistry
                            .latest(Topics.openValueSubject(OpenFixtures.CATALOG))
                            .schema());
            assertThat(registered).isEqualTo(OpenSchemas.derive(OpenFixtures.SCHEMA, OpenFixtures.openFields()));
            assertThat(d.withheld.isEmpty()).isTrue();
            assertThat(d.counter("peony.open.records", "catalog", OpenFixtures.CATALOG, "outcome", "opened"))
                    .isEqualTo(1);
        }
    }

    @Test
    void withholdsARecordWithEveryReasonAndNoContent() {
        try (OpenDataDriver d = new OpenDataDriver(stateDir)) {
            d.register(OpenFixtures.entry(T));
            GenericRecord record = OpenFixtures.record(2);
            String id = record.get("residentId").toString();
            record.put("notes", "申请人张三丰，身份证" + id + "，已核实");
            record.put("address", null);
            d.share(OpenFixtures.CATALOG, "OT-2", record, T);

            assertThat(d.open(OpenFixtures.CATALOG).isEmpty()).isTrue();
            TestRecord<String, OpenWithheld> withheld = d.withheld.readRecord();
            assertThat(withheld.key()).isEqualTo(OpenFixtures.CATALOG);
            OpenWithheld w = withheld.value();
            assertThat(w.getSourceTopic()).isEqualTo(Topics.shared(OpenFixtures.CATALOG));
            assertThat(w.getSourceOffset()).isZero();
            assertThat(w.getCatalogId()).isEqualTo(OpenFixtures.CATALOG);
            assertThat(w.getDepartment()).isEqualTo(OpenFixtures.DEPARTMENT);
            assertThat(w.getReasons())
                    .extracting(RuleFailure::getRuleId, RuleFailure::getField)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(OpenChecks.RESIDENT_ID, "notes"),
                            org.assertj.core.groups.Tuple.tuple(OpenChecks.PERSON_NAME, "notes"),
                            org.assertj.core.groups.Tuple.tuple(OpenChecks.REQUIRED, "address"));
            // The envelope names fields, never values.
            assertThat(w.toString()).doesNotContain(id).doesNotContain("张三丰");
            assertThat(d.counter("peony.open.withheld.checks", "check", OpenChecks.RESIDENT_ID))
                    .isEqualTo(1);
            assertThat(d.counter("peony.open.records", "catalog", OpenFixtures.CATALOG, "outcome", "withheld"))
                    .isEqualTo(1);
        }
    }

    @Test
    void recordsOfCatalogsThatAreNotOpenAreSkippedAndNotDue() {
        try (OpenDataDriver d = new OpenDataDriver(stateDir)) {
            d.register(OpenFixtures.entry(
                    OpenFixtures.CATALOG,
                    OpenType.CONDITIONAL_OPEN,
                    OpenFixtures.SCHEMA,
                    OpenFixtures.openFields(),
                    List.of(),
                    T));
            d.share(OpenFixtures.CATALOG, "OT-3", OpenFixtures.record(3), T);
            d.share("mz.never-registered", "X", OpenFixtures.record(4), T);
            d.emitRates();

            assertThat(d.open(OpenFixtures.CATALOG).isEmpty()).isTrue();
            assertThat(d.withheld.isEmpty()).isTrue();
            assertThat(d.rates.isEmpty()).isTrue();
            assertThat(d.counter("peony.open.skipped", "reason", "not-open")).isEqualTo(1);
            assertThat(d.counter("peony.open.skipped", "reason", "unknown-catalog"))
                    .isEqualTo(1);
        }
    }

    @Test
    void anOpenCatalogWithoutAnOpenSectionIsWithheldWithTheReason() {
        try (OpenDataDriver d = new OpenDataDriver(stateDir)) {
            d.register(OpenFixtures.entry(
                    OpenFixtures.CATALOG, OpenType.OPEN, OpenFixtures.SCHEMA, List.of(), List.of(), T));
            d.share(OpenFixtures.CATALOG, "OT-5", OpenFixtures.record(5), T);
            d.shareBytes(OpenFixtures.CATALOG, new byte[] {1, 2, 3}, T);

            assertThat(d.open(OpenFixtures.CATALOG).isEmpty()).isTrue();
            List<OpenWithheld> withheld = d.withheld.readValuesToList();
            assertThat(withheld).hasSize(2);
            assertThat(withheld.get(0).getReasons().get(0).getRuleId()).isEqualTo(OpenChecks.UNUSABLE_CATALOG);
            assertThat(withheld.get(0).getReasons().get(0).getReason()).contains("declares no open treatment");
        }
    }

    @Test
    void anUndecodableSharedRecordIsWithheld() {
        try (OpenDataDriver d = new OpenDataDriver(stateDir)) {
            d.register(OpenFixtures.entry(T));
            d.shareBytes(OpenFixtures.CATALOG, new byte[] {0, 0, 0, 0, 99, 1, 2}, T);

            OpenWithheld w = d.withheld.readValue();
            assertThat(w.getReasons().get(0).getRuleId()).isEqualTo(OpenChecks.UNDECODABLE);
            assertThat(d.open(OpenFixtures.CATALOG).isEmpty()).isTrue();
        }
    }

    @Test
    void theOpenQualifiedRateByHand() {
        try (OpenDataDriver d = new OpenDataDriver(stateDir)) {
            d.register(OpenFixtures.entry(T));
            GenericRecord planted = OpenFixtures.record(12);
            planted.put("notes", "电话13912345678");
            // 2025-06-15 in Heze: two opened, one withheld.
            d.share(OpenFixtures.CATALOG, "OT-10", OpenFixtures.record(10), T);
            d.share(OpenFixtures.CATALOG, "OT-11", OpenFixtures.record(11), T.plusSeconds(60));
            d.share(OpenFixtures.CATALOG, "OT-12", planted, T.plusSeconds(120));
            // 01:00 on 2025-06-16 in Heze (still the 15th in UTC): one withheld.
            d.share(OpenFixtures.CATALOG, "OT-13", planted, Instant.parse("2025-06-15T17:00:00Z"));
            d.emitRates();

            Map<String, OpenQualifiedRate> rates = new LinkedHashMap<>();
            d.rates.readKeyValuesToList().forEach(kv -> rates.put(kv.key, kv.value));
            assertThat(rates.keySet())
                    .containsExactlyInAnyOrder(
                            "mz/mz.open-test/DAY/2025-06-15",
                            "mz/mz.open-test/DAY/2025-06-16",
                            "mz/mz.open-test/MONTH/2025-06",
                            "mz/*/DAY/2025-06-15",
                            "mz/*/DAY/2025-06-16",
                            "mz/*/MONTH/2025-06");
            OpenQualifiedRate day = rates.get("mz/mz.open-test/DAY/2025-06-15");
            assertThat(day.getDue()).isEqualTo(3);
            assertThat(day.getOpened()).isEqualTo(2);
            assertThat(day.getWithheld()).isEqualTo(1);
            assertThat(day.getRate()).isEqualTo(2.0 / 3);
            assertThat(day.getPeriod()).isEqualTo(RatePeriod.DAY);
            assertThat(day.getPeriodStart()).isEqualTo(Instant.parse("2025-06-14T16:00:00Z"));
            assertThat(rates.get("mz/mz.open-test/DAY/2025-06-16").getRate()).isEqualTo(0.0);
            OpenQualifiedRate month = rates.get("mz/*/MONTH/2025-06");
            assertThat(month.getCatalogId()).isNull();
            assertThat(month.getDue()).isEqualTo(4);
            assertThat(month.getRate()).isEqualTo(0.5);

            assertThat(d.gauge("peony.open.qualified.ratio", "department", "mz", "catalog", "*", "period", "MONTH"))
                    .isEqualTo(0.5);
            assertThat(d.gauge(
                            "peony.open.qualified.ratio",
                            "department",
                            "mz",
                            "catalog",
                            OpenFixtures.CATALOG,
                            "period",
                            "DAY"))
                    .isEqualTo(0.0);

            // Nothing changed: nothing is emitted again.
            d.emitRates();
            assertThat(d.rates.isEmpty()).isTrue();
            d.share(OpenFixtures.CATALOG, "OT-14", OpenFixtures.record(14), T.plusSeconds(180));
            d.emitRates();
            Map<String, OpenQualifiedRate> again = new LinkedHashMap<>();
            d.rates.readKeyValuesToList().forEach(kv -> again.put(kv.key, kv.value));
            assertThat(again.keySet())
                    .containsExactlyInAnyOrder(
                            "mz/mz.open-test/DAY/2025-06-15",
                            "mz/mz.open-test/MONTH/2025-06",
                            "mz/*/DAY/2025-06-15",
                            "mz/*/MONTH/2025-06");
            assertThat(again.get("mz/*/MONTH/2025-06").getRate()).isEqualTo(3.0 / 5);
        }
    }

    @Test
    void aCatalogChangeOpensTheNewFieldAndNoLongerTheDroppedOne() {
        try (OpenDataDriver d = new OpenDataDriver(stateDir)) {
            d.register(OpenFixtures.entry(T));
            d.share(OpenFixtures.CATALOG, "OT-20", OpenFixtures.record(20), T);

            // Version 2: a field added (opened as it is), the phone no longer opened.
            Schema v2 = addField(OpenFixtures.SCHEMA, "serviceHall");
            List<OpenField> fields = new ArrayList<>();
            for (OpenField f : OpenFixtures.openFields()) {
                fields.add(f.getField().equals("phone") ? new OpenField("phone", OpenTreatment.DROP, Map.of()) : f);
            }
            fields.add(new OpenField("serviceHall", OpenTreatment.KEEP, Map.of()));
            d.register(OpenFixtures.entry(
                    OpenFixtures.CATALOG, OpenType.OPEN, v2, fields, List.of("recordId"), T.plusSeconds(3600)));
            GenericData.Record record = new GenericData.Record(v2);
            GenericRecord old = OpenFixtures.record(21);
            for (Schema.Field f : OpenFixtures.SCHEMA.getFields()) {
                record.put(f.name(), old.get(f.name()));
            }
            record.put("serviceHall", "牡丹区便民服务中心");
            d.share(OpenFixtures.CATALOG, "OT-21", record, T.plusSeconds(3600));

            List<TestRecord<byte[], byte[]>> opened =
                    d.open(OpenFixtures.CATALOG).readRecordsToList();
            assertThat(opened).hasSize(2);
            GenericRecord first = d.decode(OpenFixtures.CATALOG, opened.get(0).value());
            GenericRecord second = d.decode(OpenFixtures.CATALOG, opened.get(1).value());
            assertThat(first.get("phone").toString()).isEqualTo("138****5678");
            assertThat(second.getSchema().getField("phone")).isNull();
            assertThat(second.get("serviceHall").toString()).isEqualTo("牡丹区便民服务中心");
            assertThat(d.schemaRegistry.versions(Topics.openValueSubject(OpenFixtures.CATALOG)))
                    .hasSize(2);
            assertThat(d.withheld.isEmpty()).isTrue();
        }
    }

    @Test
    void everyNodeIsNamedAndTheOpenerForwardsOnlyToItsChildren() {
        try (OpenDataDriver d = new OpenDataDriver(stateDir)) {
            TopologyDescription description = OpenDataTopology.build(
                            d.context,
                            OpenDataTopology.streamsProperties(
                                    d.clientProperties(null), "describe", "at_least_once", stateDir))
                    .describe();
            assertThat(description.toString()).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
            TopologyDescription.Node opener = description.subtopologies().stream()
                    .flatMap(s -> s.nodes().stream())
                    .filter(n -> n.name().equals(OpenDataTopology.OPENER))
                    .findFirst()
                    .orElseThrow();
            assertThat(opener.successors())
                    .extracting(TopologyDescription.Node::name)
                    .containsExactlyInAnyOrder(
                            OpenDataTopology.OPEN_SINK, OpenDataTopology.WITHHELD_SINK, OpenDataTopology.OUTCOMES);
        }
    }

    static Schema addField(Schema schema, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field(
                name,
                Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                null,
                org.apache.avro.JsonProperties.NULL_VALUE));
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static BigDecimal decimal(GenericRecord record, String field) {
        Schema s = OpenSchemas.nonNull(record.getSchema().getField(field).schema());
        return new Conversions.DecimalConversion()
                .fromBytes((ByteBuffer) record.get(field), s, (LogicalTypes.Decimal) s.getLogicalType());
    }
}
