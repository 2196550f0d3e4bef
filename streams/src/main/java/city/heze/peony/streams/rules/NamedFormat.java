package city.heze.peony.streams.rules;

import city.heze.peony.identifiers.ResidentIds;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The formats a {@code FORMAT} rule can name. Each is a common shape of Chinese government data that
 * a plain regular expression states badly (a check digit, Han characters), or often enough to be
 * worth a name.
 */
enum NamedFormat {
    DIGITS("digits", "digits 0-9 only") {
        @Override
        boolean matches(CharSequence text) {
            return ResidentIds.firstNonDigit(text, 0, text.length()) == -1;
        }
    },
    POSTAL_CODE("postal-code", "a six-digit postal code") {
        @Override
        boolean matches(CharSequence text) {
            return text.length() == 6 && DIGITS.matches(text);
        }
    },
    CHINESE_NAME("chinese-name", "a Chinese name: 2 to 30 Han characters, parts of a transcribed name joined by '·'") {
        @Override
        boolean matches(CharSequence text) {
            int characters = 0;
            boolean afterSeparator = true;
            for (int i = 0; i < text.length(); ) {
                int codePoint = Character.codePointAt(text, i);
                i += Character.charCount(codePoint);
                if (codePoint == NAME_SEPARATOR) {
                    if (afterSeparator) {
                        return false;
                    }
                    afterSeparator = true;
                } else if (Character.isIdeographic(codePoint)) {
                    characters++;
                    afterSeparator = false;
                } else {
                    return false;
                }
            }
            return !afterSeparator && characters >= 2 && characters <= 30;
        }
    },
    PLATE_NUMBER(
            "plate-number",
            "a plate number (GA 36): province character, authority letter, then 5 characters or 6 for new energy") {
        @Override
        boolean matches(CharSequence text) {
            return PLATE.matcher(text).matches();
        }
    },
    VIN("vin", "a vehicle identification number: 17 characters of 0-9 and A-Z without I, O, Q") {
        @Override
        boolean matches(CharSequence text) {
            if (text.length() != 17) {
                return false;
            }
            for (int i = 0; i < 17; i++) {
                if (vinValue(text.charAt(i)) < 0) {
                    return false;
                }
            }
            return true;
        }
    },
    VIN_CHECK_DIGIT("vin-check-digit", "a vehicle identification number with its GB 16735 check digit at position 9") {
        @Override
        boolean matches(CharSequence text) {
            if (!VIN.matches(text)) {
                return false;
            }
            int sum = 0;
            for (int i = 0; i < 17; i++) {
                sum += vinValue(text.charAt(i)) * VIN_WEIGHTS[i];
            }
            int check = sum % 11;
            return text.charAt(8) == (check == 10 ? 'X' : (char) ('0' + check));
        }
    };

    /** The middle dot the household register writes between parts of a transcribed name. */
    private static final int NAME_SEPARATOR = '\u00B7';

    private static final Pattern PLATE = Pattern.compile("[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"
            + "[A-HJ-NP-Z]"
            + "(?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]" // ordinary
            + "|[A-HJK][A-HJ-NP-Z0-9][0-9]{4}" // new energy, small
            + "|[0-9]{5}[A-HJK])"); // new energy, large

    private static final int[] VIN_WEIGHTS = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};

    /** Transliteration of VIN letters (ISO 3779 / GB 16735); -1 for I, O, Q and anything else. */
    private static final String VIN_LETTER_VALUES = "12345678-12345-7-923456789";

    private final String id;
    private final String expected;

    NamedFormat(String id, String expected) {
        this.id = id;
        this.expected = expected;
    }

    abstract boolean matches(CharSequence text);

    String id() {
        return id;
    }

    String expected() {
        return expected;
    }

    static NamedFormat byId(String id) {
        for (NamedFormat format : values()) {
            if (format.id.equals(id)) {
                return format;
            }
        }
        return null;
    }

    static String ids() {
        return Arrays.stream(values()).map(NamedFormat::id).collect(Collectors.joining(", "));
    }

    private static int vinValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'Z') {
            char value = VIN_LETTER_VALUES.charAt(c - 'A');
            return value == '-' ? -1 : value - '0';
        }
        return -1;
    }
}
