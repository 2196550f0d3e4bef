package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.Severity;
import city.heze.peony.identifiers.CreditCodes;
import org.apache.avro.Schema;

/**
 * {@code CREDIT_CODE}: a unified social credit code (GB 32100-2015): 18 characters of the code's set,
 * a known registering authority, a six-digit division code, the organisation code's check digit at
 * position 17 and the final check character.
 *
 * <p>Why a wrong final check character is only a warning: some codes issued by pilot registries
 * before the standard was final fail that checksum, yet they are printed on valid business licences
 * and a department cannot refuse them. A code that is right in every other part is therefore
 * reported at {@link Severity#WARNING}, even by a BLOCKING rule, and the record goes on to be
 * shared while the warning is counted and can be reviewed. The price: a typo in positions 1-16
 * that keeps the structure intact also yields only a warning; the organisation check digit still
 * catches most typos in positions 9-17. Parameter {@code pilotCodesAsWarning=false} (default true)
 * makes every checksum failure take the rule's severity, for catalogs whose codes post-date the
 * pilot.
 */
final class CreditCodeRule extends FieldValueRule {

    private final boolean pilotCodesAsWarning;

    private CreditCodeRule(RuleDeclaration declaration, Schema.Field field, boolean pilotCodesAsWarning) {
        super(declaration, field);
        this.pilotCodesAsWarning = pilotCodesAsWarning;
    }

    static CreditCodeRule compile(RuleDeclaration declaration) {
        Schema.Field field = declaration.stringSubject("pilotCodesAsWarning");
        return new CreditCodeRule(declaration, field, declaration.flag("pilotCodesAsWarning", true));
    }

    @Override
    RuleFailure checkValue(Object value) {
        if (!(value instanceof CharSequence code)) {
            return failure(value, "not text, expected an 18-character credit code");
        }
        if (code.length() != CreditCodes.LENGTH) {
            return failure(code, code.length() + " characters, expected 18");
        }
        int outside = CreditCodes.firstOutsideCharacters(code, CreditCodes.LENGTH);
        if (outside >= 0) {
            return failure(
                    code,
                    "character " + (outside + 1) + " is '" + code.charAt(outside) + "', expected one of "
                            + CreditCodes.CHARACTERS + " (no I, O, Z, S, V)");
        }
        if (!CreditCodes.isRegisteringAuthority(code.charAt(0))) {
            return failure(
                    code,
                    "registering authority '" + code.charAt(0) + "' is unknown, expected one of "
                            + CreditCodes.REGISTERING_AUTHORITIES);
        }
        if (!CreditCodes.isDivisionCode(code)) {
            return failure(
                    code,
                    "division code " + code.subSequence(2, 8)
                            + " is not one, expected six digits starting with a province code (11 to 65) or 10");
        }
        char organisationCheck = CreditCodes.organisationCheckOrZero(code);
        if (code.charAt(16) != organisationCheck) {
            return failure(
                    code,
                    "organisation-code check character is '" + code.charAt(16) + "', expected '" + organisationCheck
                            + "'");
        }
        char expected = CreditCodes.checkCharacterOfValid(code);
        if (code.charAt(17) == expected) {
            return null;
        }
        String problem = "check character is '" + code.charAt(17) + "', expected '" + expected + "'";
        return pilotCodesAsWarning
                ? failure(Severity.WARNING, code, problem + "; kept with a warning as a possible early pilot code")
                : failure(code, problem);
    }
}
