package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.identifiers.ResidentIds;
import org.apache.avro.Schema;

/**
 * {@code MOBILE}: a mainland mobile number, {@code (?:\+?86)?1[3-9]\d{9}}. Checked by hand rather
 * than by that regular expression, with the same result, because a phone number sits on many
 * records and a matcher per value is garbage for nothing. No parameters.
 */
final class MobileRule extends FieldValueRule {

    static final String PATTERN = "(?:\\+?86)?1[3-9]\\d{9}";

    private MobileRule(RuleDeclaration declaration, Schema.Field field) {
        super(declaration, field);
    }

    static MobileRule compile(RuleDeclaration declaration) {
        Schema.Field field = declaration.stringSubject();
        return new MobileRule(declaration, field);
    }

    @Override
    RuleFailure checkValue(Object value) {
        if (value instanceof CharSequence text && isMobileNumber(text)) {
            return null;
        }
        return failure(value, "not a mobile number, expected 11 digits 13x-19x, optionally after 86 or +86");
    }

    static boolean isMobileNumber(CharSequence text) {
        int length = text.length();
        int from;
        if (length == 11) {
            from = 0;
        } else if (length == 13 && text.charAt(0) == '8' && text.charAt(1) == '6') {
            from = 2;
        } else if (length == 14 && text.charAt(0) == '+' && text.charAt(1) == '8' && text.charAt(2) == '6') {
            from = 3;
        } else {
            return false;
        }
        char second = text.charAt(from + 1);
        return text.charAt(from) == '1'
                && second >= '3'
                && second <= '9'
                && ResidentIds.firstNonDigit(text, from + 2, length) == -1;
    }
}
