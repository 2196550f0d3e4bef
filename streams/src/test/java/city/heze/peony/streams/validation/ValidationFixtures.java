package city.heze.peony.streams.validation;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.OpenType;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.avro.common.Severity;
import city.heze.peony.avro.common.Sex;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.avro.common.UpdateCycle;
import city.heze.peony.avro.dept.AssistanceType;
import city.heze.peony.avro.dept.BusinessRegistration;
import city.heze.peony.avro.dept.EntityStatus;
import city.heze.peony.avro.dept.EntityType;
import city.heze.peony.avro.dept.SocialAssistanceRecipient;
import city.heze.peony.identifiers.CreditCodes;
import city.heze.peony.identifiers.ResidentIds;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Two catalogs as departments register them, and records of them, valid or with known defects. */
final class ValidationFixtures {
    static final String ASSISTANCE = "mz.social-assistance";
    static final String BUSINESS = "scjg.business-registration";

    private ValidationFixtures() {}

    static CatalogEntry socialAssistance(Instant publishedAt) {
        return socialAssistance(publishedAt, List.of());
    }

    /** 民政局's catalog (DAILY) with its rules, plus {@code extraRules}. */
    static CatalogEntry socialAssistance(Instant publishedAt, List<FieldRule> extraRules) {
        List<FieldRule> rules = new ArrayList<>(List.of(
                rule("sa.resident-id", "residentId", RuleKind.RESIDENT_ID, "regions", "heze"),
                rule("sa.name", "name", RuleKind.REQUIRED),
                rule("sa.birth-date", "birthDate", RuleKind.DATE, "notBefore", "1900-01-01"),
                rule("sa.region", "regionCode", RuleKind.REGION_CODE),
                rule("sa.id-birth-date", "residentId", RuleKind.ID_MATCHES_BIRTH_DATE, "birthDateField", "birthDate"),
                rule("sa.id-sex", "residentId", RuleKind.ID_MATCHES_SEX, "sexField", "sex"),
                rule("sa.amount", "monthlyAmountFen", RuleKind.RANGE, "min", "0", "max", "1000000"),
                rule("sa.household", "householdSize", RuleKind.RANGE, "min", "1", "max", "30"),
                warning("sa.phone", "phone", RuleKind.MOBILE)));
        rules.addAll(extraRules);
        return CatalogEntry.newBuilder()
                .setId(ASSISTANCE)
                .setResourceCode("11371700MZ0001")
                .setName("社会救助对象信息")
                .setDepartment("mz")
                .setDepartmentName("菏泽市民政局")
                .setSchema$(SocialAssistanceRecipient.getClassSchema().toString())
                .setShareType(ShareType.CONDITIONAL)
                .setOpenType(OpenType.NOT_OPEN)
                .setUpdateCycle(UpdateCycle.DAILY)
                .setFieldRules(rules)
                .setPublishedAt(publishedAt)
                .setKeyField("recordId")
                .build();
    }

    /** 市场监管局's catalog (REALTIME). */
    static CatalogEntry businessRegistration(Instant publishedAt) {
        return CatalogEntry.newBuilder()
                .setId(BUSINESS)
                .setResourceCode("11371700SCJG0001")
                .setName("市场主体登记信息")
                .setDepartment("scjg")
                .setSchema$(BusinessRegistration.getClassSchema().toString())
                .setShareType(ShareType.UNCONDITIONAL)
                .setOpenType(OpenType.OPEN)
                .setUpdateCycle(UpdateCycle.REALTIME)
                .setFieldRules(List.of(
                        rule("br.credit-code", "creditCode", RuleKind.CREDIT_CODE),
                        rule("br.entity-name", "entityName", RuleKind.LENGTH, "min", "2", "max", "100"),
                        rule("br.legal-rep-id", "legalRepresentativeId", RuleKind.RESIDENT_ID),
                        warning("br.phone", "phone", RuleKind.MOBILE)))
                .setPublishedAt(publishedAt)
                .build();
    }

    static FieldRule rule(String id, String field, RuleKind kind, String... parameters) {
        return new FieldRule(id, field, kind, parameters(parameters), Severity.BLOCKING, null);
    }

    static FieldRule warning(String id, String field, RuleKind kind, String... parameters) {
        return new FieldRule(id, field, kind, parameters(parameters), Severity.WARNING, null);
    }

    private static Map<String, String> parameters(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** A recipient that passes every rule; {@code n} varies the ids (odd: a man). */
    static SocialAssistanceRecipient recipient(int n) {
        LocalDate birth = LocalDate.of(1950 + n % 50, 1 + n % 12, 1 + n % 28);
        int sequence = n % 1000;
        return SocialAssistanceRecipient.newBuilder()
                .setRecordId("MZ-2025-" + n)
                .setResidentId(ResidentIds.generate("371702", birth, sequence))
                .setName("张秀英")
                .setSex(sequence % 2 == 1 ? Sex.MALE : Sex.FEMALE)
                .setBirthDate(birth)
                .setRegionCode("371702")
                .setAssistanceType(AssistanceType.MINIMUM_LIVING)
                .setMonthlyAmountFen(68_000L + n)
                .setHouseholdSize(3)
                .setApprovedOn(LocalDate.of(2024, 3, 15))
                .setPhone("13905301234")
                .setUpdatedAt(Instant.parse("2025-06-01T00:00:00Z"))
                .build();
    }

    /** Fails sa.amount and sa.household (blocking) and sa.phone (a warning). */
    static SocialAssistanceRecipient recipientWithThreeFaults(int n) {
        return SocialAssistanceRecipient.newBuilder(recipient(n))
                .setMonthlyAmountFen(-5)
                .setHouseholdSize(0)
                .setPhone("0530-1234")
                .build();
    }

    /** Passes, with the sa.phone warning. */
    static SocialAssistanceRecipient recipientWithWarning(int n) {
        return SocialAssistanceRecipient.newBuilder(recipient(n))
                .setPhone("12345")
                .build();
    }

    /** A valid business registration. */
    static BusinessRegistration business(int n) {
        return BusinessRegistration.newBuilder()
                .setRecordId("SCJG-2025-" + n)
                .setCreditCode(CreditCodes.generate('9', '1', "371702", String.format("MA3C%04d", n % 10_000)))
                .setEntityName("菏泽市牡丹区花乡农产品贸易有限公司")
                .setEntityType(EntityType.LIMITED_COMPANY)
                .setLegalRepresentative("李建国")
                .setLegalRepresentativeId(ResidentIds.generate("371702", LocalDate.of(1975, 5, 5), 123))
                .setRegionCode("371702")
                .setRegisteredCapital(new BigDecimal("500.00"))
                .setEstablishedOn(LocalDate.of(2016, 4, 18))
                .setBusinessScope("牡丹种苗、鲜切花、干花及牡丹籽油的种植、收购与销售；农产品初加工。")
                .setStatus(EntityStatus.ACTIVE)
                .setPhone("13905305678")
                .setUpdatedAt(Instant.parse("2025-06-01T00:00:00Z"))
                .build();
    }

    /** Fails br.credit-code: an 'O' (not in the code's character set) where a digit was. */
    static BusinessRegistration businessWithBadCreditCode(int n) {
        BusinessRegistration valid = business(n);
        String code = valid.getCreditCode();
        return BusinessRegistration.newBuilder(valid)
                .setCreditCode(code.substring(0, 10) + 'O' + code.substring(11))
                .build();
    }
}
