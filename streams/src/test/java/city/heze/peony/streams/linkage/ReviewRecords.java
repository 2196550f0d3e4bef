package city.heze.peony.streams.linkage;

import city.heze.peony.avro.common.Sex;
import city.heze.peony.avro.dept.AssistanceType;
import city.heze.peony.avro.dept.BusinessRegistration;
import city.heze.peony.avro.dept.DeathRegistration;
import city.heze.peony.avro.dept.EntityStatus;
import city.heze.peony.avro.dept.EntityType;
import city.heze.peony.avro.dept.PensionRecipient;
import city.heze.peony.avro.dept.PensionStatus;
import city.heze.peony.avro.dept.PensionType;
import city.heze.peony.avro.dept.SocialAssistanceRecipient;
import city.heze.peony.avro.dept.VehicleRegistration;
import city.heze.peony.avro.dept.VehicleType;
import city.heze.peony.identifiers.CreditCodes;
import city.heze.peony.identifiers.ResidentIds;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Records of the seven catalogs the review reads, as their departments write them. */
final class ReviewRecords {
    static final String RECIPIENTS = "mz.social-assistance";
    static final String VEHICLES = "ga.vehicle-registration";
    static final String BUSINESSES = "scjg.business-registration";
    static final String DEREGISTRATIONS = "scjg.business-deregistration";
    static final String EMPLOYMENT = "rs.employment-registration";
    static final String PENSIONS = "rs.pension-recipients";
    static final String DEATHS = "wj.death-registration";

    /** scjg.business-deregistration's schema, inline in ops/catalog/scjg.business-deregistration.yaml. */
    static final String DEREGISTRATION_SCHEMA = """
            {"type": "record", "name": "BusinessDeregistration", "namespace": "city.heze.peony.catalog.scjg",
             "doc": "市场监管局 注销登记.",
             "fields": [
              {"name": "recordId", "type": "string", "doc": "Unique id; the Kafka key."},
              {"name": "creditCode", "type": "string", "doc": "Credit code of the entity."},
              {"name": "entityName", "type": "string", "doc": "Registered name."},
              {"name": "kind", "doc": "Deregistration or revocation.",
               "type": {"type": "enum", "name": "DeregistrationKind",
                        "symbols": ["CANCELLED", "REVOKED", "SIMPLIFIED_CANCELLATION", "UNKNOWN"], "default": "UNKNOWN"}},
              {"name": "effectiveOn", "type": {"type": "int", "logicalType": "date"}, "doc": "Date it takes effect."},
              {"name": "reason", "type": ["null", "string"], "default": null, "doc": "Reason given."},
              {"name": "regionCode", "type": "string", "doc": "Division code of the registered address."}
             ]}
            """;

    /** rs.employment-registration's schema, inline in ops/catalog/rs.employment-registration.yaml. */
    static final String EMPLOYMENT_SCHEMA = """
            {"type": "record", "name": "EmploymentRegistration", "namespace": "city.heze.peony.catalog.rs",
             "doc": "人社局 就业登记.",
             "fields": [
              {"name": "recordId", "type": "string", "doc": "Unique id; the Kafka key."},
              {"name": "residentId", "type": "string", "doc": "Resident ID of the worker."},
              {"name": "name", "type": "string", "doc": "Name."},
              {"name": "employerCreditCode", "type": "string", "doc": "Credit code of the employer."},
              {"name": "employerName", "type": "string", "doc": "Employer's name."},
              {"name": "startDate", "type": {"type": "int", "logicalType": "date"}, "doc": "First day of employment."},
              {"name": "endDate", "type": ["null", {"type": "int", "logicalType": "date"}], "default": null, "doc": "Last day, if the employment ended."},
              {"name": "regionCode", "type": "string", "doc": "Division code of the workplace."},
              {"name": "phone", "type": ["null", "string"], "default": null, "doc": "Mobile number."}
             ]}
            """;

    private static final Schema DEREGISTRATION = new Schema.Parser().parse(DEREGISTRATION_SCHEMA);
    private static final Schema EMPLOYMENT_REGISTRATION = new Schema.Parser().parse(EMPLOYMENT_SCHEMA);

    /** Each catalog's schema, as registered under {@code raw.<catalog>-value}. */
    static final Map<String, String> SCHEMAS = Map.of(
            RECIPIENTS, SocialAssistanceRecipient.getClassSchema().toString(),
            VEHICLES, VehicleRegistration.getClassSchema().toString(),
            BUSINESSES, BusinessRegistration.getClassSchema().toString(),
            DEREGISTRATIONS, DEREGISTRATION_SCHEMA,
            EMPLOYMENT, EMPLOYMENT_SCHEMA,
            PENSIONS, PensionRecipient.getClassSchema().toString(),
            DEATHS, DeathRegistration.getClassSchema().toString());

    static final Instant UPDATED = Instant.parse("2025-06-01T00:00:00Z");

    /** One record for a shared topic; {@code value} null is a tombstone. */
    record Input(String catalogId, String key, GenericContainer value, Instant timestamp) {}

    private ReviewRecords() {}

    /** The resident ID of person {@code n} (0..999). */
    static String resident(int n) {
        return ResidentIds.generate("371702", LocalDate.of(1950, 1, 1).plusDays(37L * n), n % 1000);
    }

    static String creditCode(int n) {
        return CreditCodes.generate('9', '1', "371702", String.format("MA3C%04d", n % 10_000));
    }

    static SocialAssistanceRecipient recipient(String key, String residentId) {
        return SocialAssistanceRecipient.newBuilder()
                .setRecordId(key)
                .setResidentId(residentId)
                .setName("张秀英")
                .setSex(Sex.FEMALE)
                .setBirthDate(LocalDate.of(1960, 1, 1))
                .setRegionCode("371702")
                .setAssistanceType(AssistanceType.MINIMUM_LIVING)
                .setMonthlyAmountFen(68_000L)
                .setHouseholdSize(3)
                .setApprovedOn(LocalDate.of(2024, 3, 15))
                .setPhone(null)
                .setUpdatedAt(UPDATED)
                .build();
    }

    static VehicleRegistration vehicle(String key, String ownerResidentId) {
        return VehicleRegistration.newBuilder()
                .setRecordId(key)
                .setPlateNumber("鲁R" + Math.abs(key.hashCode() % 100_000))
                .setVin("LSVAU2180N2" + String.format("%06d", Math.abs(key.hashCode() % 1_000_000)))
                .setVehicleType(VehicleType.SMALL_CAR)
                .setOwnerResidentId(ownerResidentId)
                .setOwnerName("王建军")
                .setRegionCode("371702")
                .setRegisteredOn(LocalDate.of(2023, 8, 9))
                .setNewEnergy(false)
                .setEngineDisplacementLitres(1.5f)
                .setUpdatedAt(UPDATED)
                .build();
    }

    static BusinessRegistration business(
            String key, String creditCode, String representativeId, EntityStatus status, Instant updatedAt) {
        return BusinessRegistration.newBuilder()
                .setRecordId(key)
                .setCreditCode(creditCode)
                .setEntityName("菏泽市牡丹区花乡农产品贸易有限公司")
                .setEntityType(EntityType.INDIVIDUAL_BUSINESS)
                .setLegalRepresentative("李建国")
                .setLegalRepresentativeId(representativeId)
                .setRegionCode("371702")
                .setRegisteredCapital(new BigDecimal("5.00"))
                .setEstablishedOn(LocalDate.of(2016, 4, 18))
                .setBusinessScope("牡丹种苗销售")
                .setStatus(status)
                .setPhone(null)
                .setUpdatedAt(updatedAt)
                .build();
    }

    static GenericRecord deregistration(String key, String creditCode) {
        GenericRecord r = new GenericData.Record(DEREGISTRATION);
        r.put("recordId", key);
        r.put("creditCode", creditCode);
        r.put("entityName", "菏泽市牡丹区花乡农产品贸易有限公司");
        r.put("kind", new GenericData.EnumSymbol(DEREGISTRATION.getField("kind").schema(), "CANCELLED"));
        r.put("effectiveOn", (int) LocalDate.of(2025, 5, 20).toEpochDay());
        r.put("reason", null);
        r.put("regionCode", "371702");
        return r;
    }

    /** An employment; {@code endDate} null while it lasts. */
    static GenericRecord employment(String key, String residentId, LocalDate endDate) {
        GenericRecord r = new GenericData.Record(EMPLOYMENT_REGISTRATION);
        r.put("recordId", key);
        r.put("residentId", residentId);
        r.put("name", "王建军");
        r.put("employerCreditCode", creditCode(7));
        r.put("employerName", "菏泽市牡丹区花乡农产品贸易有限公司");
        r.put("startDate", (int) LocalDate.of(2025, 2, 1).toEpochDay());
        r.put("endDate", endDate == null ? null : (int) endDate.toEpochDay());
        r.put("regionCode", "371702");
        r.put("phone", null);
        return r;
    }

    static PensionRecipient pension(String key, String residentId, long fen, PensionStatus status) {
        return PensionRecipient.newBuilder()
                .setRecordId(key)
                .setResidentId(residentId)
                .setName("王桂兰")
                .setSex(Sex.FEMALE)
                .setBirthDate(LocalDate.of(1955, 3, 3))
                .setRegionCode("371702")
                .setPensionType(PensionType.URBAN_RURAL_RESIDENT)
                .setMonthlyPensionFen(fen)
                .setStartDate(LocalDate.of(2015, 4, 1))
                .setStatus(status)
                .setEmployerCreditCode(null)
                .setUpdatedAt(UPDATED)
                .build();
    }

    static DeathRegistration death(String key, String residentId) {
        return DeathRegistration.newBuilder()
                .setRecordId(key)
                .setResidentId(residentId)
                .setName("王桂兰")
                .setSex(Sex.FEMALE)
                .setBirthDate(LocalDate.of(1955, 3, 3))
                .setDeathDate(LocalDate.of(2025, 5, 30))
                .setRegionCode("371702")
                .setCertificateNo("D371702" + key)
                .setCause(null)
                .setInstitutionCreditCode(null)
                .setRegisteredAt(UPDATED)
                .build();
    }
}
