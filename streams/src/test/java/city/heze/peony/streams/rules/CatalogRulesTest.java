package city.heze.peony.streams.rules;

import static city.heze.peony.streams.rules.RuleFixtures.rule;
import static city.heze.peony.streams.rules.RuleFixtures.warningRule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.avro.common.Severity;
import city.heze.peony.avro.common.Sex;
import city.heze.peony.avro.dept.AssistanceType;
import city.heze.peony.avro.dept.BusinessRegistration;
import city.heze.peony.avro.dept.EntityStatus;
import city.heze.peony.avro.dept.EntityType;
import city.heze.peony.avro.dept.SocialAssistanceRecipient;
import city.heze.peony.identifiers.CreditCodes;
import city.heze.peony.identifiers.ResidentIds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class CatalogRulesTest {

    /** The social-assistance catalog as a department would declare it. */
    private static final List<FieldRule> ASSISTANCE_RULES = List.of(
            rule("recipient.id", RuleKind.RESIDENT_ID, "residentId", "regions", "heze"),
            rule("recipient.name", RuleKind.FORMAT, "name", "format", "chinese-name"),
            rule("recipient.birth", RuleKind.DATE, "birthDate"),
            rule("recipient.birth-matches-id", RuleKind.ID_MATCHES_BIRTH_DATE, null),
            rule("recipient.sex-matches-id", RuleKind.ID_MATCHES_SEX, null),
            rule("recipient.region", RuleKind.REGION_CODE, "regionCode"),
            rule("recipient.amount", RuleKind.RANGE, "monthlyAmountFen", "min", "0", "max", "500000"),
            rule("recipient.household", RuleKind.RANGE, "householdSize", "min", "1", "max", "20"),
            rule(
                    "recipient.type",
                    RuleKind.ENUM,
                    "assistanceType",
                    "symbols",
                    "MINIMUM_LIVING,EXTREME_POVERTY,TEMPORARY"),
            rule("recipient.approved", RuleKind.DATE, "approvedOn", "notBefore", "2014-01-01"),
            warningRule("recipient.phone", RuleKind.MOBILE, "phone"));

    private static final List<FieldRule> BUSINESS_RULES = List.of(
            rule("business.code", RuleKind.CREDIT_CODE, "creditCode"),
            rule("business.capital", RuleKind.RANGE, "registeredCapital", "min", "0.01"),
            rule("business.representative", RuleKind.RESIDENT_ID, "legalRepresentativeId"),
            rule("business.status", RuleKind.REQUIRED, "status"));

    private static final String ID = ResidentIds.generate("371702", LocalDate.of(1956, 3, 9), 123);

    /** The schemas as a registry holds them, which the validation topology decodes with. */
    private static final Schema ASSISTANCE_SCHEMA = stripped(SocialAssistanceRecipient.getClassSchema());

    private static final Schema BUSINESS_SCHEMA = stripped(BusinessRegistration.getClassSchema());

    private final CatalogRules assistance =
            CatalogRules.compile(ASSISTANCE_RULES, ASSISTANCE_SCHEMA, RuleFixtures.CLOCK);

    @Test
    void aCleanRecordGetsTheSharedPassedResultWhateverTheDataModel() throws IOException {
        SocialAssistanceRecipient clean = recipient().build();
        for (GenericRecord decoded : decodedBothWays(clean, ASSISTANCE_SCHEMA)) {
            assertThat(assistance.evaluate(decoded)).isSameAs(ValidationResult.ALL_RULES_PASSED);
        }
        assertThat(forGeneratedClass().evaluate(clean)).isSameAs(ValidationResult.ALL_RULES_PASSED);
    }

    @Test
    void decodedRecordsReallyDifferInRepresentation() throws IOException {
        List<GenericRecord> decoded = decodedBothWays(recipient().build(), ASSISTANCE_SCHEMA);
        assertThat(decoded.get(0).get("birthDate")).isInstanceOf(Integer.class);
        assertThat(decoded.get(0).get("residentId")).isInstanceOf(Utf8.class);
        assertThat(decoded.get(1).get("birthDate")).isInstanceOf(LocalDate.class);
    }

    @Test
    void blockingFailuresAndWarningsAreSeparatedInDeclarationOrder() throws IOException {
        SocialAssistanceRecipient defective = recipient()
                .setBirthDate(LocalDate.of(1956, 3, 10))
                .setSex(Sex.FEMALE)
                .setHouseholdSize(0)
                .setPhone("0530-5312345")
                .build();
        for (GenericRecord decoded : decodedBothWays(defective, ASSISTANCE_SCHEMA)) {
            ValidationResult result = assistance.evaluate(decoded);
            assertThat(result.passed()).isFalse();
            assertThat(result.blockingFailures())
                    .extracting(RuleFailure::getRuleId)
                    .containsExactly("recipient.birth-matches-id", "recipient.sex-matches-id", "recipient.household");
            assertThat(result.warnings()).extracting(RuleFailure::getRuleId).containsExactly("recipient.phone");
            assertThat(result.warnings().get(0).getSeverity()).isEqualTo(Severity.WARNING);
            assertThat(result.allFailures())
                    .hasSize(4)
                    .last()
                    .isEqualTo(result.warnings().get(0));
            assertThat(result.blockingFailures().get(0).getReason())
                    .isEqualTo("birthDate '1956-03-10': does not match residentId '" + ID + "', which encodes birth "
                            + "date 1956-03-09");
        }
    }

    @Test
    void warningsAloneLetARecordPass() {
        ValidationResult result =
                forGeneratedClass().evaluate(recipient().setPhone("12345").build());
        assertThat(result.passed()).isTrue();
        assertThat(result.hasWarnings()).isTrue();
        assertThat(result.allFailures()).isEqualTo(result.warnings());
    }

    @Test
    void decimalsAndCreditCodesOfABusinessRegistration() throws IOException {
        CatalogRules business = CatalogRules.compile(BUSINESS_RULES, BUSINESS_SCHEMA, RuleFixtures.CLOCK);
        BusinessRegistration registration = business().build();
        for (GenericRecord decoded : decodedBothWays(registration, BUSINESS_SCHEMA)) {
            assertThat(business.evaluate(decoded)).isSameAs(ValidationResult.ALL_RULES_PASSED);
        }
        BusinessRegistration noCapital =
                business().setRegisteredCapital(new BigDecimal("0.00")).build();
        List<GenericRecord> decoded = decodedBothWays(noCapital, BUSINESS_SCHEMA);
        assertThat(decoded.get(0).get("registeredCapital")).isInstanceOf(ByteBuffer.class);
        assertThat(decoded.get(1).get("registeredCapital")).isInstanceOf(BigDecimal.class);
        for (GenericRecord record : decoded) {
            assertThat(business.evaluate(record).blockingFailures())
                    .extracting(RuleFailure::getReason)
                    .containsExactly("registeredCapital '0.00': outside the range, expected at least 0.01");
        }
    }

    @Test
    void anEqualSchemaInstanceIsAcceptedAndAnotherSchemaRefused() {
        Schema copy = new Schema.Parser().parse(RuleFixtures.SAMPLE.toString());
        CatalogRules rules = RuleFixtures.compile(rule("r", RuleKind.REQUIRED, "text"));
        GenericData.Record record = new GenericData.Record(copy);
        record.put("text", "x");
        assertThat(rules.evaluate(record).passed()).isTrue();
        assertThat(rules.evaluate(record).passed()).isTrue();
        assertThatThrownBy(() -> rules.evaluate(recipient().build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "record of schema city.heze.peony.avro.dept.SocialAssistanceRecipient given to the rules "
                                + "compiled for city.heze.peony.test.Sample; expected records decoded with the catalog's schema");
        GenericData.Record otherVersion = new GenericData.Record(ASSISTANCE_SCHEMA);
        assertThatThrownBy(() -> forGeneratedClass().evaluate(otherVersion))
                .hasMessageContaining("differs from the version of it the rules were compiled for");
    }

    @Test
    void noRulesPassEverything() {
        CatalogRules none = CatalogRules.compile(List.of(), RuleFixtures.SAMPLE);
        assertThat(none.evaluate(RuleFixtures.record())).isSameAs(ValidationResult.ALL_RULES_PASSED);
        assertThat(none.ruleIds()).isEmpty();
        assertThat(assistance.ruleIds()).hasSize(ASSISTANCE_RULES.size()).startsWith("recipient.id", "recipient.name");
        assertThat(assistance.schema()).isSameAs(ASSISTANCE_SCHEMA);
    }

    @Test
    void aFieldTheSchemaLacksIsRefusedNamingRuleFieldAndChoices() {
        List<FieldRule> rules = List.of(rule("recipient.phone", RuleKind.MOBILE, "phoneNumber"));
        assertThatThrownBy(() -> CatalogRules.compile(rules, SocialAssistanceRecipient.getClassSchema()))
                .isInstanceOf(RuleDefinitionException.class)
                .hasMessage("rule 'recipient.phone' (MOBILE on field 'phoneNumber') of schema "
                        + "city.heze.peony.avro.dept.SocialAssistanceRecipient: field 'phoneNumber' is not in schema "
                        + "city.heze.peony.avro.dept.SocialAssistanceRecipient; expected one of recordId, residentId, "
                        + "name, sex, birthDate, regionCode, assistanceType, monthlyAmountFen, householdSize, "
                        + "approvedOn, phone, updatedAt");
    }

    @Test
    void anUnknownKindIsRefused() {
        assertThatThrownBy(() -> RuleFixtures.compile(rule("future.kind", RuleKind.UNKNOWN, "text")))
                .isInstanceOf(RuleDefinitionException.class)
                .hasMessageContaining("rule 'future.kind' (UNKNOWN on field 'text')")
                .hasMessageContaining("kind UNKNOWN: the catalog uses a rule kind this version of Peony does not know");
    }

    @Test
    void aCrossFieldRuleOnASchemaWithoutItsDefaultFieldsIsRefused() {
        List<FieldRule> rules = List.of(rule("business.sex", RuleKind.ID_MATCHES_SEX, null));
        assertThatThrownBy(() -> CatalogRules.compile(rules, BusinessRegistration.getClassSchema()))
                .hasMessageContaining("rule 'business.sex' (ID_MATCHES_SEX)")
                .hasMessageContaining("field 'residentId' (the default of parameter residentIdField) is not in schema "
                        + "city.heze.peony.avro.dept.BusinessRegistration");
    }

    @Test
    void idsMustBeGivenAndUnique() {
        assertThatThrownBy(() -> RuleFixtures.compile(
                        rule("same", RuleKind.REQUIRED, "text"), rule("same", RuleKind.REQUIRED, "count")))
                .hasMessageContaining("rule 'same' (REQUIRED on field 'count')")
                .hasMessageContaining("the ruleId is declared twice");
        assertThatThrownBy(() -> RuleFixtures.compile(rule(" ", RuleKind.REQUIRED, "text")))
                .hasMessageContaining(
                        "rule number 1 of schema city.heze.peony.test.Sample (field 'text') has no ruleId");
    }

    @Test
    void aSeverityIsNeeded() {
        FieldRule noSeverity = new FieldRule("r", "text", RuleKind.REQUIRED, Map.of(), null, null);
        assertThatThrownBy(() -> RuleFixtures.compile(noSeverity))
                .hasMessageContaining("rule 'r' (REQUIRED on field 'text')")
                .hasMessageContaining("no severity; expected BLOCKING or WARNING");
    }

    @Test
    void aUnionOfSeveralTypesIsRefused() {
        assertThatThrownBy(() -> RuleFixtures.compile(rule("r", RuleKind.MOBILE, "choice")))
                .hasMessageContaining("field 'choice' is union [null, int, string]; expected string");
    }

    @Test
    void onlyRecordSchemasCanBeCompiledAgainst() {
        assertThatThrownBy(() -> CatalogRules.compile(List.of(), Schema.create(Schema.Type.STRING)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schema string is string, expected a record");
    }

    private static CatalogRules forGeneratedClass() {
        return CatalogRules.compile(ASSISTANCE_RULES, SocialAssistanceRecipient.getClassSchema(), RuleFixtures.CLOCK);
    }

    private static SocialAssistanceRecipient.Builder recipient() {
        return SocialAssistanceRecipient.newBuilder()
                .setRecordId("mz-000001")
                .setResidentId(ID)
                .setName("王秀英")
                .setSex(Sex.MALE)
                .setBirthDate(LocalDate.of(1956, 3, 9))
                .setRegionCode("371702")
                .setAssistanceType(AssistanceType.MINIMUM_LIVING)
                .setMonthlyAmountFen(68_000)
                .setHouseholdSize(2)
                .setApprovedOn(LocalDate.of(2021, 5, 20))
                .setPhone("13905301234")
                .setUpdatedAt(Instant.parse("2025-06-01T08:00:00Z"));
    }

    private static BusinessRegistration.Builder business() {
        return BusinessRegistration.newBuilder()
                .setRecordId("scjg-000001")
                .setCreditCode(CreditCodes.generate('9', '1', "371702", "MA3C4D5E"))
                .setEntityName("菏泽牡丹花卉有限公司")
                .setEntityType(EntityType.LIMITED_COMPANY)
                .setLegalRepresentative("李娜")
                .setLegalRepresentativeId(ResidentIds.generate("371721", LocalDate.of(1980, 8, 8), 42))
                .setRegionCode("371702")
                .setRegisteredCapital(new BigDecimal("500.00"))
                .setEstablishedOn(LocalDate.of(2019, 4, 1))
                .setBusinessScope("花卉种植")
                .setStatus(EntityStatus.ACTIVE)
                .setUpdatedAt(Instant.parse("2025-06-01T08:00:00Z"));
    }

    /**
     * The record written as a producer writes it and read back twice: by the plain generic model
     * (Utf8, Integer days, ByteBuffer decimals) and by one with logical-type conversions.
     */
    private static List<GenericRecord> decodedBothWays(SpecificRecord record, Schema readerSchema) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        // The model of the record's own class: SpecificDatumWriter(Schema) would look the class up by
        // name, which Avro 1.12 forbids for packages not listed in org.apache.avro.SERIALIZABLE_PACKAGES.
        new SpecificDatumWriter<SpecificRecord>(record.getSchema(), ((SpecificRecordBase) record).getSpecificData())
                .write(record, encoder);
        encoder.flush();
        GenericData converting = new GenericData();
        converting.addLogicalTypeConversion(new TimeConversions.DateConversion());
        converting.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        converting.addLogicalTypeConversion(new Conversions.DecimalConversion());
        GenericRecord plain = new GenericDatumReader<GenericRecord>(record.getSchema(), readerSchema, GenericData.get())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        GenericRecord converted = new GenericDatumReader<GenericRecord>(record.getSchema(), readerSchema, converting)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        return List.of(plain, converted);
    }

    /**
     * The schema as a registry holds it: without the {@code avro.java.string} hint of generated
     * classes, so strings decode as Utf8. It is equal to the original except for that property.
     */
    private static Schema stripped(Schema schema) {
        return new Schema.Parser().parse(schema.toString().replace(",\"avro.java.string\":\"String\"", ""));
    }
}
