package city.heze.peony.producers.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** JSON Lines rows into records: every Avro type, defaults, unions, logical types, and each kind of bad line. */
class RecordConverterJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RecordConverter converter = RecordConverter.forSchema(Everything.SCHEMA);

    @Test
    void everyAvroTypeConvertsFromJson() throws IOException {
        GenericRecord record = converter.fromJsonLine(Everything.JSON_LINE);

        Everything.assertTheGoodRow(record);
        // And the record is one Avro can write: every value has the representation its type needs.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(Everything.SCHEMA).write(record, encoder);
        encoder.flush();
        assertThat(out.size()).isPositive();
    }

    @Test
    void unionsTakeTheFirstBranchThatFits() {
        assertThat(converter.fromJsonLine(with("either", "5")).get("either")).isEqualTo(5);
        assertThat(converter.fromJsonLine(with("either", "\"5\"")).get("either"))
                .isEqualTo("5");
        assertThat(converter.fromJsonLine(with("either", "null")).get("either")).isNull();
        assertThat(converter.fromJsonLine(with("maybe", "null")).get("maybe")).isNull();
    }

    @Test
    void missingOptionalFieldsTakeTheirDefaultOrNull() {
        GenericRecord record = converter.fromJsonLine(without("maybe", "either", "atMicros", "localAt"));

        assertThat(record.get("maybe")).isNull();
        assertThat(record.get("either")).isNull();
        assertThat(record.get("withDefault")).isEqualTo(7);
    }

    @Test
    void defaultListsAreNotSharedBetweenRows() {
        GenericRecord first = converter.fromJsonLine(Everything.JSON_LINE);
        @SuppressWarnings("unchecked")
        java.util.List<Object> tags = (java.util.List<Object>) first.get("tags");
        tags.add("changed by a caller");

        assertThat((Iterable<?>) converter.fromJsonLine(Everything.JSON_LINE).get("tags"))
                .isEmpty();
    }

    @Test
    void timestampsReadEveryAcceptedForm() {
        long expected = Instant.parse("2024-05-01T00:30:00Z").toEpochMilli();
        for (String form : new String[] {
            "\"2024-05-01T00:30:00Z\"",
            "\"2024-05-01T08:30:00+08:00\"",
            "\"2024-05-01T08:30:00\"",
            "\"2024-05-01 08:30:00\"",
            "\"2024-05-01T08:30\"",
            "" + expected,
            "\"" + expected + "\""
        }) {
            assertThat(converter.fromJsonLine(with("at", form)).get("at"))
                    .as(form)
                    .isEqualTo(expected);
        }
        assertThat(converter.fromJsonLine(with("at", "\"2024-05-01\"")).get("at"))
                .isEqualTo(Instant.parse("2024-04-30T16:00:00Z").toEpochMilli());
        for (String form : new String[] {
            "2024-05-01T08:30:00.123+0800", "2024-05-01T08:30:00.123+08", "2024-04-30T19:30:00.123-05:00",
            "2024-05-01T00:30:00.123z", "2024-05-01 08:30:00.123456789", "2024-05-01T08:30:00.1230"
        }) {
            assertThat(converter.fromJsonLine(with("at", "\"" + form + "\"")).get("at"))
                    .as(form)
                    .isEqualTo(expected + 123);
        }
        // Before 1992 the city kept summer time some years: local times there follow the zone's rules.
        assertThat(converter.fromJsonLine(with("at", "\"1988-07-01T12:00:00\"")).get("at"))
                .isEqualTo(Instant.parse("1988-07-01T03:00:00Z").toEpochMilli());
        assertThat(converter
                        .fromJsonLine(with("localAt", "\"2024-05-01T08:30:00.5\""))
                        .get("localAt"))
                .isEqualTo(
                        java.time.LocalDateTime.parse("2024-05-01T08:30:00.5").toEpochSecond(java.time.ZoneOffset.UTC)
                                        * 1000
                                + 500);
        assertRejected(with("at", "\"2024-02-30T08:30:00Z\""), "at", "expected an ISO-8601 timestamp");
        assertRejected(with("at", "\"2024-05-01T24:00:00Z\""), "at", "expected an ISO-8601 timestamp");
    }

    @Test
    void decimalsKeepEveryDigitAndScaleUp() {
        assertThat(Everything.decimal(converter.fromJsonLine(with("amount", "9999.99")), "amount"))
                .isEqualTo(new BigDecimal("9999.99"));
        assertThat(Everything.decimal(converter.fromJsonLine(with("amount", "-7")), "amount"))
                .isEqualTo(new BigDecimal("-7.00"));
        assertThat(Everything.decimal(converter.fromJsonLine(with("amount", "\"0.10\"")), "amount"))
                .isEqualTo(new BigDecimal("0.10"));
        assertThat(Everything.decimal(converter.fromJsonLine(with("amount", "12.300")), "amount"))
                .as("trailing zeros beyond the scale are no extra places")
                .isEqualTo(new BigDecimal("12.30"));
    }

    @Test
    void unparseableJsonIsABadLine() {
        assertRejected("{\"count\": 1,", null, "not valid JSON");
        assertRejected("{\"count\": 1} trailing", null, "not valid JSON");
        assertRejected("[1, 2]", null, "expected a JSON object of record Everything, found an array");
        assertRejected(
                Everything.JSON_LINE.replace("\"count\":42,", "\"count\":42,\"count\":43,"),
                "count",
                "appears twice in the object");
        assertRejected(with("labels", "{\"a\":\"x\",\"a\":\"y\"}"), "labels['a']", "appears twice");
    }

    @Test
    void aMissingRequiredFieldIsABadLine() {
        assertRejected(without("count"), "count", "missing, and the schema gives it no default; expected an int");
        assertRejected(without("inner"), "inner", "missing");
    }

    @Test
    void aValueOfTheWrongTypeIsABadLine() {
        assertRejected(with("count", "\"42\""), "count", "expected an int");
        assertRejected(with("count", "4.5"), "count", "found number 4.5");
        assertRejected(with("count", "3000000000"), "count", "expected an int");
        assertRejected(with("total", "12345678901234567890"), "total", "expected a long");
        assertRejected(with("name", "12"), "name", "expected a string, found number 12");
        assertRejected(with("flag", "\"yes\""), "flag", "expected a boolean");
        assertRejected(with("flag", "null"), "flag", "found null");
        assertRejected(with("blob", "\"not base64!\""), "blob", "expected bytes as base64 text");
        assertRejected(with("four", "\"AQID\""), "four", "3 bytes, expected exactly 4");
        assertRejected(with("numbers", "[1, \"two\", 3]"), "numbers[1]", "found string \"two\"");
        assertRejected(with("labels", "{\"a\": 1}"), "labels['a']", "expected a string");
        assertRejected(with("inner", "{\"x\": \"one\"}"), "inner.x", "expected an int");
        assertRejected(with("either", "true"), "either", "expected an int (a whole number");
        assertRejected(with("ratio", "1e50"), "ratio", "out of range for a float");
    }

    @Test
    void anUnknownEnumSymbolIsABadLineEvenWithADefault() {
        assertRejected(
                with("colour", "\"BLUE\""),
                "colour",
                "unknown symbol \"BLUE\", expected one of RED, GREEN, UNKNOWN (enum Colour)");
    }

    @Test
    void badDatesTimesAndUuidsAreBadLines() {
        assertRejected(with("day", "\"2023-02-29\""), "day", "expected a date yyyy-MM-dd, found \"2023-02-29\"");
        assertRejected(with("day", "\"29.02.2024\""), "day", "expected a date yyyy-MM-dd");
        assertRejected(with("at", "\"yesterday\""), "at", "expected an ISO-8601 timestamp");
        assertRejected(with("localAt", "\"2024-05-01T08:30:00Z\""), "localAt", "expected a local date-time");
        assertRejected(with("clock", "\"25:00\""), "clock", "expected a time HH:mm:ss");
        assertRejected(with("clock", "86400000"), "clock", "outside the day");
        assertRejected(with("uuid", "\"123e4567\""), "uuid", "expected a UUID");
    }

    @Test
    void aDecimalThatOverflowsOrHasTooManyPlacesIsABadLine() {
        assertRejected(with("amount", "10000"), "amount", "decimal 10000 overflows precision 6");
        assertRejected(with("amount", "1.234"), "amount", "decimal 1.234 has more than 2 decimal places");
        assertRejected(with("amount", "\"12,5\""), "amount", "expected a decimal of at most 4 digits before the point");
        assertRejected(with("fixedAmount", "12345678.9"), "fixedAmount", "overflows precision 10");
    }

    @Test
    void aFieldTheSchemaDoesNotHaveIsABadLine() {
        assertRejected(
                with("colur", "\"RED\""),
                "colur",
                "not a field of city.heze.peony.test.Everything; expected only nothing, flag, count");
    }

    @Test
    void theConverterRefusesASchemaThatIsNoRecord() {
        assertThatThrownBy(() -> RecordConverter.forSchema(Schema.create(Schema.Type.STRING)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a record schema");
    }

    @Test
    void aRecursiveSchemaConverts() {
        Schema node = new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"},"
                        + "{\"name\":\"next\",\"type\":[\"null\",\"Node\"],\"default\":null}]}");
        GenericRecord list =
                RecordConverter.forSchema(node).fromJsonLine("{\"v\":1,\"next\":{\"v\":2,\"next\":{\"v\":3}}}");

        assertThat(((GenericRecord) ((GenericRecord) list.get("next")).get("next")).get("v"))
                .isEqualTo(3);
    }

    private void assertRejected(String line, String field, String reason) {
        assertThatThrownBy(() -> converter.fromJsonLine(line)).isInstanceOfSatisfying(ConversionException.class, e -> {
            assertThat(e.field()).as("field of " + e.getMessage()).isEqualTo(field);
            assertThat(e.reason()).contains(reason);
        });
    }

    /** The good line with one field's JSON value replaced (or added). */
    private static String with(String field, String json) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(Everything.JSON_LINE);
            node.put(field, "@@raw@@");
            // The value goes in as written, so that "12.300" stays 12.300 and not a double.
            return JSON.writeValueAsString(node).replace("\"@@raw@@\"", json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String without(String... fields) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(Everything.JSON_LINE);
            node.remove(java.util.List.of(fields));
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
