package city.heze.peony.streams.rules;

import static city.heze.peony.streams.rules.RuleFixtures.check;
import static city.heze.peony.streams.rules.RuleFixtures.onlyFailure;
import static city.heze.peony.streams.rules.RuleFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.avro.common.Severity;
import java.util.List;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class RequiredRuleTest {

    private static final FieldRule NAME = rule("name.required", RuleKind.REQUIRED, "optionalText");

    @Test
    void aValuePasses() {
        assertThat(check(NAME, "optionalText", "王芳").passed()).isTrue();
        assertThat(check(NAME, "optionalText", new Utf8("王芳")).passed()).isTrue();
    }

    @Test
    void nullFailsWithTheRuleIdFieldAndReason() {
        RuleFailure failure = onlyFailure(NAME);
        assertThat(failure.getRuleId()).isEqualTo("name.required");
        assertThat(failure.getField()).isEqualTo("optionalText");
        assertThat(failure.getSeverity()).isEqualTo(Severity.BLOCKING);
        assertThat(failure.getReason()).isEqualTo("optionalText is null, expected a value");
    }

    @Test
    void blankTextIsMissingToo() {
        assertThat(onlyFailure(NAME, "optionalText", " \u3000").getReason())
                .isEqualTo("optionalText is blank (' \u3000'), expected a value");
        assertThat(onlyFailure(NAME, "optionalText", new Utf8("")).getReason())
                .isEqualTo("optionalText is blank (''), expected a value");
    }

    @Test
    void anEmptyListIsMissing() {
        FieldRule tags = rule("tags.required", RuleKind.REQUIRED, "tags");
        assertThat(onlyFailure(tags, "tags", List.of()).getReason()).isEqualTo("tags is empty, expected a value");
        assertThat(check(tags, "tags", List.of("J18.9")).passed()).isTrue();
    }

    @Test
    void needsAFieldAndNoParameters() {
        assertThatThrownBy(() -> RuleFixtures.compile(rule("r", RuleKind.REQUIRED, null)))
                .isInstanceOf(RuleDefinitionException.class)
                .hasMessageContaining("rule 'r' (REQUIRED)")
                .hasMessageContaining("no field is named");
        assertThatThrownBy(() -> RuleFixtures.compile(rule("r", RuleKind.REQUIRED, "text", "min", "1")))
                .hasMessageContaining("unknown parameter 'min'; expected no parameters");
    }
}
