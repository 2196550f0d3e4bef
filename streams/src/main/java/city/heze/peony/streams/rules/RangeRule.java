package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;

/**
 * {@code RANGE}: a number lies between {@code min} and {@code max}, both inclusive, at least one
 * given (准确性). Works on int, long, float, double and Avro decimals (bytes or fixed, decoded or not).
 * Whole numbers are compared with the bounds rounded inward once, so the per-record test is two long
 * comparisons; floating-point values are compared as doubles.
 */
final class RangeRule extends FieldValueRule {

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final BigDecimal min;
    private final BigDecimal max;
    private final long minWhole;
    private final long maxWhole;
    private final double minDouble;
    private final double maxDouble;
    private final Schema decimalSchema;
    private final Conversions.DecimalConversion decimals = new Conversions.DecimalConversion();

    private RangeRule(
            RuleDeclaration declaration, Schema.Field field, BigDecimal min, BigDecimal max, Schema decimalSchema) {
        super(declaration, field);
        this.min = min;
        this.max = max;
        boolean noWholeNumberFits =
                (min != null && min.compareTo(LONG_MAX) > 0) || (max != null && max.compareTo(LONG_MIN) < 0);
        if (noWholeNumberFits) {
            this.minWhole = Long.MAX_VALUE;
            this.maxWhole = Long.MIN_VALUE;
        } else {
            this.minWhole = min == null ? Long.MIN_VALUE : clampToLong(min.setScale(0, RoundingMode.CEILING));
            this.maxWhole = max == null ? Long.MAX_VALUE : clampToLong(max.setScale(0, RoundingMode.FLOOR));
        }
        this.minDouble = min == null ? Double.NEGATIVE_INFINITY : min.doubleValue();
        this.maxDouble = max == null ? Double.POSITIVE_INFINITY : max.doubleValue();
        this.decimalSchema = decimalSchema;
    }

    static RangeRule compile(RuleDeclaration declaration) {
        declaration.acceptOnly("min", "max");
        Schema.Field field = declaration.subjectField();
        String expected = "int, long, float, double or a decimal (bytes or fixed)";
        Schema schema = declaration.requireType(
                field,
                expected,
                Schema.Type.INT,
                Schema.Type.LONG,
                Schema.Type.FLOAT,
                Schema.Type.DOUBLE,
                Schema.Type.BYTES,
                Schema.Type.FIXED);
        boolean decimal = schema.getLogicalType() instanceof LogicalTypes.Decimal;
        if ((schema.getType() == Schema.Type.BYTES || schema.getType() == Schema.Type.FIXED) && !decimal) {
            throw declaration.invalid("field '" + field.name() + "' is " + FieldValues.describe(schema)
                    + " without the decimal logical type; expected " + expected);
        }
        BigDecimal min = declaration.number("min");
        BigDecimal max = declaration.number("max");
        if (min == null && max == null) {
            throw declaration.invalid("neither 'min' nor 'max' is given; expected at least one");
        }
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw declaration.invalid("min " + min.toPlainString() + " is greater than max " + max.toPlainString()
                    + "; expected min <= max");
        }
        return new RangeRule(declaration, field, min, max, decimal ? schema : null);
    }

    @Override
    RuleFailure checkValue(Object value) {
        if (value instanceof Integer || value instanceof Long) {
            long number = ((Number) value).longValue();
            return number >= minWhole && number <= maxWhole ? null : outside(value);
        }
        if (value instanceof Float || value instanceof Double) {
            double number = ((Number) value).doubleValue();
            if (Double.isNaN(number)) {
                return failure(value, "not a number, expected " + expected());
            }
            return number >= minDouble && number <= maxDouble ? null : outside(value);
        }
        BigDecimal number = decimal(value);
        if (number == null) {
            return failure(value, "not a number, expected " + expected());
        }
        boolean inside = (min == null || number.compareTo(min) >= 0) && (max == null || number.compareTo(max) <= 0);
        return inside ? null : outside(number.toPlainString());
    }

    private BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal number) {
            return number;
        }
        if (decimalSchema == null) {
            return null;
        }
        if (value instanceof ByteBuffer bytes) {
            return decimals.fromBytes(bytes, decimalSchema, decimalSchema.getLogicalType());
        }
        if (value instanceof GenericFixed fixed) {
            return decimals.fromFixed(fixed, decimalSchema, decimalSchema.getLogicalType());
        }
        return null;
    }

    private RuleFailure outside(Object shown) {
        return failure(shown, "outside the range, expected " + expected());
    }

    private String expected() {
        if (max == null) {
            return "at least " + min.toPlainString();
        }
        if (min == null) {
            return "at most " + max.toPlainString();
        }
        return "between " + min.toPlainString() + " and " + max.toPlainString();
    }

    private static long clampToLong(BigDecimal whole) {
        if (whole.compareTo(LONG_MIN) < 0) {
            return Long.MIN_VALUE;
        }
        return whole.compareTo(LONG_MAX) > 0 ? Long.MAX_VALUE : whole.longValueExact();
    }
}
