package city.heze.peony.producers.convert;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The readers of numbers: whole numbers (int, long), floating point (float, double) and decimals.
 * Each reads a JSON number token and a text (a CSV cell, or a JSON string where the type takes one);
 * the JSON tree form is derived from the token form ({@link ValueReader#fromJson}).
 */
final class NumberReaders {
    private NumberReaders() {}

    /** int and long: a whole JSON number; in CSV the digits. Holds no state, so one of each serves all. */
    static final class WholeNumberReader extends ValueReader {
        private final boolean isInt;

        static final WholeNumberReader INT = new WholeNumberReader(true);
        static final WholeNumberReader LONG = new WholeNumberReader(false);

        private WholeNumberReader(boolean isInt) {
            this.isInt = isInt;
        }

        @Override
        Object fromText(String text) {
            try {
                String t = text.trim();
                return isInt ? (Object) Integer.parseInt(t) : (Object) Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw wrong(text);
            }
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (isInt ? isIntToken(p) : isLongToken(p)) {
                return isInt ? (Object) p.getIntValue() : (Object) p.getLongValue();
            }
            throw wrong(p);
        }

        @Override
        String expected() {
            return isInt
                    ? "an int (a whole number from -2147483648 to 2147483647)"
                    : "a long (a whole number of at most 19 digits)";
        }
    }

    /** float and double: any number, or the text NaN, Infinity, -Infinity (which JSON has no number for). */
    static final class FloatingPointReader extends ValueReader {
        private final boolean isFloat;

        static final FloatingPointReader FLOAT = new FloatingPointReader(true);
        static final FloatingPointReader DOUBLE = new FloatingPointReader(false);

        private FloatingPointReader(boolean isFloat) {
            this.isFloat = isFloat;
        }

        @Override
        Object fromText(String text) {
            double value;
            try {
                value = parseNumber(text);
            } catch (NumberFormatException e) {
                throw wrong(text);
            }
            return inRange(value, text);
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                return isFloat ? inRange(p.getFloatValue(), p.getText()) : inRange(p.getDoubleValue(), p.getText());
            }
            if (t == JsonToken.VALUE_STRING && nonFinite(p.getText()) != 0.0) {
                return inRange(nonFinite(p.getText()), p.getText());
            }
            throw wrong(p);
        }

        /** The value in the reader's type; a finite number too large for it is an error, not infinity. */
        private Object inRange(double value, String text) {
            boolean special = nonFinite(text) != 0.0;
            if (isFloat) {
                float f = (float) value;
                if (Float.isInfinite(f) && !special) {
                    throw outOfRange(text);
                }
                return f;
            }
            if (Double.isInfinite(value) && !special) {
                throw outOfRange(text);
            }
            return value;
        }

        private ConversionException outOfRange(String text) {
            return ConversionException.of(
                    "number " + Found.cut(text.trim()) + " is out of range for a " + (isFloat ? "float" : "double"));
        }

        /** NaN and the infinities, or 0.0 for any other text. */
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

        @Override
        String expected() {
            return isFloat ? "a float (a number)" : "a double (a number)";
        }
    }

    /**
     * {@code decimal} on bytes or fixed: a decimal number as text or JSON number, with at most the
     * schema's scale of decimal places and its precision of digits.
     */
    static final class DecimalReader extends TextReaders.TextValueReader {
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
        Object fromParser(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                return encode(p.getDecimalValue(), p.getText());
            }
            return super.fromParser(p);
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
            try {
                scaled = value.setScale(scale, RoundingMode.UNNECESSARY);
            } catch (ArithmeticException e) {
                throw ConversionException.of("decimal " + Found.cut(shown) + " has more than " + scale
                        + " decimal places, expected " + expected());
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
}
