package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.Sex;
import city.heze.peony.identifiers.ResidentIds;
import org.apache.avro.Schema;

/**
 * {@code ID_MATCHES_SEX}: the record's sex equals the one encoded in its resident ID (the sequence's
 * last digit, odd for a man). Parameters {@code residentIdField} (default {@code residentId}) and
 * {@code sexField} (default {@code sex}). The sex field is an enum with MALE and FEMALE, or text
 * holding MALE/FEMALE, 男/女 or the GB/T 2261.1 codes 1/2; any other value, such as UNKNOWN, states
 * no sex and so cannot contradict the ID.
 */
final class IdMatchesSexRule extends ResidentIdMatchRule {

    private IdMatchesSexRule(RuleDeclaration declaration, Schema.Field idField, Schema.Field sexField) {
        super(declaration, idField, sexField);
    }

    static IdMatchesSexRule compile(RuleDeclaration declaration) {
        declaration.acceptOnly(RESIDENT_ID_FIELD, "sexField");
        Schema.Field idField = residentIdField(declaration);
        Schema.Field sexField = declaration.fieldParameter("sexField", "sex");
        Schema schema = declaration.requireType(
                sexField, "enum with MALE and FEMALE, or string", Schema.Type.ENUM, Schema.Type.STRING);
        if (schema.getType() == Schema.Type.ENUM
                && !(schema.hasEnumSymbol(Sex.MALE.name()) && schema.hasEnumSymbol(Sex.FEMALE.name()))) {
            throw declaration.invalid("field '" + sexField.name() + "' is enum " + schema.getFullName()
                    + " without MALE and FEMALE; expected the symbols of " + Sex.class.getName());
        }
        return new IdMatchesSexRule(declaration, idField, sexField);
    }

    @Override
    RuleFailure compare(CharSequence id, Object sex) {
        int digit = ResidentIds.sexDigit(id);
        Sex recorded = recorded(sex.toString());
        if (digit < 0 || recorded == null) {
            return null;
        }
        Sex encoded = (digit & 1) == 1 ? Sex.MALE : Sex.FEMALE;
        return encoded == recorded ? null : mismatch(sex, null, id, "sex " + encoded);
    }

    /** MALE or FEMALE as the record states it, or null when it states neither. */
    private static Sex recorded(String sex) {
        return switch (sex) {
            case "MALE", "男", "1" -> Sex.MALE;
            case "FEMALE", "女", "2" -> Sex.FEMALE;
            default -> null;
        };
    }
}
