package city.heze.peony.streams.rules;

import static city.heze.peony.streams.rules.RuleFixtures.check;
import static city.heze.peony.streams.rules.RuleFixtures.onlyFailure;
import static city.heze.peony.streams.rules.RuleFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleKind;
import java.util.regex.Pattern;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MobileRuleTest {

    private static final FieldRule PHONE = rule("phone.mobile", RuleKind.MOBILE, "phone");

    @ParameterizedTest
    @ValueSource(strings = {"13912345678", "19912345678", "8613912345678", "+8613912345678"})
    void mobileNumbersPass(String phone) {
        assertThat(check(PHONE, "phone", phone).passed()).isTrue();
        assertThat(check(PHONE, "phone", new Utf8(phone)).passed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "12912345678",
                "1391234567",
                "139123456789",
                "+861391234567",
                "+8513912345678",
                "0530-5312345",
                "139 1234 5678",
                "+86 13912345678",
                "８613912345678"
            })
    void otherNumbersFail(String phone) {
        assertThat(onlyFailure(PHONE, "phone", phone).getReason())
                .isEqualTo("phone '" + phone + "': not a mobile number, expected 11 digits 13x-19x, optionally after "
                        + "86 or +86");
    }

    @Test
    void anAbsentOptionalNumberIsNotItsBusiness() {
        assertThat(check(PHONE).allFailures()).isEmpty();
        assertThat(check(PHONE, "phone", "").allFailures()).isEmpty();
    }

    @Test
    void agreesWithTheRegularExpressionOfDomainMd() {
        Pattern pattern = Pattern.compile(MobileRule.PATTERN);
        ForAll.check(
                20_000,
                random -> {
                    String alphabet = "0123456789+8613";
                    StringBuilder text = new StringBuilder();
                    int length = 10 + random.nextInt(6);
                    String[] prefixes = {"", "86", "+86", "+8", "1"};
                    text.append(prefixes[random.nextInt(prefixes.length)]);
                    text.append('1').append((char) ('0' + random.nextInt(10)));
                    while (text.length() < length) {
                        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                    return text.toString();
                },
                text -> assertThat(MobileRule.isMobileNumber(text))
                        .as(text)
                        .isEqualTo(pattern.matcher(text).matches()));
    }

    @Test
    void takesNoParameters() {
        assertThatThrownBy(() -> RuleFixtures.compile(rule("m", RuleKind.MOBILE, "phone", "country", "86")))
                .isInstanceOf(RuleDefinitionException.class)
                .hasMessageContaining("rule 'm' (MOBILE on field 'phone')")
                .hasMessageContaining("unknown parameter 'country'; expected no parameters");
    }
}
