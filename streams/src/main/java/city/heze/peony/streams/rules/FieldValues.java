package city.heze.peony.streams.rules;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * How rules read Avro values: what counts as absent, how a value is shown in a reason, which type a
 * nullable union really holds.
 */
final class FieldValues {

    /** Reasons travel in rejections and dashboards; a runaway value must not bloat them. */
    private static final int SHOWN_CHARACTERS = 64;

    private FieldValues() {}

    /**
     * Null, blank text or an empty collection. Only {@code REQUIRED} judges absence: every other rule
     * passes an absent value, so that an optional field left empty is not reported twice, or at all.
     */
    static boolean isMissing(Object value) {
        if (value == null) {
            return true;
        }
        if (value instanceof CharSequence text) {
            return isBlank(text);
        }
        if (value instanceof Collection<?> collection) {
            return collection.isEmpty();
        }
        if (value instanceof Map<?, ?> map) {
            return map.isEmpty();
        }
        return false;
    }

    static boolean isBlank(CharSequence text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A value as a reason shows it: text as is (cut at 64 characters), bytes by their count. */
    static String show(Object value) {
        if (value instanceof ByteBuffer bytes) {
            return bytes.remaining() + " bytes";
        }
        String text = String.valueOf(value);
        if (text.length() <= SHOWN_CHARACTERS) {
            return text;
        }
        return text.substring(0, SHOWN_CHARACTERS) + "…(" + text.length() + " characters)";
    }

    /** The type a field holds: itself, or the one non-null branch of a nullable union; else null. */
    static Schema valueSchema(Schema fieldSchema) {
        if (fieldSchema.getType() != Schema.Type.UNION) {
            return fieldSchema;
        }
        Schema only = null;
        for (Schema branch : fieldSchema.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            if (only != null) {
                return null;
            }
            only = branch;
        }
        return only;
    }

    /** A type as an error message names it, e.g. {@code int/date} or {@code string}. */
    static String describe(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            return "union " + describeAll(schema.getTypes());
        }
        String type = schema.getType().getName();
        return schema.getLogicalType() == null
                ? type
                : type + "/" + schema.getLogicalType().getName();
    }

    private static String describeAll(List<Schema> schemas) {
        StringBuilder text = new StringBuilder("[");
        for (Schema schema : schemas) {
            if (text.length() > 1) {
                text.append(", ");
            }
            text.append(describe(schema));
        }
        return text.append(']').toString();
    }
}
