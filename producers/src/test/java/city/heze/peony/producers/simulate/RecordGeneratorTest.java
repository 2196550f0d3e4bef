package city.heze.peony.producers.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.identifiers.CivilDates;
import city.heze.peony.identifiers.CreditCodes;
import city.heze.peony.identifiers.HezeRegions;
import city.heze.peony.identifiers.ResidentIds;
import city.heze.peony.producers.TestCatalogs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * The record generator: repeatable from a seed, valid identifiers by construction, and each defect
 * where its rule will catch it. (That every catalog under {@code ops/catalog/} passes its compiled
 * rules is tested in {@code ops}, where the rule library is.)
 */
class RecordGeneratorTest {
    private static final long NOW = Instant.parse("2025-06-02T01:00:00Z").toEpochMilli();
    private static final long TODAY = CivilDates.epochDayInCity(NOW);

    @Test
    void theSameSeedGivesByteIdenticalRecords() throws IOException {
        CatalogEntry catalog = TestCatalogs.socialAssistance();

        List<byte[]> first = encoded(RecordGenerator.forCatalog(catalog), 7, 300);
        List<byte[]> second = encoded(RecordGenerator.forCatalog(catalog), 7, 300);
        List<byte[]> other = encoded(RecordGenerator.forCatalog(catalog), 8, 300);

        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i)).as("record " + i).isEqualTo(first.get(i));
        }
        assertThat(other.get(0)).isNotEqualTo(first.get(0));
    }

    @Test
    void residentIdsAreValidHezeIdsThatAgreeWithBirthDateAndSex() {
        RecordGenerator generator = RecordGenerator.forCatalog(TestCatalogs.socialAssistance());
        Random random = new Random(1);
        for (int i = 0; i < 1000; i++) {
            GenericRecord r = generator.nextRecord(random, NOW);
            String id = r.get("residentId").toString();
            assertThat(ResidentIds.isValid(id)).as(id).isTrue();
            assertThat(HezeRegions.isIdCardCode(id.substring(0, 6))).as(id).isTrue();
            assertThat(ResidentIds.birthEpochDay(id)).isEqualTo(((Integer) r.get("birthDate")).longValue());
            assertThat(ResidentIds.sex(id).name()).isEqualTo(r.get("sex").toString());
            assertThat(ResidentIds.birthEpochDay(id)).isLessThanOrEqualTo(TODAY);
            assertThat(HezeRegions.find(r.get("regionCode").toString())).isPresent();
            assertThat((Integer) r.get("householdSize")).isBetween(1, 30);
            assertThat((Integer) r.get("approvedOn"))
                    .isBetween((int) java.time.LocalDate.of(2000, 1, 1).toEpochDay(), (int) TODAY);
            assertThat(r.get("name").toString()).matches("\\p{IsHan}{2,3}");
            Object phone = r.get("phone");
            if (phone != null) {
                assertThat(phone.toString()).matches("1[3-9]\\d{9}");
            }
            assertThat(r.get("recordId").toString()).matches("11371700MZ0001-[0-9a-f]{12}");
        }
    }

    @Test
    void creditCodesAreValidAndRegexFieldsMatch() {
        RecordGenerator business = RecordGenerator.forCatalog(TestCatalogs.businessRegistration());
        RecordGenerator marriage = RecordGenerator.forCatalog(TestCatalogs.marriageRegistration());
        Pattern certificate = Pattern.compile("[JL]\\d{6}-\\d{4}-\\d{6}");
        Random random = new Random(2);
        for (int i = 0; i < 500; i++) {
            String code = business.nextRecord(random, NOW).get("creditCode").toString();
            assertThat(CreditCodes.isValid(code)).as(code).isTrue();
            GenericRecord m = marriage.nextRecord(random, NOW);
            assertThat(certificate.matcher(m.get("certificateNo").toString()).matches())
                    .isTrue();
            assertThat(ResidentIds.isValid(m.get("partyTwoResidentId").toString()))
                    .isTrue();
        }
    }

    @Test
    void eachDefectSpoilsTheFieldItsRuleChecks() {
        RecordGenerator social = RecordGenerator.forCatalog(TestCatalogs.socialAssistance());
        RecordGenerator business = RecordGenerator.forCatalog(TestCatalogs.businessRegistration());
        Random random = new Random(3);

        assertThat(social.defectKinds())
                .containsExactly(
                        DefectKind.BAD_RESIDENT_ID,
                        DefectKind.MISSING_REQUIRED,
                        DefectKind.FUTURE_DATE,
                        DefectKind.REGION_OUTSIDE_HEZE);
        assertThat(business.defectKinds())
                .contains(DefectKind.BAD_CREDIT_CODE)
                .doesNotContain(DefectKind.MISSING_REQUIRED);
        for (int i = 0; i < 200; i++) {
            GeneratedRecord badId = social.next(random, NOW, DefectKind.BAD_RESIDENT_ID);
            assertThat(badId.defectField()).isEqualTo("residentId");
            String id = badId.record().get("residentId").toString();
            assertThat(id).hasSize(18);
            assertThat(ResidentIds.isValid(id)).as(id).isFalse();

            GeneratedRecord missing = social.next(random, NOW, DefectKind.MISSING_REQUIRED);
            assertThat(missing.record().get("name")).isEqualTo("");

            GeneratedRecord future = social.next(random, NOW, DefectKind.FUTURE_DATE);
            assertThat((Integer) future.record().get(future.defectField())).isGreaterThan((int) TODAY + 365 * 40);

            GeneratedRecord outside = social.next(random, NOW, DefectKind.REGION_OUTSIDE_HEZE);
            assertThat(HezeRegions.find(outside.record().get("regionCode").toString()))
                    .isEmpty();

            String code = business.next(random, NOW, DefectKind.BAD_CREDIT_CODE)
                    .record()
                    .get("creditCode")
                    .toString();
            assertThat(code.charAt(16)).as(code).isNotEqualTo(CreditCodes.organisationCheckCharacter(code));
        }
        assertThatThrownBy(() -> business.next(random, NOW, DefectKind.MISSING_REQUIRED))
                .hasMessageContaining("has no blocking REQUIRED rule");
    }

    private static List<byte[]> encoded(RecordGenerator generator, long seed, int n) throws IOException {
        Random random = new Random(seed);
        GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(generator.schema());
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DefectKind defect = i % 10 == 0
                    ? generator.defectKinds().get(i % generator.defectKinds().size())
                    : null;
            GenericRecord record = generator.next(random, NOW + i * 10L, defect).record();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            writer.write(record, encoder);
            encoder.flush();
            out.add(bytes.toByteArray());
        }
        return out;
    }
}
