package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.avro.Schema;

/**
 * {@code REGEX}: the whole text matches parameter {@code pattern} (java.util.regex), compiled once
 * when the catalog's rules are compiled; an unparseable pattern is refused there, not per record.
 */
final class RegexRule extends FieldValueRule {

    private final Pattern pattern;

    private RegexRule(RuleDeclaration declaration, Schema.Field field, Pattern pattern) {
        super(declaration, field);
        this.pattern = pattern;
    }

    static RegexRule compile(RuleDeclaration declaration) {
        Schema.Field field = declaration.stringSubject("pattern");
        String pattern = declaration.requiredText("pattern");
        try {
            return new RegexRule(declaration, field, Pattern.compile(pattern));
        } catch (PatternSyntaxException e) {
            throw declaration.invalid("parameter 'pattern' is '" + pattern + "', which does not compile: "
                    + e.getDescription() + " at index " + e.getIndex() + "; expected a java.util.regex pattern");
        }
    }

    @Override
    RuleFailure checkValue(Object value) {
        if (value instanceof CharSequence text && pattern.matcher(text).matches()) {
            return null;
        }
        return failure(value, "does not match, expected the whole value to match " + pattern.pattern());
    }
}
