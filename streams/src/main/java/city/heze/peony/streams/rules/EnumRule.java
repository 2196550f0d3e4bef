package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * {@code ENUM}: the value is one of parameter {@code symbols} (comma-separated). Works on Avro enums,
 * where it narrows the schema's symbols for one catalog (e.g. only {@code ACTIVE} registrations), and
 * on text codes. For an enum field every listed symbol must exist in the schema, so a misspelt symbol
 * is refused at compile time instead of rejecting every record.
 */
final class EnumRule extends FieldValueRule {

    private final Set<String> symbols;
    private final String notAllowed;

    private EnumRule(RuleDeclaration declaration, Schema.Field field, Set<String> symbols) {
        super(declaration, field);
        this.symbols = Set.copyOf(symbols);
        this.notAllowed = "not allowed, expected one of " + String.join(", ", symbols);
    }

    static EnumRule compile(RuleDeclaration declaration) {
        declaration.acceptOnly("symbols");
        Schema.Field field = declaration.subjectField();
        Schema schema = declaration.requireType(field, "enum or string", Schema.Type.ENUM, Schema.Type.STRING);
        Set<String> symbols = new LinkedHashSet<>();
        for (String symbol : declaration.requiredText("symbols").split(",", -1)) {
            String trimmed = symbol.trim();
            if (trimmed.isEmpty()) {
                throw declaration.invalid("parameter 'symbols' has an empty entry; expected a comma-separated list");
            }
            if (schema.getType() == Schema.Type.ENUM && !schema.hasEnumSymbol(trimmed)) {
                throw declaration.invalid("symbol '" + trimmed + "' is not in enum " + schema.getFullName()
                        + "; expected some of " + String.join(", ", schema.getEnumSymbols()));
            }
            symbols.add(trimmed);
        }
        return new EnumRule(declaration, field, symbols);
    }

    @Override
    RuleFailure checkValue(Object value) {
        // An enum symbol's toString is its name; a Utf8 caches the String it builds.
        if (symbols.contains(value.toString())) {
            return null;
        }
        return failure(value, notAllowed);
    }
}
