package city.heze.peony.streams.opendata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.common.OpenField;
import city.heze.peony.avro.common.OpenTreatment;
import city.heze.peony.registry.InProcessSchemaRegistryClient;
import city.heze.peony.registry.LocalSchemaRegistries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

class OpenSchemasTest {
    private static final Schema S = OpenFixtures.SCHEMA;

    private static Schema type(Schema open, String field) {
        return open.getField(field).schema();
    }

    private static Schema optional(Schema.Type type) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(type));
    }

    @Test
    void derivesEveryFieldTypeAsDeclared() {
        Schema open = OpenSchemas.derive(S, OpenFixtures.openFields());
        assertThat(open.getFields())
                .extracting(Schema.Field::name)
                .containsExactly(
                        "recordId",
                        "personName",
                        "phone",
                        "notes",
                        "address",
                        "regionCode",
                        "birthDate",
                        "updatedAt",
                        "issuedOn",
                        "amount",
                        "score",
                        "bigCount",
                        "count",
                        "flag",
                        "status",
                        "tags",
                        "attributes",
                        "contact");
        // KEEP: the catalog's own type, whatever it is.
        for (String kept : List.of(
                "recordId", "notes", "regionCode", "count", "flag", "status", "tags", "attributes", "contact")) {
            assertThat(type(open, kept)).as(kept).isEqualTo(S.getField(kept).schema());
        }
        // MASK, dates, district: optional strings, whatever the source type.
        for (String masked : List.of("personName", "phone", "address", "birthDate", "updatedAt", "issuedOn")) {
            assertThat(type(open, masked)).as(masked).isEqualTo(optional(Schema.Type.STRING));
            assertThat(open.getField(masked).defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
        }
        // AMOUNT_ROUND keeps the numeric type, optional.
        assertThat(type(open, "score")).isEqualTo(optional(Schema.Type.DOUBLE));
        assertThat(type(open, "bigCount")).isEqualTo(optional(Schema.Type.LONG));
        assertThat(type(open, "amount").getTypes().get(1))
                .isEqualTo(S.getField("amount").schema());
    }

    @Test
    void derivesAndMasksTheRemainingTypes() {
        Schema schema = new Schema.Parser().parse("""
                {"type": "record", "name": "More", "fields": [
                  {"name": "weight", "type": "float"},
                  {"name": "fee", "type": {"type": "fixed", "name": "Fee", "size": 8, "logicalType": "decimal",
                     "precision": 12, "scale": 2}},
                  {"name": "diedOn", "type": ["null", {"type": "int", "logicalType": "date"}], "default": null},
                  {"name": "seenAt", "type": {"type": "long", "logicalType": "timestamp-micros"}},
                  {"name": "code", "type": "long"},
                  {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 4}}
                ]}""");
        List<OpenField> fields = List.of(
                OpenFixtures.field("weight", OpenTreatment.AMOUNT_ROUND, Map.of("step", "0.5")),
                OpenFixtures.field("fee", OpenTreatment.AMOUNT_ROUND, Map.of("step", "10")),
                OpenFixtures.field("diedOn", OpenTreatment.DATE_YEAR, Map.of()),
                OpenFixtures.field("seenAt", OpenTreatment.DATE_YEAR_MONTH, Map.of()),
                OpenFixtures.field("code", OpenTreatment.MASK, Map.of("keepLast", "2")),
                OpenFixtures.field("hash", OpenTreatment.KEEP, Map.of()));
        OpenSchemas.check(schema, fields, List.of());
        Schema open = OpenSchemas.derive(schema, fields);
        assertThat(type(open, "weight")).isEqualTo(optional(Schema.Type.FLOAT));
        assertThat(type(open, "fee").getTypes().get(1))
                .isEqualTo(schema.getField("fee").schema());
        assertThat(type(open, "diedOn")).isEqualTo(optional(Schema.Type.STRING));
        assertThat(type(open, "seenAt")).isEqualTo(optional(Schema.Type.STRING));
        assertThat(type(open, "code")).isEqualTo(optional(Schema.Type.STRING));
        assertThat(type(open, "hash")).isEqualTo(schema.getField("hash").schema());

        Schema feeType = schema.getField("fee").schema();
        org.apache.avro.generic.GenericData.Record r = new org.apache.avro.generic.GenericData.Record(schema);
        r.put("weight", 71.8f);
        r.put(
                "fee",
                new org.apache.avro.Conversions.DecimalConversion()
                        .toFixed(new java.math.BigDecimal("1234.56"), feeType, feeType.getLogicalType()));
        r.put("diedOn", null);
        r.put("seenAt", java.time.Instant.parse("2025-12-31T17:00:00Z").toEpochMilli() * 1000);
        r.put("code", 12_345_678L);
        r.put(
                "hash",
                new org.apache.avro.generic.GenericData.Fixed(
                        schema.getField("hash").schema(), new byte[4]));
        org.apache.avro.generic.GenericRecord masked =
                OpenMasking.compile(schema, open, fields).mask(r);
        assertThat(masked.get("weight")).isEqualTo(71.5f);
        assertThat(new org.apache.avro.Conversions.DecimalConversion()
                        .fromFixed(
                                (org.apache.avro.generic.GenericFixed) masked.get("fee"),
                                feeType,
                                feeType.getLogicalType()))
                .isEqualByComparingTo("1230.00");
        assertThat(masked.get("diedOn")).isNull();
        assertThat(masked.get("seenAt")).isEqualTo("2026-01"); // 01:00 on January 1st in Heze
        assertThat(masked.get("code")).isEqualTo("******78");
    }

    @Test
    void aFieldNotListedIsDropped() {
        Schema open = OpenSchemas.derive(S, List.of(OpenFixtures.field("recordId", OpenTreatment.KEEP, Map.of())));
        assertThat(open.getFields()).extracting(Schema.Field::name).containsExactly("recordId");
    }

    @Test
    void theOpenSchemaStaysCompatibleWhenAFieldIsAddedOrNoLongerOpenedOrMasked() {
        Schema v1 = OpenSchemas.derive(S, OpenFixtures.openFields());
        Schema catalogV2 = OpenDataTopologyTest.addField(S, "serviceHall");
        List<OpenField> fields = new ArrayList<>();
        for (OpenField f : OpenFixtures.openFields()) {
            fields.add(
                    switch (f.getField()) {
                        case "phone" -> OpenFixtures.field("phone", OpenTreatment.DROP, Map.of());
                        case "notes" -> OpenFixtures.field("notes", OpenTreatment.MASK, Map.of("keepFirst", "2"));
                        case "ratio" -> OpenFixtures.field("ratio", OpenTreatment.AMOUNT_ROUND, Map.of("step", "0.1"));
                        default -> f;
                    });
        }
        fields.add(OpenFixtures.field("serviceHall", OpenTreatment.KEEP, Map.of()));
        Schema v2 = OpenSchemas.derive(catalogV2, fields);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(v2, v1).getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        // Only adding and dropping: compatible in both directions (FULL).
        List<OpenField> addDrop = new ArrayList<>(OpenFixtures.openFields());
        addDrop.replaceAll(
                f -> f.getField().equals("phone") ? OpenFixtures.field("phone", OpenTreatment.DROP, Map.of()) : f);
        addDrop.add(OpenFixtures.field("serviceHall", OpenTreatment.KEEP, Map.of()));
        Schema v2b = OpenSchemas.derive(catalogV2, addDrop);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(v2b, v1).getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(v1, v2b).getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);

        String name = "open-schemas-" + UUID.randomUUID();
        InProcessSchemaRegistryClient registry = LocalSchemaRegistries.client(name);
        try {
            int id1 = registry.register("open.mz.open-test-value", v1);
            int id2 = registry.register("open.mz.open-test-value", v2);
            assertThat(id2).isNotEqualTo(id1);
        } finally {
            LocalSchemaRegistries.drop(name);
        }
    }

    @Test
    void changingAFieldsOpenTypeIsIncompatible() {
        Schema v1 = OpenSchemas.derive(S, OpenFixtures.openFields());
        List<OpenField> fields = new ArrayList<>(OpenFixtures.openFields());
        fields.replaceAll(f -> f.getField().equals("count")
                ? OpenFixtures.field("count", OpenTreatment.MASK, Map.of("keepFirst", "1"))
                : f);
        Schema v2 = OpenSchemas.derive(S, fields);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(v2, v1).getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void refusesWhatDoesNotFitWithTheFieldAndWhatWasExpected() {
        assertThatThrownBy(() -> check(OpenFixtures.field("nope", OpenTreatment.KEEP, Map.of())))
                .hasMessageContaining("open field 'nope': no such field in city.heze.peony.test.OpenTest");
        assertThatThrownBy(() -> check(OpenFixtures.field("count", OpenTreatment.UNKNOWN, Map.of())))
                .hasMessageContaining("open field 'count': treatment 'UNKNOWN' is not one of");
        assertThatThrownBy(() -> check(OpenFixtures.field("flag", OpenTreatment.MASK, Map.of())))
                .hasMessageContaining("open field 'flag' (boolean): MASK does not fit; expected a string, int or long");
        assertThatThrownBy(() -> check(OpenFixtures.field("count", OpenTreatment.DATE_YEAR, Map.of())))
                .hasMessageContaining("open field 'count' (int): DATE_YEAR does not fit; expected a date");
        assertThatThrownBy(() -> check(OpenFixtures.field("notes", OpenTreatment.AMOUNT_ROUND, Map.of("step", "10"))))
                .hasMessageContaining("AMOUNT_ROUND does not fit; expected a number");
        assertThatThrownBy(() -> check(OpenFixtures.field("score", OpenTreatment.AMOUNT_ROUND, Map.of())))
                .hasMessageContaining("AMOUNT_ROUND needs parameter step");
        assertThatThrownBy(() -> check(OpenFixtures.field("count", OpenTreatment.AMOUNT_ROUND, Map.of("step", "0.5"))))
                .hasMessageContaining("is not a whole number");
        assertThatThrownBy(() -> check(OpenFixtures.field("address", OpenTreatment.ADDRESS_DISTRICT, Map.of())))
                .hasMessageContaining("ADDRESS_DISTRICT needs parameter regionCodeField");
        assertThatThrownBy(() -> check(OpenFixtures.field("notes", OpenTreatment.MASK, Map.of("keepFirst", "x"))))
                .hasMessageContaining("keepFirst 'x' is not a number of characters");
        assertThatThrownBy(() -> check(OpenFixtures.field("notes", OpenTreatment.KEEP, Map.of("step", "1"))))
                .hasMessageContaining("parameter 'step' does not apply to KEEP");
        assertThatThrownBy(() -> check(OpenFixtures.field("count", OpenTreatment.KEEP, Map.of("personName", "true"))))
                .hasMessageContaining("personName needs a string field");
        assertThatThrownBy(() -> OpenSchemas.check(
                        S, List.of(OpenFixtures.field("notes", OpenTreatment.DROP, Map.of())), List.of("notes")))
                .hasMessageContaining("open required field 'notes': it is not opened");
    }

    private static void check(OpenField field) {
        OpenSchemas.check(S, List.of(field), List.of());
    }
}
