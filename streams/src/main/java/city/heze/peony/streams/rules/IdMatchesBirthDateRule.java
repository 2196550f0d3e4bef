package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.identifiers.CivilDates;
import city.heze.peony.identifiers.ResidentIds;
import org.apache.avro.Schema;

/**
 * {@code ID_MATCHES_BIRTH_DATE}: the record's birth date equals the one encoded in its resident ID.
 * Parameters {@code residentIdField} (default {@code residentId}) and {@code birthDateField} (default
 * {@code birthDate}); the birth date may be an Avro {@code date}, a {@code timestamp-millis} or ISO text.
 */
final class IdMatchesBirthDateRule extends ResidentIdMatchRule {

    private final DateEncoding encoding;

    private IdMatchesBirthDateRule(
            RuleDeclaration declaration, Schema.Field idField, Schema.Field birthDateField, DateEncoding encoding) {
        super(declaration, idField, birthDateField);
        this.encoding = encoding;
    }

    static IdMatchesBirthDateRule compile(RuleDeclaration declaration) {
        declaration.acceptOnly(RESIDENT_ID_FIELD, "birthDateField");
        Schema.Field idField = residentIdField(declaration);
        Schema.Field birthDateField = declaration.fieldParameter("birthDateField", "birthDate");
        return new IdMatchesBirthDateRule(
                declaration, idField, birthDateField, DateEncoding.of(declaration, birthDateField));
    }

    @Override
    RuleFailure compare(CharSequence id, Object birthDate) {
        long encoded = ResidentIds.birthEpochDay(id);
        long recorded = encoding.epochDay(birthDate);
        if (encoded == CivilDates.NOT_A_DATE || recorded == CivilDates.NOT_A_DATE || encoded == recorded) {
            return null;
        }
        return mismatch(birthDate, CivilDates.show(recorded), id, "birth date " + CivilDates.show(encoded));
    }
}
