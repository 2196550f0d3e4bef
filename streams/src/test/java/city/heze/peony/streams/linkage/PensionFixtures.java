package city.heze.peony.streams.linkage;

import city.heze.peony.avro.common.Sex;
import city.heze.peony.avro.dept.DeathRegistration;
import city.heze.peony.avro.dept.InsuranceType;
import city.heze.peony.avro.dept.MedicalSettlement;
import city.heze.peony.avro.dept.PensionRecipient;
import city.heze.peony.avro.dept.PensionStatus;
import city.heze.peony.avro.dept.PensionType;
import city.heze.peony.schemas.CityZone;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/** Department records for the certification tests; times are Heze local times ("2026-03-10T09:00"). */
final class PensionFixtures {
    static final String MUDAN = "371702"; // 牡丹区
    static final String CAOXIAN = "371721"; // 曹县

    private PensionFixtures() {}

    /** A Heze local time as an instant. */
    static Instant at(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(CityZone.ZONE).toInstant();
    }

    static PensionRecipient pension(
            String recordId, String residentId, String district, PensionStatus status, String updatedAt) {
        return PensionRecipient.newBuilder()
                .setRecordId(recordId)
                .setResidentId(residentId)
                .setName("老" + recordId)
                .setSex(Sex.MALE)
                .setBirthDate(LocalDate.of(1955, 3, 1))
                .setRegionCode(district + "001001")
                .setPensionType(PensionType.ENTERPRISE_EMPLOYEE)
                .setMonthlyPensionFen(280_000)
                .setStartDate(LocalDate.of(2015, 4, 1))
                .setStatus(status)
                .setEmployerCreditCode(null)
                .setUpdatedAt(at(updatedAt))
                .build();
    }

    static PensionRecipient active(String recordId, String residentId, String district, String updatedAt) {
        return pension(recordId, residentId, district, PensionStatus.ACTIVE, updatedAt);
    }

    static DeathRegistration death(String recordId, String residentId, String deathDate) {
        LocalDate date = LocalDate.parse(deathDate);
        return DeathRegistration.newBuilder()
                .setRecordId(recordId)
                .setResidentId(residentId)
                .setName("逝者")
                .setSex(Sex.MALE)
                .setBirthDate(LocalDate.of(1955, 3, 1))
                .setDeathDate(date)
                .setRegionCode(MUDAN + "001001")
                .setCertificateNo("CERT-" + recordId)
                .setCause(null)
                .setInstitutionCreditCode(null)
                .setRegisteredAt(
                        date.plusDays(2).atTime(10, 0).atZone(CityZone.ZONE).toInstant())
                .build();
    }

    static MedicalSettlement settlement(String recordId, String residentId, String settledAt) {
        return settlementAt(recordId, residentId, at(settledAt));
    }

    static MedicalSettlement settlementAt(String recordId, String residentId, Instant settledAt) {
        return MedicalSettlement.newBuilder()
                .setRecordId(recordId)
                .setResidentId(residentId)
                .setName("参保人")
                .setInsuranceType(InsuranceType.EMPLOYEE)
                .setInstitutionCreditCode("12371700MB1234567X")
                .setRegionCode(MUDAN + "001001")
                .setSettledAt(settledAt)
                .setTotalAmount(new BigDecimal("123.40"))
                .setFundPaid(new BigDecimal("100.00"))
                .setSelfPaid(new BigDecimal("23.40"))
                .setDiagnosisCodes(List.of("J06.9"))
                .setInpatient(false)
                .build();
    }

    /** A resident ID for test resident {@code n} (the topology does not check them). */
    static String resident(int n) {
        return String.format("37170219550301%04d", n);
    }
}
