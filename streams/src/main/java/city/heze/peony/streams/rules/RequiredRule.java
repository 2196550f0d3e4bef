package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.Severity;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * {@code REQUIRED}: the field holds a value. Null, blank text and empty collections are missing
 * (完整性): a department that sends {@code ""} for a name has not given one. No parameters.
 */
final class RequiredRule implements RecordRule {

    private final String ruleId;
    private final String field;
    private final int position;
    private final Severity severity;

    private RequiredRule(RuleDeclaration declaration, Schema.Field subject) {
        this.ruleId = declaration.ruleId();
        this.field = subject.name();
        this.position = subject.pos();
        this.severity = declaration.severity();
    }

    static RequiredRule compile(RuleDeclaration declaration) {
        declaration.acceptOnly();
        return new RequiredRule(declaration, declaration.subjectField());
    }

    @Override
    public RuleFailure check(GenericRecord record) {
        Object value = record.get(position);
        if (!FieldValues.isMissing(value)) {
            return null;
        }
        return new RuleFailure(ruleId, field, severity, field + " " + found(value) + ", expected a value");
    }

    private static String found(Object value) {
        if (value == null) {
            return "is null";
        }
        if (value instanceof Collection<?> || value instanceof Map<?, ?>) {
            return "is empty";
        }
        return "is blank ('" + FieldValues.show(value) + "')";
    }
}
