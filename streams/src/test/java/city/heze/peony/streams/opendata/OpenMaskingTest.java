package city.heze.peony.streams.opendata;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class OpenMaskingTest {
    @Test
    void masksKeepingTheDeclaredEnds() {
        assertThat(OpenMasking.maskText("张三丰", 1, 0)).isEqualTo("张**");
        assertThat(OpenMasking.maskText("13812345678", 3, 4)).isEqualTo("138****5678");
        assertThat(OpenMasking.maskText("37170219800101123X", 6, 0)).isEqualTo("371702************");
        // No longer than what would be kept: masked entirely, so a short value never shows whole.
        assertThat(OpenMasking.maskText("张三", 1, 1)).isEqualTo("**");
        assertThat(OpenMasking.maskText("𠀀𠀁𠀂", 1, 0)).isEqualTo("𠀀**");
        assertThat(OpenMasking.maskText("", 1, 0)).isEmpty();
    }

    @Test
    void reducesDatesAndAddressesAndRoundsAmounts() {
        Schema date = OpenFixtures.SCHEMA.getField("birthDate").schema();
        Schema timestamp = OpenFixtures.SCHEMA.getField("updatedAt").schema();
        Schema text = Schema.create(Schema.Type.STRING);
        assertThat(OpenMasking.datePrefix(
                        (int) java.time.LocalDate.of(1980, 5, 17).toEpochDay(), date, true))
                .isEqualTo("1980-05");
        // 2025-06-30T16:30Z is already July 1st in Heze.
        assertThat(OpenMasking.datePrefix(
                        java.time.Instant.parse("2025-06-30T16:30:00Z").toEpochMilli(), timestamp, true))
                .isEqualTo("2025-07");
        assertThat(OpenMasking.datePrefix("2024-11-03", text, false)).isEqualTo("2024");
        assertThat(OpenMasking.datePrefix("20241103", text, true)).isEqualTo("2024-11");
        assertThat(OpenMasking.datePrefix("2024年11月3日", text, true)).isEqualTo("2024-11");
        assertThat(OpenMasking.datePrefix("unknown", text, true)).isNull();
        assertThat(OpenMasking.datePrefix("2024-13-01", text, true)).isNull();
        assertThat(OpenMasking.district("371702")).isEqualTo("牡丹区");
        assertThat(OpenMasking.district("371728")).isEqualTo("东明县");
        assertThat(OpenMasking.district("110101")).isNull();
        Schema amount = OpenFixtures.SCHEMA.getField("amount").schema();
        assertThat(OpenMasking.round(12_345, Schema.create(Schema.Type.INT), new BigDecimal("1000")))
                .isEqualTo(12_000);
        assertThat(OpenMasking.round(-5L, Schema.create(Schema.Type.LONG), new BigDecimal("10")))
                .isEqualTo(-10L);
        assertThat(OpenMasking.round(new BigDecimal("12345.67"), amount, new BigDecimal("0.5")))
                .isEqualTo(new BigDecimal("12345.50"));
    }

    @Test
    void maskingIsDeterministic() {
        OpenMasking masking = OpenMasking.compile(
                OpenFixtures.SCHEMA,
                OpenSchemas.derive(OpenFixtures.SCHEMA, OpenFixtures.openFields()),
                OpenFixtures.openFields());
        OpenMasking again = OpenMasking.compile(
                OpenFixtures.SCHEMA,
                OpenSchemas.derive(OpenFixtures.SCHEMA, OpenFixtures.openFields()),
                OpenFixtures.openFields());
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            GenericRecord record = OpenFixtures.record(random.nextInt(1_000_000));
            record.put("personName", "王" + (char) ('一' + random.nextInt(500)) + (char) ('一' + random.nextInt(500)));
            record.put("phone", OpenFixtures.mobile(random));
            GenericRecord first = masking.mask(record);
            GenericRecord second = again.mask(GenericData.get().deepCopy(record.getSchema(), record));
            assertThat(second).as("iteration %d", i).isEqualTo(first);
            assertThat(first.get("personName").toString()).startsWith("王").endsWith("**");
            assertThat(first.get("phone").toString()).matches("1[3-9][0-9]\\*{4}[0-9]{4}");
        }
    }
}
