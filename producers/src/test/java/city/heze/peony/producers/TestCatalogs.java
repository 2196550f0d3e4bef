package city.heze.peony.producers;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.OpenType;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.avro.common.Severity;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.avro.common.UpdateCycle;
import city.heze.peony.avro.dept.BusinessRegistration;
import city.heze.peony.avro.dept.SocialAssistanceRecipient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** Catalog entries as {@code ops/catalog/} declares them, built in code for the producers' tests. */
public final class TestCatalogs {
    private TestCatalogs() {}

    public static CatalogEntry socialAssistance() {
        return entry(
                "mz.social-assistance",
                "11371700MZ0001",
                "mz",
                SocialAssistanceRecipient.getClassSchema(),
                ShareType.CONDITIONAL,
                UpdateCycle.DAILY,
                List.of(
                        rule("sa.resident-id", "residentId", RuleKind.RESIDENT_ID, Map.of("regions", "heze")),
                        rule("sa.name", "name", RuleKind.REQUIRED, Map.of()),
                        rule("sa.birth-date", "birthDate", RuleKind.DATE, Map.of("notBefore", "1900-01-01")),
                        rule("sa.region", "regionCode", RuleKind.REGION_CODE, Map.of()),
                        rule(
                                "sa.id-birth-date",
                                "residentId",
                                RuleKind.ID_MATCHES_BIRTH_DATE,
                                Map.of("birthDateField", "birthDate")),
                        rule("sa.id-sex", "residentId", RuleKind.ID_MATCHES_SEX, Map.of("sexField", "sex")),
                        rule("sa.amount", "monthlyAmountFen", RuleKind.RANGE, Map.of("min", "0", "max", "1000000")),
                        rule("sa.household", "householdSize", RuleKind.RANGE, Map.of("min", "1", "max", "30")),
                        rule("sa.approved-on", "approvedOn", RuleKind.DATE, Map.of("notBefore", "2000-01-01")),
                        warning(rule("sa.phone", "phone", RuleKind.MOBILE, Map.of()))));
    }

    public static CatalogEntry businessRegistration() {
        return entry(
                "scjg.business-registration",
                "11371700SCJG0001",
                "scjg",
                BusinessRegistration.getClassSchema(),
                ShareType.UNCONDITIONAL,
                UpdateCycle.REALTIME,
                List.of(
                        rule("br.credit-code", "creditCode", RuleKind.CREDIT_CODE, Map.of()),
                        rule("br.entity-name", "entityName", RuleKind.LENGTH, Map.of("min", "2", "max", "100")),
                        rule("br.legal-rep-id", "legalRepresentativeId", RuleKind.RESIDENT_ID, Map.of()),
                        rule("br.region", "regionCode", RuleKind.REGION_CODE, Map.of("allowDevelopmentZones", "true")),
                        rule("br.capital", "registeredCapital", RuleKind.RANGE, Map.of("min", "0", "max", "100000000")),
                        rule("br.established-on", "establishedOn", RuleKind.DATE, Map.of("notBefore", "1949-10-01")),
                        warning(rule("br.phone", "phone", RuleKind.MOBILE, Map.of()))));
    }

    /** A catalog whose schema is declared inline, with a REGEX rule, like {@code mz.marriage-registration}. */
    public static CatalogEntry marriageRegistration() {
        Schema schema = new Schema.Parser()
                .parse(
                        "{\"type\":\"record\",\"name\":\"MarriageRegistration\",\"namespace\":\"city.heze.peony.catalog.mz\","
                                + "\"fields\":[{\"name\":\"recordId\",\"type\":\"string\"},"
                                + "{\"name\":\"registrationType\",\"type\":{\"type\":\"enum\",\"name\":\"RegistrationType\","
                                + "\"symbols\":[\"MARRIAGE\",\"DIVORCE\",\"REMARRIAGE\",\"UNKNOWN\"],\"default\":\"UNKNOWN\"}},"
                                + "{\"name\":\"partyOneResidentId\",\"type\":\"string\"},{\"name\":\"partyOneName\",\"type\":\"string\"},"
                                + "{\"name\":\"partyTwoResidentId\",\"type\":\"string\"},{\"name\":\"partyTwoName\",\"type\":\"string\"},"
                                + "{\"name\":\"certificateNo\",\"type\":\"string\"},"
                                + "{\"name\":\"registeredOn\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
                                + "{\"name\":\"regionCode\",\"type\":\"string\"}]}");
        return entry(
                "mz.marriage-registration",
                "11371700MZ0002",
                "mz",
                schema,
                ShareType.CONDITIONAL,
                UpdateCycle.DAILY,
                List.of(
                        rule("mr.party-one-id", "partyOneResidentId", RuleKind.RESIDENT_ID, Map.of()),
                        rule("mr.party-two-id", "partyTwoResidentId", RuleKind.RESIDENT_ID, Map.of()),
                        rule(
                                "mr.certificate",
                                "certificateNo",
                                RuleKind.REGEX,
                                Map.of("pattern", "[JL]\\d{6}-\\d{4}-\\d{6}")),
                        rule("mr.registered-on", "registeredOn", RuleKind.DATE, Map.of("notBefore", "1950-05-01")),
                        rule("mr.region", "regionCode", RuleKind.REGION_CODE, Map.of())));
    }

    public static CatalogEntry entry(
            String id,
            String resourceCode,
            String department,
            Schema schema,
            ShareType shareType,
            UpdateCycle cycle,
            List<FieldRule> rules) {
        return CatalogEntry.newBuilder()
                .setId(id)
                .setResourceCode(resourceCode)
                .setName("测试目录 " + id)
                .setDepartment(department)
                .setSchema$(schema.toString())
                .setShareType(shareType)
                .setOpenType(OpenType.NOT_OPEN)
                .setUpdateCycle(cycle)
                .setFieldRules(rules)
                .setShareDeadlineWorkingDays(shareType == ShareType.CONDITIONAL ? 5 : null)
                .setPublishedAt(Instant.parse("2025-01-01T00:00:00Z"))
                .build();
    }

    public static FieldRule rule(String id, String field, RuleKind kind, Map<String, String> parameters) {
        return FieldRule.newBuilder()
                .setRuleId(id)
                .setField(field)
                .setKind(kind)
                .setParameters(parameters)
                .setSeverity(Severity.BLOCKING)
                .build();
    }

    private static FieldRule warning(FieldRule rule) {
        rule.setSeverity(Severity.WARNING);
        return rule;
    }
}
