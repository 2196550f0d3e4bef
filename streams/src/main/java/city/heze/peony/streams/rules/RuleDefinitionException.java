package city.heze.peony.streams.rules;

/**
 * A catalog declares a rule Peony cannot apply: a field the schema lacks, a kind this version does
 * not know, a parameter that is missing, unknown or malformed. Raised once, when the catalog's rules
 * are compiled, so that a bad declaration is refused before any record is judged by it. The message
 * names the rule id, the field and what was expected.
 */
public final class RuleDefinitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RuleDefinitionException(String message) {
        super(message);
    }
}
