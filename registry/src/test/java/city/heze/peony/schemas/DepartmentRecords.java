package city.heze.peony.schemas;

import city.heze.peony.avro.common.Sex;
import city.heze.peony.avro.dept.AssistanceType;
import city.heze.peony.avro.dept.BusinessRegistration;
import city.heze.peony.avro.dept.EntityStatus;
import city.heze.peony.avro.dept.EntityType;
import city.heze.peony.avro.dept.SocialAssistanceRecipient;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** Realistic department records for serde tests and the serde benchmark. */
public final class DepartmentRecords {
    private DepartmentRecords() {}

    /** A 民政局 record; {@code n} varies the ids. */
    public static SocialAssistanceRecipient recipient(int n) {
        return SocialAssistanceRecipient.newBuilder()
                .setRecordId("MZ-2025-" + n)
                .setResidentId("37170219800101" + String.format("%04d", n % 10_000))
                .setName("张秀英")
                .setSex(Sex.FEMALE)
                .setBirthDate(LocalDate.of(1980, 1, 1))
                .setRegionCode("371702")
                .setAssistanceType(AssistanceType.MINIMUM_LIVING)
                .setMonthlyAmountFen(68_000L + n)
                .setHouseholdSize(3)
                .setApprovedOn(LocalDate.of(2024, 3, 15))
                .setPhone(n % 2 == 0 ? "13905301234" : null)
                .setUpdatedAt(Instant.ofEpochMilli(1_735_000_000_000L + n))
                .build();
    }

    /** A 市场监管局 record of about 300 bytes in Avro binary; {@code n} varies the ids. */
    public static BusinessRegistration business(int n) {
        return BusinessRegistration.newBuilder()
                .setRecordId("SCJG-2025-" + n)
                .setCreditCode("91371700MA3C" + String.format("%06d", n % 1_000_000))
                .setEntityName("菏泽市牡丹区花乡农产品贸易有限公司")
                .setEntityType(EntityType.LIMITED_COMPANY)
                .setLegalRepresentative("李建国")
                .setLegalRepresentativeId("371702197505051234")
                .setRegionCode("371702")
                .setRegisteredCapital(new BigDecimal("500.00"))
                .setEstablishedOn(LocalDate.of(2016, 4, 18))
                .setBusinessScope("牡丹种苗、鲜切花、干花及牡丹籽油的种植、收购与销售；农产品初加工；" + "货物进出口；仓储服务（不含危险化学品）。")
                .setStatus(EntityStatus.ACTIVE)
                .setPhone("05305551234")
                .setUpdatedAt(Instant.ofEpochMilli(1_735_000_000_000L + n))
                .build();
    }
}
