package city.heze.peony.producers;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.OpenType;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.avro.common.Severity;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.avro.common.UpdateCycle;
import city.heze.peony.avro.dept.BusinessRegistration;
import city.heze.peony.avro.dept.DeathRegistration;
import city.heze.peony.avro.dept.MedicalSettlement;
import city.heze.peony.avro.dept.PensionRecipient;
import city.heze.peony.avro.dept.SocialAssistanceRecipient;
import city.heze.peony.avro.dept.VehicleRegistration;
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

    /** The eight catalogs the linkage scenarios read, with their schemas and main rules as ops/catalog declares them. */
    public static List<CatalogEntry> linkage() {
        Schema deregistration = new Schema.Parser()
                .parse(
                        "{\"type\":\"record\",\"name\":\"BusinessDeregistration\",\"namespace\":\"city.heze.peony.catalog.scjg\","
                                + "\"fields\":[{\"name\":\"recordId\",\"type\":\"string\"},{\"name\":\"creditCode\",\"type\":\"string\"},"
                                + "{\"name\":\"entityName\",\"type\":\"string\"},"
                                + "{\"name\":\"kind\",\"type\":{\"type\":\"enum\",\"name\":\"DeregistrationKind\","
                                + "\"symbols\":[\"CANCELLED\",\"REVOKED\",\"SIMPLIFIED_CANCELLATION\",\"UNKNOWN\"],\"default\":\"UNKNOWN\"}},"
                                + "{\"name\":\"effectiveOn\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
                                + "{\"name\":\"reason\",\"type\":[\"null\",\"string\"],\"default\":null},"
                                + "{\"name\":\"regionCode\",\"type\":\"string\"}]}");
        Schema employment = new Schema.Parser()
                .parse(
                        "{\"type\":\"record\",\"name\":\"EmploymentRegistration\",\"namespace\":\"city.heze.peony.catalog.rs\","
                                + "\"fields\":[{\"name\":\"recordId\",\"type\":\"string\"},{\"name\":\"residentId\",\"type\":\"string\"},"
                                + "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"employerCreditCode\",\"type\":\"string\"},"
                                + "{\"name\":\"employerName\",\"type\":\"string\"},"
                                + "{\"name\":\"startDate\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
                                + "{\"name\":\"endDate\",\"type\":[\"null\",{\"type\":\"int\",\"logicalType\":\"date\"}],\"default\":null},"
                                + "{\"name\":\"regionCode\",\"type\":\"string\"},"
                                + "{\"name\":\"phone\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
        return List.of(
                socialAssistance(),
                entry(
                        "ga.vehicle-registration",
                        "11371700GA0001",
                        "ga",
                        VehicleRegistration.getClassSchema(),
                        ShareType.CONDITIONAL,
                        UpdateCycle.DAILY,
                        List.of(
                                rule("vr.plate", "plateNumber", RuleKind.FORMAT, Map.of("format", "plate-number")),
                                rule("vr.vin", "vin", RuleKind.FORMAT, Map.of("format", "vin")),
                                rule("vr.owner-id", "ownerResidentId", RuleKind.RESIDENT_ID, Map.of()),
                                rule("vr.region", "regionCode", RuleKind.REGION_CODE, Map.of()),
                                rule(
                                        "vr.registered-on",
                                        "registeredOn",
                                        RuleKind.DATE,
                                        Map.of("notBefore", "1980-01-01")))),
                businessRegistration(),
                entry(
                        "scjg.business-deregistration",
                        "11371700SCJG0002",
                        "scjg",
                        deregistration,
                        ShareType.UNCONDITIONAL,
                        UpdateCycle.DAILY,
                        List.of(
                                rule("bd.credit-code", "creditCode", RuleKind.CREDIT_CODE, Map.of()),
                                rule(
                                        "bd.effective-on",
                                        "effectiveOn",
                                        RuleKind.DATE,
                                        Map.of("notBefore", "1990-01-01")),
                                rule("bd.region", "regionCode", RuleKind.REGION_CODE, Map.of()))),
                entry(
                        "rs.employment-registration",
                        "11371700RS0002",
                        "rs",
                        employment,
                        ShareType.UNCONDITIONAL,
                        UpdateCycle.DAILY,
                        List.of(
                                rule("er.resident-id", "residentId", RuleKind.RESIDENT_ID, Map.of()),
                                rule("er.employer", "employerCreditCode", RuleKind.CREDIT_CODE, Map.of()),
                                rule("er.start-date", "startDate", RuleKind.DATE, Map.of("notBefore", "1990-01-01")),
                                rule("er.region", "regionCode", RuleKind.REGION_CODE, Map.of()))),
                entry(
                        "rs.pension-recipients",
                        "11371700RS0001",
                        "rs",
                        PensionRecipient.getClassSchema(),
                        ShareType.CONDITIONAL,
                        UpdateCycle.MONTHLY,
                        List.of(
                                rule("pr.resident-id", "residentId", RuleKind.RESIDENT_ID, Map.of()),
                                rule("pr.region", "regionCode", RuleKind.REGION_CODE, Map.of()),
                                rule(
                                        "pr.amount",
                                        "monthlyPensionFen",
                                        RuleKind.RANGE,
                                        Map.of("min", "1", "max", "5000000")),
                                rule("pr.start-date", "startDate", RuleKind.DATE, Map.of("notBefore", "1980-01-01")))),
                entry(
                        "wj.death-registration",
                        "11371700WJ0001",
                        "wj",
                        DeathRegistration.getClassSchema(),
                        ShareType.UNCONDITIONAL,
                        UpdateCycle.DAILY,
                        List.of(
                                rule("dr.resident-id", "residentId", RuleKind.RESIDENT_ID, Map.of()),
                                rule("dr.death-date", "deathDate", RuleKind.DATE, Map.of("notBefore", "1990-01-01")),
                                rule("dr.region", "regionCode", RuleKind.REGION_CODE, Map.of()),
                                rule(
                                        "dr.certificate",
                                        "certificateNo",
                                        RuleKind.REGEX,
                                        Map.of("pattern", "[A-Z]\\d{9}")))),
                entry(
                        "yb.medical-settlement",
                        "11371700YB0001",
                        "yb",
                        MedicalSettlement.getClassSchema(),
                        ShareType.CONDITIONAL,
                        UpdateCycle.REALTIME,
                        List.of(
                                rule("ms.resident-id", "residentId", RuleKind.RESIDENT_ID, Map.of()),
                                rule("ms.institution", "institutionCreditCode", RuleKind.CREDIT_CODE, Map.of()),
                                rule("ms.region", "regionCode", RuleKind.REGION_CODE, Map.of()),
                                rule("ms.settled-at", "settledAt", RuleKind.DATE, Map.of("notBefore", "2010-01-01")),
                                rule(
                                        "ms.total",
                                        "totalAmount",
                                        RuleKind.RANGE,
                                        Map.of("min", "0", "max", "10000000")))));
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
