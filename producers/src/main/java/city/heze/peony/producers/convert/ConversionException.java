package city.heze.peony.producers.convert;

/**
 * A value that does not fit the catalog's schema: the field's path inside the record (for example
 * {@code address.city} or {@code diagnosisCodes[2]}; null for the row as a whole) and the reason,
 * which says what was expected and what was found.
 *
 * <p>It carries no stack trace: it is the expected outcome of a bad line, not a bug, and union
 * branches are tried by catching it, so it must be cheap.
 */
public final class ConversionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    public ConversionException(String field, String reason) {
        super(field == null ? reason : "field '" + field + "': " + reason, null, false, false);
        this.field = field;
        this.reason = reason;
    }

    static ConversionException of(String reason) {
        return new ConversionException(null, reason);
    }

    /** The path of the field at fault, or null. */
    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }

    /** The same problem one level up: {@code name} becomes the head of the field's path. */
    ConversionException inside(String name) {
        return new ConversionException(field == null ? name : join(name, field), reason);
    }

    private static String join(String outer, String inner) {
        return inner.startsWith("[") ? outer + inner : outer + "." + inner;
    }
}
