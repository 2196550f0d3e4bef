package city.heze.peony.streams.opendata;

/** A catalog's {@code open:} section that cannot be applied to its schema; the message names the field and what was expected. */
public final class OpenDefinitionException extends RuntimeException {
    public OpenDefinitionException(String message) {
        super(message);
    }
}
