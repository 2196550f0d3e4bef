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

class RegexRuleTest {

    /** An ICD-10 code such as J18.9. */
    private static final FieldRule ICD10 =
            rule("cause.icd10", RuleKind.REGEX, "optionalText", "pattern", "[A-Z]\\d{2}(\\.\\d{1,2})?");

    @Test
    void theWholeValueMustMatch() {
        assertThat(check(ICD10, "optionalText", "J18.9").passed()).isTrue();
        assertThat(check(ICD10, "optionalText", new Utf8("I21")).passed()).isTrue();
        assertThat(onlyFailure(ICD10, "optionalText", "xJ18.9").getReason())
                .isEqualTo("optionalText 'xJ18.9': does not match, expected the whole value to match "
                        + "[A-Z]\\d{2}(\\.\\d{1,2})?");
    }

    @Test
    void anAbsentOptionalValueIsNotItsBusiness() {
        assertThat(check(ICD10).allFailures()).isEmpty();
    }

    @Test
    void anUnparseablePatternIsRefusedWhenCompiling() {
        assertThatThrownBy(() -> RuleFixtures.compile(rule("bad", RuleKind.REGEX, "text", "pattern", "[A-Z")))
                .isInstanceOf(RuleDefinitionException.class)
                .hasMessageContaining("rule 'bad' (REGEX on field 'text')")
                .hasMessageContaining("parameter 'pattern' is '[A-Z', which does not compile: Unclosed character class")
                .hasMessageContaining("expected a java.util.regex pattern");
        assertThatThrownBy(() -> RuleFixtures.compile(rule("bad", RuleKind.REGEX, "text")))
                .hasMessageContaining("parameter 'pattern' is missing");
    }
}
