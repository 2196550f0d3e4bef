package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.Severity;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The shape of the cross-field rules (一致性) that compare what a resident ID encodes with another field
 * of the same record. The ID's field is the rule's {@code field}, else parameter {@code residentIdField},
 * else {@code residentId}. When either value is absent, or the ID is too malformed to encode anything,
 * the rule passes: {@code REQUIRED} and {@code RESIDENT_ID} report those, once.
 */
abstract class ResidentIdMatchRule implements RecordRule {

    static final String RESIDENT_ID_FIELD = "residentIdField";

    private final String ruleId;
    private final Severity severity;
    private final int idPosition;
    private final String idField;
    private final int comparedPosition;
    private final String comparedField;

    ResidentIdMatchRule(RuleDeclaration declaration, Schema.Field idField, Schema.Field comparedField) {
        this.ruleId = declaration.ruleId();
        this.severity = declaration.severity();
        this.idPosition = idField.pos();
        this.idField = idField.name();
        this.comparedPosition = comparedField.pos();
        this.comparedField = comparedField.name();
    }

    /** The resident ID's field, which must be text. */
    static Schema.Field residentIdField(RuleDeclaration declaration) {
        String declared = declaration.declaredField();
        String parameter = declaration.text(RESIDENT_ID_FIELD);
        if (declared != null && parameter != null && !declared.equals(parameter)) {
            throw declaration.invalid("field '" + declared + "' and parameter " + RESIDENT_ID_FIELD + " '" + parameter
                    + "' disagree; expected one name for the resident ID's field");
        }
        Schema.Field field = declared != null
                ? declaration.subjectField()
                : declaration.fieldParameter(RESIDENT_ID_FIELD, "residentId");
        declaration.requireType(field, "string (a resident ID)", Schema.Type.STRING);
        return field;
    }

    @Override
    public final RuleFailure check(GenericRecord record) {
        Object id = record.get(idPosition);
        Object compared = record.get(comparedPosition);
        if (FieldValues.isMissing(id) || FieldValues.isMissing(compared) || !(id instanceof CharSequence text)) {
            return null;
        }
        return compare(text, compared);
    }

    /** The failure, or null when the value agrees with the ID or either cannot be read. */
    abstract RuleFailure compare(CharSequence id, Object compared);

    /** A failure reported on the compared field, the one the ID contradicts. */
    final RuleFailure mismatch(Object compared, String shownCompared, CharSequence id, String encoded) {
        return new RuleFailure(
                ruleId,
                comparedField,
                severity,
                comparedField + " '" + FieldValues.show(shownCompared == null ? compared : shownCompared)
                        + "': does not match " + idField + " '" + FieldValues.show(id) + "', which encodes "
                        + encoded);
    }
}
