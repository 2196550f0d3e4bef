package city.heze.peony.producers.convert;

import city.heze.peony.identifiers.CivilDates;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Builds the {@link ValueReader} of any Avro schema: every primitive and complex type, unions, and
 * the logical types {@code date}, {@code time-millis}/{@code -micros}, {@code timestamp-*} and
 * {@code local-timestamp-*}, {@code decimal} (bytes and fixed) and {@code uuid} (string and fixed).
 *
 * <p>What each type accepts, in JSON and in a CSV cell:
 *
 * <ul>
 *   <li>int, long: a whole JSON number; in CSV the digits. float, double: any number, or the text
 *       NaN, Infinity, -Infinity.
 *   <li>string: a JSON string (a number is the wrong type); the CSV cell as is, never trimmed.
 *   <li>bytes, fixed: base64 text (fixed: exactly its size).
 *   <li>enum: one of its symbols, exactly. An unknown symbol is a bad line even if the enum has a
 *       default: the default is for readers of an older schema, not a licence to turn a typo into
 *       UNKNOWN.
 *   <li>array, map, record: JSON; in CSV the cell holds the JSON text.
 *   <li>union: JSON null is the null branch; any other value goes to the first branch that takes it.
 *   <li>date: {@code yyyy-MM-dd} (or {@code yyyyMMdd}), or a JSON number of days since 1970-01-01.
 *   <li>timestamp: an ISO-8601 instant with {@code Z} or an offset, a local date-time ({@code T} or
 *       a space between date and time) taken in Asia/Shanghai, a date (its start in Asia/Shanghai),
 *       or a whole number in the type's unit since the epoch.
 *   <li>time: {@code HH:mm[:ss[.fraction]]}, or a whole number in the type's unit since midnight.
 *   <li>decimal: a decimal number as text or JSON number, with at most the schema's scale of
 *       decimal places and its precision of digits.
 *   <li>uuid: the 36-character form {@code 8-4-4-4-12} of hexadecimal digits.
 * </ul>
 */
final class ValueReaders {

    private ValueReaders() {}

    /** The reader of {@code schema}; records met again inside themselves share one reader. */
    static ValueReader of(Schema schema) {
        return new ValueReaders.Builder().reader(schema);
    }

    /** Builds readers, remembering records by name so that a recursive schema ends. */
    static final class Builder {
        private final Map<String, RecordReader> records = new HashMap<>();

        ValueReader reader(Schema schema) {
            ValueReader logical = logical(schema, schema.getLogicalType());
            if (logical != null) {
                return logical;
            }
            return switch (schema.getType()) {
                case NULL -> new NullReader();
                case BOOLEAN -> new BooleanReader();
                case INT -> new IntReader();
                case LONG -> new LongReader();
                case FLOAT -> new FloatReader();
                case DOUBLE -> new DoubleReader();
                case STRING -> new StringReader();
                case BYTES -> new BytesReader();
                case FIXED -> new FixedReader(schema);
                case ENUM -> new EnumReader(schema);
                case ARRAY -> new ArrayReader(schema, reader(schema.getElementType()));
                case MAP -> new MapReader(reader(schema.getValueType()));
                case UNION -> union(schema);
                case RECORD -> record(schema);
            };
        }

        RecordReader record(Schema schema) {
            RecordReader known = records.get(schema.getFullName());
            if (known != null) {
                return known;
            }
            RecordReader reader = new RecordReader(schema);
            records.put(schema.getFullName(), reader);
            ValueReader[] fields = new ValueReader[schema.getFields().size()];
            for (Schema.Field field : schema.getFields()) {
                fields[field.pos()] = reader(field.schema());
            }
            reader.init(fields);
            return reader;
        }

        private ValueReader union(Schema schema) {
            boolean nullable = false;
            List<ValueReader> branches = new ArrayList<>();
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() == Schema.Type.NULL) {
                    nullable = true;
                } else {
                    branches.add(reader(branch));
                }
            }
            return new UnionReader(nullable, branches.toArray(ValueReader[]::new));
        }

        private ValueReader logical(Schema schema, LogicalType logical) {
            if (logical == null) {
                return null;
            }
            Schema.Type type = schema.getType();
            switch (logical.getName()) {
                case "date":
                    return type == Schema.Type.INT ? new DateReader() : null;
                case "time-millis":
                    return type == Schema.Type.INT ? new TimeReader(1_000_000L, false) : null;
                case "time-micros":
                    return type == Schema.Type.LONG ? new TimeReader(1_000L, true) : null;
                case "timestamp-millis":
                case "timestamp-micros":
                case "timestamp-nanos":
                case "local-timestamp-millis":
                case "local-timestamp-micros":
                case "local-timestamp-nanos":
                    return type == Schema.Type.LONG ? new TimestampReader(logical.getName()) : null;
                case "decimal":
                    return type == Schema.Type.BYTES || type == Schema.Type.FIXED
                            ? new DecimalReader(schema, (LogicalTypes.Decimal) logical)
                            : null;
                case "uuid":
                    if (type == Schema.Type.STRING) {
                        return new UuidReader(null);
                    }
                    return type == Schema.Type.FIXED && schema.getFixedSize() == 16 ? new UuidReader(schema) : null;
                default:
                    return null; // a logical type Peony does not know: its underlying type still reads
            }
        }
    }

    static final class NullReader extends ValueReader {
        @Override
        Object fromJson(JsonNode node) {
            if (node.isNull()) {
                return null;
            }
            throw wrong(node);
        }

        @Override
        Object fromText(String text) {
            if (text.isEmpty()) {
                return null;
            }
            throw wrong(text);
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return null;
            }
            throw wrong(p);
        }

        @Override
        String expected() {
            return "null";
        }

        @Override
        boolean nullable() {
            return true;
        }
    }

    static final class BooleanReader extends ValueReader {
        @Override
        Object fromJson(JsonNode node) {
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            throw wrong(node);
        }

        @Override
        Object fromText(String text) {
            String t = text.trim();
            if (t.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (t.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
            throw wrong(text);
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_TRUE) {
                return Boolean.TRUE;
            }
            if (t == JsonToken.VALUE_FALSE) {
                return Boolean.FALSE;
            }
            throw wrong(p);
        }

        @Override
        String expected() {
            return "a boolean (true or false)";
        }
    }

    static final class IntReader extends ValueReader {
        @Override
        Object fromJson(JsonNode node) {
            if (node.isIntegralNumber() && node.canConvertToInt()) {
                return node.intValue();
            }
            throw wrong(node);
        }

        @Override
        Object fromText(String text) {
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw wrong(text);
            }
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                return p.getIntValue();
            }
            throw wrong(p);
        }

        @Override
        String expected() {
            return "an int (a whole number from -2147483648 to 2147483647)";
        }
    }

    static final class LongReader extends ValueReader {
        @Override
        Object fromJson(JsonNode node) {
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return node.longValue();
            }
            throw wrong(node);
        }

        @Override
        Object fromText(String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw wrong(text);
            }
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                JsonParser.NumberType type = p.getNumberType();
                if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                    return p.getLongValue();
                }
            }
            throw wrong(p);
        }

        @Override
        String expected() {
            return "a long (a whole number of at most 19 digits)";
        }
    }

    /** NaN and the infinities have no JSON number, so they are accepted as text. */
    private static double nonFinite(String text) {
        return switch (text.trim()) {
            case "NaN" -> Double.NaN;
            case "Infinity", "+Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> 0.0;
        };
    }

    private static double parseNumber(String text) {
        String t = text.trim();
        // Java would also take "1.5d", "0x1p3" and "Infinity" spelt other ways: accept plain decimals only.
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                double special = nonFinite(t);
                if (special != 0.0) {
                    return special;
                }
                throw new NumberFormatException(t);
            }
        }
        if (t.isEmpty()) {
            throw new NumberFormatException(t);
        }
        return Double.parseDouble(t);
    }

    static final class FloatReader extends ValueReader {
        @Override
        Object fromJson(JsonNode node) {
            if (node.isNumber()) {
                return inRange(node.floatValue(), node.asText());
            }
            if (node.isTextual() && nonFinite(node.textValue()) != 0.0) {
                return (float) nonFinite(node.textValue());
            }
            throw wrong(node);
        }

        @Override
        Object fromText(String text) {
            try {
                double value = parseNumber(text);
                return inRange((float) value, text);
            } catch (NumberFormatException e) {
                throw wrong(text);
            }
        }

        private Float inRange(float value, String text) {
            if (Float.isInfinite(value) && nonFinite(text) == 0.0) {
                throw ConversionException.of("number " + Found.cut(text.trim()) + " is out of range for a float");
            }
            return value;
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                return inRange(p.getFloatValue(), p.getText());
            }
            return fromJson(tree(p));
        }

        @Override
        String expected() {
            return "a float (a number)";
        }
    }

    static final class DoubleReader extends ValueReader {
        @Override
        Object fromJson(JsonNode node) {
            if (node.isNumber()) {
                return inRange(node.doubleValue(), node.asText());
            }
            if (node.isTextual() && nonFinite(node.textValue()) != 0.0) {
                return nonFinite(node.textValue());
            }
            throw wrong(node);
        }

        @Override
        Object fromText(String text) {
            try {
                return inRange(parseNumber(text), text);
            } catch (NumberFormatException e) {
                throw wrong(text);
            }
        }

        private Double inRange(double value, String text) {
            if (Double.isInfinite(value) && nonFinite(text) == 0.0) {
                throw ConversionException.of("number " + Found.cut(text.trim()) + " is out of range for a double");
            }
            return value;
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                return inRange(p.getDoubleValue(), p.getText());
            }
            return fromJson(tree(p));
        }

        @Override
        String expected() {
            return "a double (a number)";
        }
    }

    static final class StringReader extends ValueReader {
        @Override
        Object fromJson(JsonNode node) {
            if (node.isTextual()) {
                return node.textValue();
            }
            throw wrong(node);
        }

        @Override
        Object fromText(String text) {
            return text;
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            throw wrong(p);
        }

        @Override
        String expected() {
            return "a string";
        }
    }

    private static byte[] base64(String text, ValueReader reader) {
        try {
            return Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw reader.wrong(text);
        }
    }

    static final class BytesReader extends ValueReader {
        @Override
        Object fromJson(JsonNode node) {
            if (node.isTextual()) {
                return fromText(node.textValue());
            }
            throw wrong(node);
        }

        @Override
        Object fromText(String text) {
            return ByteBuffer.wrap(base64(text, this));
        }

        @Override
        String expected() {
            return "bytes as base64 text";
        }
    }

    static final class FixedReader extends ValueReader {
        private final Schema schema;

        FixedReader(Schema schema) {
            this.schema = schema;
        }

        @Override
        Object fromJson(JsonNode node) {
            if (node.isTextual()) {
                return fromText(node.textValue());
            }
            throw wrong(node);
        }

        @Override
        Object fromText(String text) {
            byte[] bytes = base64(text, this);
            if (bytes.length != schema.getFixedSize()) {
                throw ConversionException.of(
                        bytes.length + " bytes, expected exactly " + schema.getFixedSize() + " (" + expected() + ")");
            }
            return new GenericData.Fixed(schema, bytes);
        }

        @Override
        String expected() {
            return schema.getFixedSize() + " bytes as base64 text (fixed " + schema.getFullName() + ")";
        }
    }

    static final class EnumReader extends ValueReader {
        private final Map<String, GenericData.EnumSymbol> symbols = new HashMap<>();
        private final String expected;

        EnumReader(Schema schema) {
            for (String symbol : schema.getEnumSymbols()) {
                // Immutable, so one instance per symbol serves every row.
                symbols.put(symbol, new GenericData.EnumSymbol(schema, symbol));
            }
            List<String> names = schema.getEnumSymbols();
            String listed = names.size() <= 12
                    ? String.join(", ", names)
                    : String.join(", ", names.subList(0, 12)) + ", … (" + names.size() + " symbols)";
            this.expected = "one of " + listed + " (enum " + schema.getName() + ")";
        }

        @Override
        Object fromJson(JsonNode node) {
            if (node.isTextual()) {
                GenericData.EnumSymbol symbol = symbols.get(node.textValue());
                if (symbol != null) {
                    return symbol;
                }
                throw unknown(node.textValue());
            }
            throw wrong(node);
        }

        @Override
        Object fromText(String text) {
            GenericData.EnumSymbol symbol = symbols.get(text.trim());
            if (symbol != null) {
                return symbol;
            }
            throw text.isBlank() ? wrong(text) : unknown(text);
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                GenericData.EnumSymbol symbol = symbols.get(p.getText());
                if (symbol != null) {
                    return symbol;
                }
                throw unknown(p.getText());
            }
            throw wrong(p);
        }

        private ConversionException unknown(String symbol) {
            return ConversionException.of("unknown symbol " + Found.text(symbol) + ", expected " + expected);
        }

        @Override
        String expected() {
            return expected;
        }
    }

    static final class ArrayReader extends ValueReader {
        private final Schema schema;
        private final ValueReader items;

        ArrayReader(Schema schema, ValueReader items) {
            this.schema = schema;
            this.items = items;
        }

        @Override
        Object fromJson(JsonNode node) {
            if (!node.isArray()) {
                throw wrong(node);
            }
            GenericData.Array<Object> array = new GenericData.Array<>(node.size(), schema);
            for (int i = 0; i < node.size(); i++) {
                try {
                    array.add(items.fromJson(node.get(i)));
                } catch (ConversionException e) {
                    throw e.inside("[" + i + "]");
                }
            }
            return array;
        }

        @Override
        Object fromText(String text) {
            return fromJson(JsonText.parse(text, this));
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw wrong(p);
            }
            GenericData.Array<Object> array = new GenericData.Array<>(4, schema);
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                try {
                    array.add(items.fromParser(p));
                } catch (ConversionException e) {
                    throw e.inside("[" + i + "]");
                }
                i++;
            }
            return array;
        }

        @Override
        String expected() {
            return "a JSON array of " + items.expected();
        }
    }

    static final class MapReader extends ValueReader {
        private final ValueReader values;

        MapReader(ValueReader values) {
            this.values = values;
        }

        @Override
        Object fromJson(JsonNode node) {
            if (!node.isObject()) {
                throw wrong(node);
            }
            Map<String, Object> map = new LinkedHashMap<>(Math.max(4, node.size() * 2));
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                try {
                    map.put(entry.getKey(), values.fromJson(entry.getValue()));
                } catch (ConversionException e) {
                    throw e.inside("['" + entry.getKey() + "']");
                }
            }
            return map;
        }

        @Override
        Object fromText(String text) {
            return fromJson(JsonText.parse(text, this));
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw wrong(p);
            }
            Map<String, Object> map = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (map.containsKey(key)) {
                    throw ConversionException.of("key '" + key + "' appears twice; expected each key once")
                            .inside("['" + key + "']");
                }
                try {
                    map.put(key, values.fromParser(p));
                } catch (ConversionException e) {
                    throw e.inside("['" + key + "']");
                }
            }
            return map;
        }

        @Override
        String expected() {
            return "a JSON object of " + values.expected();
        }
    }

    static final class UnionReader extends ValueReader {
        private final boolean nullable;
        private final ValueReader[] branches;
        private final String expected;

        UnionReader(boolean nullable, ValueReader[] branches) {
            this.nullable = nullable;
            this.branches = branches;
            String joined =
                    java.util.Arrays.stream(branches).map(ValueReader::expected).collect(Collectors.joining(" or "));
            this.expected = nullable ? (branches.length == 0 ? "null" : joined + " or null") : joined;
        }

        @Override
        Object fromJson(JsonNode node) {
            if (node.isNull()) {
                if (nullable) {
                    return null;
                }
                throw wrong(node);
            }
            if (branches.length == 1) {
                return branches[0].fromJson(node);
            }
            for (ValueReader branch : branches) {
                try {
                    return branch.fromJson(node);
                } catch (ConversionException e) {
                    // the next branch may take it
                }
            }
            throw wrong(node);
        }

        @Override
        Object fromText(String text) {
            if (branches.length == 1) {
                return branches[0].fromText(text);
            }
            for (ValueReader branch : branches) {
                try {
                    return branch.fromText(text);
                } catch (ConversionException e) {
                    // the next branch may take it
                }
            }
            throw wrong(text);
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                if (nullable) {
                    return null;
                }
                throw wrong(p);
            }
            if (branches.length == 1) {
                return branches[0].fromParser(p);
            }
            return fromJson(tree(p)); // branches are tried on a tree, which can be read again
        }

        @Override
        String expected() {
            return expected;
        }

        @Override
        boolean nullable() {
            return nullable;
        }
    }

    static final class DateReader extends ValueReader {
        @Override
        Object fromJson(JsonNode node) {
            if (node.isTextual()) {
                return fromText(node.textValue());
            }
            if (node.isIntegralNumber() && node.canConvertToInt()) {
                return node.intValue();
            }
            throw wrong(node);
        }

        @Override
        Object fromText(String text) {
            long day = CivilDates.parseIsoDate(text.trim());
            if (day == CivilDates.NOT_A_DATE) {
                throw wrong(text);
            }
            return (int) day;
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING) {
                return fromText(p.getText());
            }
            if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                return p.getIntValue();
            }
            throw wrong(p);
        }

        @Override
        String expected() {
            return "a date yyyy-MM-dd";
        }
    }

    /** {@code time-millis} (an int) and {@code time-micros} (a long) since midnight. */
    static final class TimeReader extends ValueReader {
        private final long nanosPerUnit;
        private final boolean isLong;

        TimeReader(long nanosPerUnit, boolean isLong) {
            this.nanosPerUnit = nanosPerUnit;
            this.isLong = isLong;
        }

        @Override
        Object fromJson(JsonNode node) {
            if (node.isTextual()) {
                return fromText(node.textValue());
            }
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return ofUnits(node.longValue(), node.asText());
            }
            throw wrong(node);
        }

        @Override
        Object fromText(String text) {
            String t = text.trim();
            if (!t.isEmpty() && t.chars().allMatch(Character::isDigit) && t.length() <= 12) {
                return ofUnits(Long.parseLong(t), t);
            }
            try {
                long nanos =
                        LocalTime.parse(t, DateTimeFormatter.ISO_LOCAL_TIME).toNanoOfDay();
                return ofUnits(nanos / nanosPerUnit, t);
            } catch (DateTimeException e) {
                throw wrong(text);
            }
        }

        private Object ofUnits(long units, String shown) {
            long perDay = 86_400_000_000_000L / nanosPerUnit;
            if (units < 0 || units >= perDay) {
                throw ConversionException.of(
                        Found.text(shown) + " is outside the day, expected 0 to " + (perDay - 1) + " or " + "HH:mm:ss");
            }
            return isLong ? (Object) units : (Object) (int) units;
        }

        @Override
        String expected() {
            return "a time HH:mm:ss" + (isLong ? ".ffffff" : ".SSS") + " or a whole number of "
                    + (isLong ? "microseconds" : "milliseconds") + " since midnight";
        }
    }

    /**
     * The timestamp types. An instant without an offset is read in the city's zone, Asia/Shanghai:
     * that is how department systems write their local times.
     */
    static final class TimestampReader extends ValueReader {
        private final boolean local;
        private final long unitsPerSecond;
        private final String unit;

        TimestampReader(String logicalName) {
            this.local = logicalName.startsWith("local-");
            if (logicalName.endsWith("millis")) {
                unitsPerSecond = 1_000L;
                unit = "milliseconds";
            } else if (logicalName.endsWith("micros")) {
                unitsPerSecond = 1_000_000L;
                unit = "microseconds";
            } else {
                unitsPerSecond = 1_000_000_000L;
                unit = "nanoseconds";
            }
        }

        @Override
        Object fromJson(JsonNode node) {
            if (node.isTextual()) {
                return fromText(node.textValue());
            }
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return node.longValue();
            }
            throw wrong(node);
        }

        @Override
        Object fromText(String text) {
            String t = text.trim();
            if (isWholeNumber(t)) {
                try {
                    return Long.parseLong(t);
                } catch (NumberFormatException e) {
                    throw wrong(text);
                }
            }
            try {
                return parse(t);
            } catch (DateTimeException | ArithmeticException e) {
                throw wrong(text);
            }
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING) {
                return fromText(p.getText());
            }
            if (t == JsonToken.VALUE_NUMBER_INT) {
                JsonParser.NumberType type = p.getNumberType();
                if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                    return p.getLongValue();
                }
            }
            throw wrong(p);
        }

        /** What {@link #fast} returns for text of another shape, which the general parser then reads. */
        private static final long NOT_FAST = Long.MIN_VALUE;

        /** Asia/Shanghai has kept +08:00 since its last daylight-saving period ended in 1991. */
        private static final long FIXED_OFFSET_SINCE_LOCAL_SECOND = CivilDates.epochDay(1992, 1, 1) * 86_400L;

        /**
         * The common shapes, read by hand: {@code yyyy-MM-dd(T| )HH:mm[:ss[.f…]]} with {@code Z}, an
         * offset or nothing. {@link DateTimeFormatter} would cost more than the rest of the row.
         */
        private long fast(String t) {
            int n = t.length();
            if (n < 16 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(13) != ':') {
                return NOT_FAST;
            }
            char separator = t.charAt(10);
            if (separator != 'T' && separator != ' ') {
                return NOT_FAST;
            }
            int year = CivilDates.digits(t, 0, 4);
            int month = CivilDates.digits(t, 5, 2);
            int day = CivilDates.digits(t, 8, 2);
            int hour = CivilDates.digits(t, 11, 2);
            int minute = CivilDates.digits(t, 14, 2);
            int second = 0;
            int nano = 0;
            int i = 16;
            if (i < n && t.charAt(i) == ':') {
                if (n < 19) {
                    return NOT_FAST;
                }
                second = CivilDates.digits(t, 17, 2);
                i = 19;
                if (i < n && t.charAt(i) == '.') {
                    int from = ++i;
                    while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                        i++;
                    }
                    int count = i - from;
                    if (count == 0 || count > 9) {
                        return NOT_FAST;
                    }
                    nano = CivilDates.digits(t, from, count);
                    for (int k = count; k < 9; k++) {
                        nano *= 10;
                    }
                }
            }
            if (year < 0
                    || month < 0
                    || day < 0
                    || hour < 0
                    || minute < 0
                    || second < 0
                    || !CivilDates.isRealDate(year, month, day)
                    || hour > 23
                    || minute > 59
                    || second > 59) {
                return NOT_FAST;
            }
            long localSecond = CivilDates.epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
            if (i == n) {
                if (local) {
                    return toUnits(localSecond, nano);
                }
                return localSecond >= FIXED_OFFSET_SINCE_LOCAL_SECOND
                        ? toUnits(localSecond - 8 * 3600L, nano)
                        : NOT_FAST; // earlier local times need the zone's rules
            }
            int offset;
            char sign = t.charAt(i);
            if ((sign == 'Z' || sign == 'z') && i + 1 == n) {
                offset = 0;
            } else if (sign == '+' || sign == '-') {
                int oh = CivilDates.digits(t, i + 1, Math.min(2, n - i - 1));
                int om;
                if (n - i == 3) {
                    om = 0;
                } else if (n - i == 6 && t.charAt(i + 3) == ':') {
                    om = CivilDates.digits(t, i + 4, 2);
                } else if (n - i == 5) {
                    om = CivilDates.digits(t, i + 3, 2);
                } else {
                    return NOT_FAST;
                }
                if (n - i < 3 || oh < 0 || om < 0 || oh > 18 || om > 59) {
                    return NOT_FAST;
                }
                offset = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
            } else {
                return NOT_FAST;
            }
            if (local) {
                throw new DateTimeException("a local timestamp has no offset");
            }
            return toUnits(localSecond - offset, nano);
        }

        private long parse(String t) {
            long fast = fast(t);
            if (fast != NOT_FAST) {
                return fast;
            }
            if (t.length() == 10) {
                long day = CivilDates.parseIsoDate(t);
                if (day == CivilDates.NOT_A_DATE) {
                    throw new DateTimeException(t);
                }
                LocalDateTime midnight = java.time.LocalDate.ofEpochDay(day).atStartOfDay();
                return local
                        ? toUnits(midnight.toEpochSecond(ZoneOffset.UTC), 0)
                        : toUnits(midnight.atZone(CivilDates.CITY_ZONE).toEpochSecond(), 0);
            }
            String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
            TemporalAccessor parsed =
                    DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, OffsetDateTime::from, LocalDateTime::from);
            if (parsed instanceof OffsetDateTime offset) {
                if (local) {
                    throw new DateTimeException("a local timestamp has no offset");
                }
                return toUnits(offset.toEpochSecond(), offset.getNano());
            }
            LocalDateTime dateTime = (LocalDateTime) parsed;
            return local
                    ? toUnits(dateTime.toEpochSecond(ZoneOffset.UTC), dateTime.getNano())
                    : toUnits(dateTime.atZone(CivilDates.CITY_ZONE).toEpochSecond(), dateTime.getNano());
        }

        private long toUnits(long epochSecond, int nano) {
            return Math.addExact(
                    Math.multiplyExact(epochSecond, unitsPerSecond), nano / (1_000_000_000L / unitsPerSecond));
        }

        private static boolean isWholeNumber(String t) {
            int from = t.startsWith("-") ? 1 : 0;
            if (t.length() == from) {
                return false;
            }
            for (int i = from; i < t.length(); i++) {
                if (!Character.isDigit(t.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        String expected() {
            return local
                    ? "a local date-time yyyy-MM-ddTHH:mm:ss or " + unit + " since 1970-01-01T00:00"
                    : "an ISO-8601 timestamp (yyyy-MM-ddTHH:mm:ss with Z or an offset, or local time in"
                            + " Asia/Shanghai) or " + unit + " since the epoch";
        }
    }

    static final class DecimalReader extends ValueReader {
        private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();
        private final Schema schema;
        private final LogicalTypes.Decimal decimal;
        private final int precision;
        private final int scale;

        DecimalReader(Schema schema, LogicalTypes.Decimal decimal) {
            this.schema = schema;
            this.decimal = decimal;
            this.precision = decimal.getPrecision();
            this.scale = decimal.getScale();
        }

        @Override
        Object fromJson(JsonNode node) {
            if (node.isNumber()) {
                return encode(node.decimalValue(), node.asText());
            }
            if (node.isTextual()) {
                return fromText(node.textValue());
            }
            throw wrong(node);
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                return encode(p.getDecimalValue(), p.getText());
            }
            if (t == JsonToken.VALUE_STRING) {
                return fromText(p.getText());
            }
            throw wrong(p);
        }

        @Override
        Object fromText(String text) {
            BigDecimal value;
            try {
                value = new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                throw wrong(text);
            }
            return encode(value, text.trim());
        }

        private Object encode(BigDecimal value, String shown) {
            BigDecimal scaled;
            if (value.scale() > scale) {
                try {
                    scaled = value.setScale(scale, java.math.RoundingMode.UNNECESSARY);
                } catch (ArithmeticException e) {
                    throw ConversionException.of("decimal " + Found.cut(shown) + " has more than " + scale
                            + " decimal places, expected " + expected());
                }
            } else {
                scaled = value.setScale(scale, java.math.RoundingMode.UNNECESSARY);
            }
            if (scaled.precision() > precision) {
                throw ConversionException.of("decimal " + Found.cut(shown) + " overflows precision " + precision
                        + ", expected " + expected());
            }
            if (schema.getType() == Schema.Type.FIXED) {
                return DECIMALS.toFixed(scaled, schema, decimal);
            }
            return DECIMALS.toBytes(scaled, schema, decimal);
        }

        @Override
        String expected() {
            return "a decimal of at most " + (precision - scale) + " digits before the point and " + scale
                    + " after (decimal(" + precision + "," + scale + "))";
        }
    }

    static final class UuidReader extends ValueReader {
        private final Schema fixed;

        UuidReader(Schema fixed) {
            this.fixed = fixed;
        }

        @Override
        Object fromJson(JsonNode node) {
            if (node.isTextual()) {
                return fromText(node.textValue());
            }
            throw wrong(node);
        }

        @Override
        Object fromText(String text) {
            String t = text.trim();
            if (!isCanonical(t)) {
                throw wrong(text);
            }
            if (fixed == null) {
                return t.toLowerCase(Locale.ROOT);
            }
            UUID uuid = UUID.fromString(t);
            ByteBuffer bytes = ByteBuffer.allocate(16);
            bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            return new GenericData.Fixed(fixed, bytes.array());
        }

        private static boolean isCanonical(String t) {
            if (t.length() != 36) {
                return false;
            }
            for (int i = 0; i < 36; i++) {
                char c = t.charAt(i);
                boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
                if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        String expected() {
            return "a UUID xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
        }
    }
}
