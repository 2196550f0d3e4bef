package city.heze.peony.identifiers;

import java.util.Arrays;

/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): their character set, the check digit of
 * the embedded organisation code (GB 11714) and the final check character, and generation of valid
 * codes for simulators and tests. Pure functions; the rule that judges records is {@link CreditCodeRule}.
 *
 * <p>Layout: position 1 the registering authority, 2 the category, 3-8 a division code, 9-17 the
 * organisation code (its check digit at 17), 18 the check character.
 */
public final class CreditCodes {

    public static final int LENGTH = 18;

    /** The 31 characters a code may use, in value order: no I, O, Z, S or V. */
    public static final String CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /** 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会, 9 工商, A 中央军委改革和编制办公室, N 农业, Y 其他. */
    public static final String REGISTERING_AUTHORITIES = "123456789ANY";

    /** 3^(i-1) mod 31: 31 is prime and no weight is a multiple of it, so any one substitution is caught. */
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private static final int[] ORGANISATION_WEIGHTS = {3, 7, 9, 10, 5, 8, 4, 2};

    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, -1);
        for (int i = 0; i < CHARACTERS.length(); i++) {
            VALUES[CHARACTERS.charAt(i)] = i;
        }
    }

    private CreditCodes() {}

    /**
     * The final check character over the first 17 characters.
     *
     * @throws IllegalArgumentException if one of them is outside {@link #CHARACTERS}
     */
    public static char checkCharacter(CharSequence code) {
        if (code.length() < 17 || firstOutsideCharacters(code, 17) != -1) {
            throw new IllegalArgumentException(
                    "credit code '" + code + "': expected 17 leading characters from " + CHARACTERS);
        }
        return checkCharacterOfValid(code);
    }

    /**
     * The check digit of the organisation code at positions 9-16, which belongs at position 17:
     * {@code 11 - (sum mod 11)}, 10 written X and 11 written 0.
     *
     * @throws IllegalArgumentException if positions 9-16 are not digits or capital letters
     */
    public static char organisationCheckCharacter(CharSequence code) {
        char check = code.length() < 16 ? 0 : organisationCheckOrZero(code);
        if (check == 0) {
            throw new IllegalArgumentException(
                    "credit code '" + code + "': expected digits or capital letters at positions 9 to 16");
        }
        return check;
    }

    /**
     * Whether {@code code} is well formed with both check characters right: 18 characters from
     * {@link #CHARACTERS}, a known registering authority, a six-digit division code of a province
     * (or 10, the central level), the organisation check digit and the final check character.
     */
    public static boolean isValid(CharSequence code) {
        return code != null
                && code.length() == LENGTH
                && firstOutsideCharacters(code, LENGTH) == -1
                && isRegisteringAuthority(code.charAt(0))
                && isDivisionCode(code)
                && code.charAt(16) == organisationCheckOrZero(code)
                && code.charAt(17) == checkCharacterOfValid(code);
    }

    /**
     * A valid code.
     *
     * @param registeringAuthority one of {@link #REGISTERING_AUTHORITIES}, e.g. '9' 工商
     * @param category one of {@link #CHARACTERS}, e.g. '1' 企业
     * @param divisionCode six digits, e.g. {@code 371702}
     * @param organisationCode the eight characters before the organisation check digit, from {@link #CHARACTERS}
     */
    public static String generate(
            char registeringAuthority, char category, String divisionCode, String organisationCode) {
        if (!isRegisteringAuthority(registeringAuthority)) {
            throw new IllegalArgumentException(
                    "registering authority '" + registeringAuthority + "': expected one of " + REGISTERING_AUTHORITIES);
        }
        if (value(category) < 0) {
            throw new IllegalArgumentException("category '" + category + "': expected one of " + CHARACTERS);
        }
        if (divisionCode == null || divisionCode.length() != 6 || ResidentIds.firstNonDigit(divisionCode, 0, 6) != -1) {
            throw new IllegalArgumentException("division code '" + divisionCode + "': expected six digits");
        }
        if (organisationCode == null
                || organisationCode.length() != 8
                || firstOutsideCharacters(organisationCode, 8) != -1) {
            throw new IllegalArgumentException(
                    "organisation code '" + organisationCode + "': expected eight characters from " + CHARACTERS);
        }
        StringBuilder code = new StringBuilder(LENGTH)
                .append(registeringAuthority)
                .append(category)
                .append(divisionCode)
                .append(organisationCode);
        code.append(organisationCheckOrZero(code));
        return code.append(checkCharacterOfValid(code)).toString();
    }

    /** A character's value 0-30, or -1 outside the set. */
    public static int value(char c) {
        return c < 128 ? VALUES[c] : -1;
    }

    public static boolean isRegisteringAuthority(char c) {
        return REGISTERING_AUTHORITIES.indexOf(c) >= 0;
    }

    /** Positions 3-8 are six digits naming a mainland province or the central level (10). */
    public static boolean isDivisionCode(CharSequence code) {
        int division = CivilDates.digits(code, 2, 6);
        int province = division / 10000;
        return division >= 0 && (province == 10 || DivisionCodes.isMainlandProvince(province));
    }

    /** The index of the first of the first {@code count} characters outside the set, or -1. */
    public static int firstOutsideCharacters(CharSequence code, int count) {
        for (int i = 0; i < count; i++) {
            if (value(code.charAt(i)) < 0) {
                return i;
            }
        }
        return -1;
    }

    /** The final check character of 17 characters already known to be in the set. */
    public static char checkCharacterOfValid(CharSequence code) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += VALUES[code.charAt(i)] * WEIGHTS[i];
        }
        return CHARACTERS.charAt((31 - sum % 31) % 31);
    }

    /**
     * The organisation check digit of positions 9-16, or 0 if one of them is no digit or capital
     * letter. GB 11714 values letters by the alphabet (A=10 … Z=35), not by the credit-code set.
     */
    public static char organisationCheckOrZero(CharSequence code) {
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            char c = code.charAt(8 + i);
            int value;
            if (c >= '0' && c <= '9') {
                value = c - '0';
            } else if (c >= 'A' && c <= 'Z') {
                value = c - 'A' + 10;
            } else {
                return 0;
            }
            sum += value * ORGANISATION_WEIGHTS[i];
        }
        int check = 11 - sum % 11;
        return check == 10 ? 'X' : check == 11 ? '0' : (char) ('0' + check);
    }
}
