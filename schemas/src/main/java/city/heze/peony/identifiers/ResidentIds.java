package city.heze.peony.identifiers;

import city.heze.peony.avro.common.Sex;
import java.time.LocalDate;

/**
 * Resident identity numbers (公民身份号码, GB 11643-1999): the check character, decoding of the birth
 * date and sex, upgrading a legacy 15-digit number, and generating valid numbers for simulators and
 * tests. Pure functions; the rule that judges records is {@link ResidentIdRule}.
 *
 * <p>The 18-character form is a 6-digit address code, the birth date {@code yyyyMMdd}, a 3-digit
 * sequence (odd for men) and a check character over ISO 7064 MOD 11-2. The legacy 15-digit form
 * has a 2-digit year of the 1900s and no check character.
 */
public final class ResidentIds {

    public static final int LENGTH = 18;
    public static final int LEGACY_LENGTH = 15;

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK_CHARACTERS = "10X98765432";

    private ResidentIds() {}

    /**
     * The check character of the first 17 digits. Because 11 is prime and no weight is a multiple of
     * it, changing any one digit changes the sum modulo 11, so every single substitution is caught.
     *
     * @throws IllegalArgumentException if the first 17 characters are not all digits
     */
    public static char checkCharacter(CharSequence id) {
        int nonDigit = id.length() < 17 ? -2 : firstNonDigit(id, 0, 17);
        if (nonDigit != -1) {
            throw new IllegalArgumentException("resident ID '" + id + "': expected at least 17 leading digits");
        }
        return checkCharacterOfDigits(id);
    }

    /** Whether {@code id} is an 18-character number with a real birth date and the right check character. */
    public static boolean isValid(CharSequence id) {
        return id != null
                && id.length() == LENGTH
                && firstNonDigit(id, 0, 17) == -1
                && birthEpochDay(id) != CivilDates.NOT_A_DATE
                && id.charAt(17) == checkCharacterOfDigits(id);
    }

    /**
     * A valid 18-character number.
     *
     * @param regionCode six digits, e.g. {@code 371702}
     * @param birthDate a date of the years 1000 to 9999
     * @param sequence 0 to 999; odd for a man, even for a woman
     */
    public static String generate(String regionCode, LocalDate birthDate, int sequence) {
        if (regionCode == null || regionCode.length() != 6 || firstNonDigit(regionCode, 0, 6) != -1) {
            throw new IllegalArgumentException("region code '" + regionCode + "': expected six digits");
        }
        if (birthDate.getYear() < 1000 || birthDate.getYear() > 9999) {
            throw new IllegalArgumentException("birth date " + birthDate + ": expected a four-digit year");
        }
        if (sequence < 0 || sequence > 999) {
            throw new IllegalArgumentException("sequence " + sequence + ": expected 0 to 999");
        }
        StringBuilder id = new StringBuilder(LENGTH).append(regionCode).append(birthDate.getYear());
        appendTwoDigits(id, birthDate.getMonthValue());
        appendTwoDigits(id, birthDate.getDayOfMonth());
        id.append((char) ('0' + sequence / 100));
        appendTwoDigits(id, sequence % 100);
        return id.append(checkCharacterOfDigits(id)).toString();
    }

    /**
     * The birth date encoded in an 18- or 15-character number; the check character is not verified.
     *
     * @throws IllegalArgumentException if the number holds no real birth date
     */
    public static LocalDate birthDate(CharSequence id) {
        long epochDay = id == null ? CivilDates.NOT_A_DATE : birthEpochDay(id);
        if (epochDay == CivilDates.NOT_A_DATE) {
            throw new IllegalArgumentException("resident ID '" + id + "': expected a real birth date inside it");
        }
        return LocalDate.ofEpochDay(epochDay);
    }

    /**
     * The sex encoded in the sequence of an 18- or 15-character number: odd for a man.
     *
     * @throws IllegalArgumentException if the number is neither 18 nor 15 characters or the digit is not one
     */
    public static Sex sex(CharSequence id) {
        int digit = id == null ? -1 : sexDigit(id);
        if (digit < 0) {
            throw new IllegalArgumentException(
                    "resident ID '" + id + "': expected 18 or 15 characters with a " + "sequence digit");
        }
        return (digit & 1) == 1 ? Sex.MALE : Sex.FEMALE;
    }

    /**
     * The 18-character form of a legacy 15-digit number: the year gains its "19", the check
     * character is appended.
     *
     * @throws IllegalArgumentException if {@code legacyId} is not 15 digits
     */
    public static String upgradeLegacy(CharSequence legacyId) {
        if (legacyId == null || legacyId.length() != LEGACY_LENGTH || firstNonDigit(legacyId, 0, LEGACY_LENGTH) != -1) {
            throw new IllegalArgumentException("legacy resident ID '" + legacyId + "': expected 15 digits");
        }
        StringBuilder id =
                new StringBuilder(LENGTH).append(legacyId, 0, 6).append("19").append(legacyId, 6, LEGACY_LENGTH);
        return id.append(checkCharacterOfDigits(id)).toString();
    }

    /** The birth date as an epoch day, or {@link CivilDates#NOT_A_DATE}; for 18 or 15 characters. */
    public static long birthEpochDay(CharSequence id) {
        int length = id.length();
        if (length == LENGTH) {
            return CivilDates.epochDayOrNotADate(
                    CivilDates.digits(id, 6, 4), CivilDates.digits(id, 10, 2), CivilDates.digits(id, 12, 2));
        }
        if (length == LEGACY_LENGTH) {
            int year = CivilDates.digits(id, 6, 2);
            return CivilDates.epochDayOrNotADate(
                    year < 0 ? -1 : 1900 + year, CivilDates.digits(id, 8, 2), CivilDates.digits(id, 10, 2));
        }
        return CivilDates.NOT_A_DATE;
    }

    /** The sequence's last digit, whose parity is the sex, or -1. */
    public static int sexDigit(CharSequence id) {
        int at = id.length() == LENGTH ? 16 : id.length() == LEGACY_LENGTH ? 14 : -1;
        return at < 0 ? -1 : CivilDates.digits(id, at, 1);
    }

    /** The index of the first non-digit in {@code [from, to)}, or -1. */
    public static int firstNonDigit(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return i;
            }
        }
        return -1;
    }

    /** The check character of 17 leading characters already known to be digits. */
    public static char checkCharacterOfDigits(CharSequence id) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (id.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK_CHARACTERS.charAt(sum % 11);
    }

    private static void appendTwoDigits(StringBuilder text, int value) {
        text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
