package city.heze.peony.streams.rules;

import city.heze.peony.identifiers.CivilDates;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * How a field holds a date, decided once from its schema: an Avro {@code date} (an Integer of days,
 * or a LocalDate when the data model converts logical types), a {@code timestamp-millis} (a Long or
 * an Instant, read as its day in the city), or text {@code yyyy-MM-dd} / {@code yyyyMMdd}.
 */
enum DateEncoding {
    EPOCH_DAYS {
        @Override
        long epochDay(Object value) {
            if (value instanceof Integer days) {
                return days;
            }
            return value instanceof LocalDate date ? date.toEpochDay() : CivilDates.NOT_A_DATE;
        }
    },
    TIMESTAMP_MILLIS {
        @Override
        long epochDay(Object value) {
            if (value instanceof Long millis) {
                return CivilDates.epochDayInCity(millis);
            }
            return value instanceof Instant instant
                    ? CivilDates.epochDayInCity(instant.toEpochMilli())
                    : CivilDates.NOT_A_DATE;
        }
    },
    ISO_TEXT {
        @Override
        long epochDay(Object value) {
            return value instanceof CharSequence text ? CivilDates.parseIsoDate(text) : CivilDates.NOT_A_DATE;
        }
    };

    static final String EXPECTED = "int/date, long/timestamp-millis or string (yyyy-MM-dd or yyyyMMdd)";

    /** The day the value names, or {@link CivilDates#NOT_A_DATE}. */
    abstract long epochDay(Object value);

    static DateEncoding of(RuleDeclaration declaration, Schema.Field field) {
        Schema schema = declaration.requireType(field, EXPECTED, Schema.Type.INT, Schema.Type.LONG, Schema.Type.STRING);
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case STRING:
                return ISO_TEXT;
            case INT:
                if (logical instanceof LogicalTypes.Date) {
                    return EPOCH_DAYS;
                }
                break;
            default:
                if (logical instanceof LogicalTypes.TimestampMillis) {
                    return TIMESTAMP_MILLIS;
                }
                break;
        }
        throw declaration.invalid(
                "field '" + field.name() + "' is " + FieldValues.describe(schema) + "; expected " + EXPECTED);
    }
}
