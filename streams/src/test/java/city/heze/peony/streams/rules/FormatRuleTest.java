package city.heze.peony.streams.rules;

import static city.heze.peony.streams.rules.RuleFixtures.check;
import static city.heze.peony.streams.rules.RuleFixtures.onlyFailure;
import static city.heze.peony.streams.rules.RuleFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleKind;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatRuleTest {

    private static FieldRule format(String name) {
        return rule("text.format", RuleKind.FORMAT, "text", "format", name);
    }

    @ParameterizedTest(name = "{0} accepts {1}")
    @CsvSource({
        "digits, 0123456789",
        "postal-code, 274000",
        "chinese-name, 王芳",
        "chinese-name, 欧阳建国",
        "chinese-name, 阿依古丽·买买提",
        "chinese-name, 𠇔明", // a name character outside the basic plane
        "plate-number, 鲁R12345",
        "plate-number, 鲁RA2B3C",
        "plate-number, 鲁R1234挂",
        "plate-number, 鲁RD12345", // new energy, small car
        "plate-number, 鲁R12345D", // new energy, large vehicle
        "vin, LSVAU2180N2183294",
        "vin-check-digit, 1M8GDM9AXKP042788", // the ISO 3779 worked example
    })
    void acceptsItsFormat(String format, String value) {
        assertThat(check(format(format), "text", value).allFailures()).isEmpty();
        assertThat(check(format(format), "text", new Utf8(value)).allFailures()).isEmpty();
    }

    @ParameterizedTest(name = "{0} refuses {1}")
    @CsvSource({
        "digits, 12a4",
        "digits, １２３", // full-width digits
        "postal-code, 27400",
        "chinese-name, 王",
        "chinese-name, Wang Fang",
        "chinese-name, 王芳1",
        "chinese-name, ·王芳",
        "chinese-name, 阿依古丽··买买提",
        "chinese-name, 阿依古丽·",
        "plate-number, 鲁I12345", // no I as an authority letter
        "plate-number, 鲁R1234",
        "plate-number, XR12345",
        "vin, LSVAU2180N218329", // 16 characters
        "vin, LSVAU2180N218329O", // O is not used
        "vin-check-digit, 1M8GDM9A1KP042788", // check digit should be X
    })
    void refusesAnythingElse(String format, String value) {
        assertThat(check(format(format), "text", value).passed()).isFalse();
    }

    @Test
    void theReasonSaysWhatWasExpected() {
        assertThat(onlyFailure(format("postal-code"), "text", "2740").getReason())
                .isEqualTo("text '2740': not postal-code, expected a six-digit postal code");
    }

    @Test
    void anUnknownFormatIsRefusedWhenCompiling() {
        assertThatThrownBy(() -> RuleFixtures.compile(format("phone")))
                .isInstanceOf(RuleDefinitionException.class)
                .hasMessageContaining("rule 'text.format' (FORMAT on field 'text')")
                .hasMessageContaining("parameter 'format' is 'phone'; expected one of digits, postal-code,");
        assertThatThrownBy(() -> RuleFixtures.compile(rule("f", RuleKind.FORMAT, "text")))
                .hasMessageContaining("parameter 'format' is missing");
        assertThatThrownBy(() -> RuleFixtures.compile(rule("f", RuleKind.FORMAT, "count", "format", "digits")))
                .hasMessageContaining("field 'count' is int; expected string");
    }
}
