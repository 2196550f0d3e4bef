package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import org.apache.avro.Schema;

/**
 * {@code FORMAT}: a text field has a named format (规范性). Parameter {@code format}, one of
 * {@code digits}, {@code postal-code}, {@code chinese-name}, {@code plate-number}, {@code vin},
 * {@code vin-check-digit}. Imported vehicles may lack a valid VIN check digit, hence two VIN formats.
 */
final class FormatRule extends FieldValueRule {

    private final NamedFormat format;

    private FormatRule(RuleDeclaration declaration, Schema.Field field, NamedFormat format) {
        super(declaration, field);
        this.format = format;
    }

    static FormatRule compile(RuleDeclaration declaration) {
        Schema.Field field = declaration.stringSubject("format");
        String name = declaration.requiredText("format");
        NamedFormat format = NamedFormat.byId(name);
        if (format == null) {
            throw declaration.invalid("parameter 'format' is '" + name + "'; expected one of " + NamedFormat.ids());
        }
        return new FormatRule(declaration, field, format);
    }

    @Override
    RuleFailure checkValue(Object value) {
        if (value instanceof CharSequence text && format.matches(text)) {
            return null;
        }
        return failure(value, "not " + format.id() + ", expected " + format.expected());
    }
}
