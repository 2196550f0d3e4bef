package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.Severity;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The shape of every rule that checks one field's value: the field's position is resolved once, an
 * absent value passes (absence is {@code REQUIRED}'s business), and a failure names the field, the
 * value found and what was expected.
 */
abstract class FieldValueRule implements RecordRule {

    private final String ruleId;
    private final String field;
    private final int position;
    private final Severity severity;

    FieldValueRule(RuleDeclaration declaration, Schema.Field field) {
        this.ruleId = declaration.ruleId();
        this.field = field.name();
        this.position = field.pos();
        this.severity = declaration.severity();
    }

    @Override
    public final RuleFailure check(GenericRecord record) {
        Object value = record.get(position);
        return FieldValues.isMissing(value) ? null : checkValue(value);
    }

    /** The failure for a present value, or null when it passes. */
    abstract RuleFailure checkValue(Object value);

    /** A failure at the rule's declared severity: {@code field 'value': problem}. */
    final RuleFailure failure(Object value, String problem) {
        return failure(severity, value, problem);
    }

    final RuleFailure failure(Severity at, Object value, String problem) {
        return new RuleFailure(ruleId, field, at, field + " '" + FieldValues.show(value) + "': " + problem);
    }
}
