package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.identifiers.CivilDates;
import city.heze.peony.identifiers.DivisionCodes;
import city.heze.peony.identifiers.HezeRegion;
import city.heze.peony.identifiers.HezeRegions;
import city.heze.peony.identifiers.ResidentIds;
import java.time.Clock;
import org.apache.avro.Schema;

/**
 * {@code RESIDENT_ID}: a resident identity number (GB 11643-1999) that can be real: 18 characters
 * with the right check character, a real birth date not in the future and a plausible address code.
 *
 * <p>Parameters: {@code regions} = {@code any} (default: a mainland province code 11-65, and inside
 * Heze's blocks only Heze's real codes; plus the residence permits 810000, 820000, 830000 of Hong
 * Kong, Macao and Taiwan residents) or {@code heze} (Heze's division codes only, current or
 * historical, since an ID keeps its number for life); {@code allowLegacy15} (default true) also
 * accepts the 15-digit form of the 1980s, whose 2-digit year is of the 1900s and which has no check
 * character. Development-zone statistical codes (371771, 371772) are never on an ID.
 */
final class ResidentIdRule extends FieldValueRule {

    private static final int HONG_KONG = 810000;
    private static final int MACAO = 820000;
    private static final int TAIWAN = 830000;

    private final boolean hezeOnly;
    private final boolean allowLegacy15;
    private final Clock clock;

    private ResidentIdRule(
            RuleDeclaration declaration, Schema.Field field, boolean hezeOnly, boolean allowLegacy15, Clock clock) {
        super(declaration, field);
        this.hezeOnly = hezeOnly;
        this.allowLegacy15 = allowLegacy15;
        this.clock = clock;
    }

    static ResidentIdRule compile(RuleDeclaration declaration, Clock clock) {
        Schema.Field field = declaration.stringSubject("regions", "allowLegacy15");
        boolean hezeOnly = declaration.choice("regions", "any", "any", "heze").equals("heze");
        boolean allowLegacy15 = declaration.flag("allowLegacy15", true);
        return new ResidentIdRule(declaration, field, hezeOnly, allowLegacy15, clock);
    }

    @Override
    RuleFailure checkValue(Object value) {
        if (!(value instanceof CharSequence id)) {
            return failure(value, "not text, expected an 18-character resident ID");
        }
        int length = id.length();
        if (length == ResidentIds.LEGACY_LENGTH && allowLegacy15) {
            return checkLegacy(id);
        }
        if (length != ResidentIds.LENGTH) {
            return failure(
                    id, length + " characters, expected " + (allowLegacy15 ? "18 (or 15 for a legacy ID)" : "18"));
        }
        int nonDigit = ResidentIds.firstNonDigit(id, 0, 17);
        if (nonDigit >= 0) {
            return failure(id, "character " + (nonDigit + 1) + " is '" + id.charAt(nonDigit) + "', expected a digit");
        }
        char check = id.charAt(17);
        char expected = ResidentIds.checkCharacterOfDigits(id);
        if (check != expected) {
            return failure(id, "check character is '" + check + "', expected '" + expected + "'");
        }
        RuleFailure birth = checkBirthDate(id, 6, 8);
        return birth != null ? birth : checkRegion(id);
    }

    private RuleFailure checkLegacy(CharSequence id) {
        int nonDigit = ResidentIds.firstNonDigit(id, 0, ResidentIds.LEGACY_LENGTH);
        if (nonDigit >= 0) {
            return failure(
                    id,
                    "character " + (nonDigit + 1) + " is '" + id.charAt(nonDigit)
                            + "', expected a digit (legacy 15-digit ID)");
        }
        RuleFailure birth = checkBirthDate(id, 6, 6);
        return birth != null ? birth : checkRegion(id);
    }

    private RuleFailure checkBirthDate(CharSequence id, int from, int count) {
        long birth = ResidentIds.birthEpochDay(id);
        if (birth == CivilDates.NOT_A_DATE) {
            return failure(id, "birth date " + id.subSequence(from, from + count) + " is not a real date");
        }
        long today = CivilDates.epochDayInCity(clock.millis());
        if (birth > today) {
            return failure(
                    id,
                    "birth date " + CivilDates.show(birth) + " is in the future, expected on or before "
                            + CivilDates.show(today));
        }
        return null;
    }

    private RuleFailure checkRegion(CharSequence id) {
        int code = CivilDates.digits(id, 0, 6);
        if (hezeOnly || HezeRegions.inHezeBlock(code)) {
            HezeRegion region = HezeRegions.lookup(id, 0);
            if (region == null) {
                return failure(
                        id,
                        "region code " + id.subSequence(0, 6) + " is not a Heze division code, expected "
                                + (hezeOnly
                                        ? "one of HezeRegions (3717xx, or 3729xx before 2000)"
                                        : "one of HezeRegions"));
            }
            if (!region.appearsOnIdCards()) {
                return failure(
                        id,
                        "region code " + region.code() + " is the statistical code of " + region.name()
                                + ", never on an ID; expected a division code such as 371702");
            }
            return null;
        }
        int province = code / 10000;
        if (code == HONG_KONG || code == MACAO || code == TAIWAN) {
            return null;
        }
        if (province == 81 || province == 82 || province == 83) {
            return failure(
                    id,
                    "region code " + id.subSequence(0, 6) + ": residence permits of Hong Kong, Macao and "
                            + "Taiwan residents use 810000, 820000 or 830000 exactly");
        }
        if (!DivisionCodes.isMainlandProvince(province)) {
            return failure(
                    id,
                    "region code " + id.subSequence(0, 6) + " names no province, expected a code starting "
                            + "with a province code (11 to 65) or a residence permit code");
        }
        return null;
    }
}
