package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * {@code LENGTH}: text has between {@code min} and {@code max} characters, a list or map between
 * {@code min} and {@code max} entries (both inclusive, at least one given). Characters are counted as
 * a person counts them (Unicode code points), so a rare name character outside the basic plane
 * counts once, not twice.
 */
final class LengthRule extends FieldValueRule {

    private final int min;
    private final int max;
    private final String unit;

    private LengthRule(RuleDeclaration declaration, Schema.Field field, int min, int max, String unit) {
        super(declaration, field);
        this.min = min;
        this.max = max;
        this.unit = unit;
    }

    static LengthRule compile(RuleDeclaration declaration) {
        declaration.acceptOnly("min", "max");
        Schema.Field field = declaration.subjectField();
        Schema schema = declaration.requireType(
                field, "string, array or map", Schema.Type.STRING, Schema.Type.ARRAY, Schema.Type.MAP);
        Integer min = declaration.count("min");
        Integer max = declaration.count("max");
        if (min == null && max == null) {
            throw declaration.invalid("neither 'min' nor 'max' is given; expected at least one");
        }
        if (min != null && max != null && min > max) {
            throw declaration.invalid("min " + min + " is greater than max " + max + "; expected min <= max");
        }
        String unit = schema.getType() == Schema.Type.STRING ? "characters" : "entries";
        return new LengthRule(declaration, field, min == null ? 0 : min, max == null ? Integer.MAX_VALUE : max, unit);
    }

    @Override
    RuleFailure checkValue(Object value) {
        int length = length(value);
        if (length >= min && length <= max) {
            return null;
        }
        return failure(value, length + " " + unit + ", expected " + expected());
    }

    private static int length(Object value) {
        if (value instanceof CharSequence text) {
            return Character.codePointCount(text, 0, text.length());
        }
        if (value instanceof Collection<?> collection) {
            return collection.size();
        }
        return value instanceof Map<?, ?> map ? map.size() : -1;
    }

    private String expected() {
        if (max == Integer.MAX_VALUE) {
            return "at least " + min;
        }
        return min == 0 ? "at most " + max : "between " + min + " and " + max;
    }
}
