package city.heze.peony.streams.opendata;

import city.heze.peony.avro.common.OpenType;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.Severity;
import city.heze.peony.identifiers.CreditCodes;
import city.heze.peony.identifiers.ResidentIds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The checks every masked record passes before it is opened; a record failing any of them is
 * withheld, never opened. The reasons name the field and what was found, never the value.
 *
 * <ul>
 *   <li>{@value #RESIDENT_ID}: no complete resident ID (18 characters, a real birth date and a
 *       valid GB 11643 check character) anywhere inside any string of the open record, free text
 *       included, also as part of a longer run of digits;
 *   <li>{@value #MOBILE}: no mainland mobile number ({@code 1[3-9]} and nine digits, optionally
 *       after {@code 86} or {@code 0086}) standing as a number of its own;
 *   <li>{@value #BANK_CARD}: no bank card number (16 to 19 digits passing Luhn) standing as a number
 *       of its own, unless it is a valid unified social credit code, which is public;
 *   <li>{@value #PERSON_NAME}: no value of a field the catalog declares a natural person's full
 *       name ({@code personName: true}, two characters or more) inside any open string;
 *   <li>{@value #REQUIRED}: every field the catalog requires for opening is present and not blank;
 *   <li>the catalog is OPEN (checked by the topology before masking: records of other catalogs
 *       are not due to be opened at all).
 * </ul>
 *
 * <p>"A number of its own" is a maximal run of digits, where a single space or hyphen between two
 * groups of at most eight digits does not end the run (so {@code 138 1234 5678} and {@code
 * 138-1234-5678} are found) and full-width digits count as digits; a resident ID's {@code X} ends
 * its run. A mobile number glued to further digits is a longer number, not a mobile number. A
 * valid unified social credit code standing alone is public and skipped whole (unless it is also
 * a valid resident ID), so that its digits are not taken for a card number. An instance holds a scratch buffer:
 * one per processor, not shared between threads.
 */
public final class OpenChecks {
    public static final String RESIDENT_ID = "open.resident-id";
    public static final String MOBILE = "open.mobile";
    public static final String BANK_CARD = "open.bank-card";
    public static final String PERSON_NAME = "open.person-name";
    public static final String REQUIRED = "open.required";
    public static final String NOT_OPEN = "open.catalog-not-open";
    public static final String UNUSABLE_CATALOG = "open.unusable-catalog";
    public static final String UNDECODABLE = "open.undecodable";
    public static final String PROCESSING_ERROR = "open.processing-error";

    static final int FOUND_RESIDENT_ID = 1;
    static final int FOUND_MOBILE = 2;
    static final int FOUND_BANK_CARD = 4;

    private char[] run = new char[64];
    private final Window window = new Window();

    /** A view of part of the run buffer, so that identifier checks read it without a copy. */
    private final class Window implements CharSequence {
        int from;
        int length;

        Window at(int from, int length) {
            this.from = from;
            this.length = length;
            return this;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            return run[from + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new String(run, from + start, end - start);
        }

        @Override
        public String toString() {
            return new String(run, from, length);
        }
    }

    /** Whether the catalog's records are to be opened at all. */
    public static boolean isOpen(OpenType openType) {
        return openType == OpenType.OPEN;
    }

    /**
     * The failed checks of one masked record; null when it passes (nothing allocated then).
     *
     * @param open the masked record
     * @param source the record it was masked from (where the declared names are read)
     * @param catalog the compiled catalog: declared name fields and required fields
     */
    List<RuleFailure> check(GenericRecord open, GenericRecord source, OpenCatalog catalog) {
        List<RuleFailure> failures = null;
        Schema schema = open.getSchema();
        List<Schema.Field> fields = schema.getFields();
        for (int f = 0; f < fields.size(); f++) {
            Schema.Field field = fields.get(f);
            Object value = open.get(field.pos());
            if (value == null) {
                continue;
            }
            int found = scanValue(value);
            if (found != 0) {
                failures = add(failures, found, field.name());
            }
            if (catalog.nameFields().length > 0) {
                for (int n = 0; n < catalog.nameFields().length; n++) {
                    Object name = source.get(catalog.nameFields()[n]);
                    if (name != null && containsName(value, name.toString())) {
                        failures = add(
                                failures,
                                PERSON_NAME,
                                field.name(),
                                "field " + field.name() + " contains the full name of "
                                        + catalog.nameFieldNames()[n]
                                        + ", a natural person's name; expected it masked or dropped");
                    }
                }
            }
        }
        int[] required = catalog.requiredFields();
        for (int i = 0; i < required.length; i++) {
            Object value = open.get(required[i]);
            if (value == null || (value instanceof CharSequence text && isBlank(text))) {
                String name = schema.getFields().get(required[i]).name();
                failures = add(
                        failures,
                        REQUIRED,
                        name,
                        "field " + name + " is required for opening and is " + (value == null ? "null" : "blank")
                                + " after masking; expected a value");
            }
        }
        return failures;
    }

    private static List<RuleFailure> add(List<RuleFailure> failures, int found, String field) {
        if ((found & FOUND_RESIDENT_ID) != 0) {
            failures = add(
                    failures,
                    RESIDENT_ID,
                    field,
                    "field " + field
                            + " holds a complete resident ID (valid GB 11643 check character); expected it masked or dropped");
        }
        if ((found & FOUND_MOBILE) != 0) {
            failures = add(
                    failures,
                    MOBILE,
                    field,
                    "field " + field + " holds a mobile number; expected it masked or dropped");
        }
        if ((found & FOUND_BANK_CARD) != 0) {
            failures = add(
                    failures,
                    BANK_CARD,
                    field,
                    "field " + field
                            + " holds a bank card number (16 to 19 digits passing Luhn); expected it masked or dropped");
        }
        return failures;
    }

    static List<RuleFailure> add(List<RuleFailure> failures, String ruleId, String field, String reason) {
        List<RuleFailure> list = failures == null ? new ArrayList<>(2) : failures;
        list.add(new RuleFailure(ruleId, field, Severity.BLOCKING, reason));
        return list;
    }

    private static boolean isBlank(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code value} (a string, or strings inside records, arrays and maps) contains {@code name}. */
    private static boolean containsName(Object value, String name) {
        if (name.codePointCount(0, name.length()) < 2 || isBlank(name)) {
            return false;
        }
        if (value instanceof CharSequence text) {
            return text.toString().contains(name);
        }
        if (value instanceof GenericRecord record) {
            for (Schema.Field f : record.getSchema().getFields()) {
                Object v = record.get(f.pos());
                if (v != null && containsName(v, name)) {
                    return true;
                }
            }
        } else if (value instanceof Collection<?> items) {
            for (Object item : items) {
                if (item != null && containsName(item, name)) {
                    return true;
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (containsName(e.getKey(), name) || (e.getValue() != null && containsName(e.getValue(), name))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The kinds of personal number found in a value and in every string nested inside it. */
    int scanValue(Object value) {
        if (value instanceof CharSequence text) {
            return scan(text);
        }
        int found = 0;
        if (value instanceof GenericRecord record) {
            for (Schema.Field f : record.getSchema().getFields()) {
                Object v = record.get(f.pos());
                if (v != null) {
                    found |= scanValue(v);
                }
            }
        } else if (value instanceof Collection<?> items) {
            for (Object item : items) {
                if (item != null) {
                    found |= scanValue(item);
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                found |= scanValue(e.getKey());
                if (e.getValue() != null) {
                    found |= scanValue(e.getValue());
                }
            }
        }
        return found;
    }

    /** The kinds of personal number found in one text: a bit set of FOUND_*. */
    public int scan(CharSequence text) {
        int found = 0;
        int n = 0;
        int group = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (n == 0 && (i == 0 || !isAsciiLetterOrDigit(text.charAt(i - 1)))) {
                int skip = publicCreditCodeEnd(text, i);
                if (skip > i) {
                    i = skip - 1;
                    continue;
                }
            }
            int digit = digit(c);
            if (digit >= 0) {
                n = append(n, (char) ('0' + digit));
                group++;
            } else if (n > 0 && (c == 'X' || c == 'x' || c == 'Ｘ' || c == 'ｘ')) {
                n = append(n, 'X');
                found |= judge(n);
                n = 0;
                group = 0;
            } else if (n > 0 && (c == ' ' || c == '-') && group <= MAX_GROUP && nextGroup(text, i + 1) <= MAX_GROUP) {
                // a separator inside a number written in groups: the run goes on
                group = 0;
            } else if (n > 0) {
                found |= judge(n);
                n = 0;
                group = 0;
            }
        }
        if (n > 0) {
            found |= judge(n);
        }
        return found;
    }

    /**
     * The longest group a number is written in (an ID as 6-8-4, a mobile as 3-4-4, a card in fours):
     * a separator between longer groups ends the number, so that a code such as {@code
     * 11371700SCJG0002-2024…} does not join its parts into one long number.
     */
    private static final int MAX_GROUP = 8;

    /** The digits in a row from {@code from}; 0 when there is none (the separator then ends the number). */
    private static int nextGroup(CharSequence text, int from) {
        int k = 0;
        while (from + k < text.length() && digit(text.charAt(from + k)) >= 0) {
            k++;
        }
        return k == 0 ? Integer.MAX_VALUE : k;
    }

    /**
     * Where a unified social credit code that starts at {@code from} ends (18 characters of its
     * alphabet, standing alone, with a valid check character, and not also a valid resident ID);
     * {@code from} when there is none. Credit codes identify organisations and are public.
     */
    private static int publicCreditCodeEnd(CharSequence text, int from) {
        int end = from;
        while (end < text.length() && end - from <= CreditCodes.LENGTH && isCreditCodeCharacter(text.charAt(end))) {
            end++;
        }
        if (end - from != CreditCodes.LENGTH || (end < text.length() && isAsciiLetterOrDigit(text.charAt(end)))) {
            return from;
        }
        CharSequence token = text.subSequence(from, end);
        return CreditCodes.isValid(token) && !ResidentIds.isValid(token) ? end : from;
    }

    private static boolean isCreditCodeCharacter(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private int append(int n, char c) {
        if (n == run.length) {
            run = java.util.Arrays.copyOf(run, n * 2);
        }
        run[n] = c;
        return n + 1;
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= '０' && c <= '９') {
            return c - '０';
        }
        return -1;
    }

    /** What the run {@code run[0, n)} (digits, perhaps a final X) holds. */
    private int judge(int n) {
        int found = 0;
        for (int from = 0; from + ResidentIds.LENGTH <= n; from++) {
            if (ResidentIds.isValid(window.at(from, ResidentIds.LENGTH))) {
                found |= FOUND_RESIDENT_ID;
                break;
            }
        }
        int digits = run[n - 1] == 'X' ? n - 1 : n;
        if (isMobile(0, digits)
                || (digits == 13 && run[0] == '8' && run[1] == '6' && isMobile(2, 11))
                || (digits == 15
                        && run[0] == '0'
                        && run[1] == '0'
                        && run[2] == '8'
                        && run[3] == '6'
                        && isMobile(4, 11))) {
            found |= FOUND_MOBILE;
        }
        if (digits >= 16
                && digits <= 19
                && luhn(digits)
                && !(digits == CreditCodes.LENGTH && CreditCodes.isValid(window.at(0, digits)))) {
            found |= FOUND_BANK_CARD;
        }
        return found;
    }

    private boolean isMobile(int from, int length) {
        return length == 11 && run[from] == '1' && run[from + 1] >= '3' && run[from + 1] <= '9';
    }

    /** Luhn over {@code run[0, n)}: from the right, every second digit doubled. */
    private boolean luhn(int n) {
        int sum = 0;
        boolean twice = false;
        for (int i = n - 1; i >= 0; i--) {
            int d = run[i] - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /** Whether a card number passes Luhn (for generators and tests). */
    public static boolean luhnValid(CharSequence digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}
