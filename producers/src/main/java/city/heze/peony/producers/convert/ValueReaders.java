package city.heze.peony.producers.convert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Builds the {@link ValueReader} of any Avro schema: every primitive and complex type, unions, and
 * the logical types {@code date}, {@code time-millis}/{@code -micros}, {@code timestamp-*} and
 * {@code local-timestamp-*}, {@code decimal} (bytes and fixed) and {@code uuid} (string and fixed).
 *
 * <p>The readers live by type family in {@link NumberReaders}, {@link TextReaders}, {@link
 * TimeReaders} and {@link ContainerReaders}. What each type accepts, in JSON and in a CSV cell:
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
                case NULL -> new TextReaders.NullReader();
                case BOOLEAN -> new TextReaders.BooleanReader();
                case INT -> NumberReaders.WholeNumberReader.INT;
                case LONG -> NumberReaders.WholeNumberReader.LONG;
                case FLOAT -> NumberReaders.FloatingPointReader.FLOAT;
                case DOUBLE -> NumberReaders.FloatingPointReader.DOUBLE;
                case STRING -> new TextReaders.StringReader();
                case BYTES -> new TextReaders.BytesReader();
                case FIXED -> new TextReaders.FixedReader(schema);
                case ENUM -> new TextReaders.EnumReader(schema);
                case ARRAY -> new ContainerReaders.ArrayReader(schema, reader(schema.getElementType()));
                case MAP -> new ContainerReaders.MapReader(reader(schema.getValueType()));
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
            return new ContainerReaders.UnionReader(nullable, branches.toArray(ValueReader[]::new));
        }

        private ValueReader logical(Schema schema, LogicalType logical) {
            if (logical == null) {
                return null;
            }
            Schema.Type type = schema.getType();
            switch (logical.getName()) {
                case "date":
                    return type == Schema.Type.INT ? new TimeReaders.DateReader() : null;
                case "time-millis":
                    return type == Schema.Type.INT ? new TimeReaders.TimeReader(1_000_000L, false) : null;
                case "time-micros":
                    return type == Schema.Type.LONG ? new TimeReaders.TimeReader(1_000L, true) : null;
                case "timestamp-millis":
                case "timestamp-micros":
                case "timestamp-nanos":
                case "local-timestamp-millis":
                case "local-timestamp-micros":
                case "local-timestamp-nanos":
                    return type == Schema.Type.LONG ? new TimeReaders.TimestampReader(logical.getName()) : null;
                case "decimal":
                    return type == Schema.Type.BYTES || type == Schema.Type.FIXED
                            ? new NumberReaders.DecimalReader(schema, (LogicalTypes.Decimal) logical)
                            : null;
                case "uuid":
                    if (type == Schema.Type.STRING) {
                        return new TextReaders.UuidReader(null);
                    }
                    return type == Schema.Type.FIXED && schema.getFixedSize() == 16
                            ? new TextReaders.UuidReader(schema)
                            : null;
                default:
                    return null; // a logical type Peony does not know: its underlying type still reads
            }
        }
    }
}
