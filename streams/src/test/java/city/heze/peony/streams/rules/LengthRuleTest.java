package city.heze.peony.streams.rules;

import static city.heze.peony.streams.rules.RuleFixtures.check;
import static city.heze.peony.streams.rules.RuleFixtures.onlyFailure;
import static city.heze.peony.streams.rules.RuleFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleKind;
import java.util.List;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class LengthRuleTest {

    private static final FieldRule NAME = rule("name.length", RuleKind.LENGTH, "text", "min", "2", "max", "4");

    @Test
    void boundsAreInclusive() {
        assertThat(check(NAME, "text", "王芳").passed()).isTrue();
        assertThat(check(NAME, "text", "欧阳建国").passed()).isTrue();
        assertThat(onlyFailure(NAME, "text", "王").getReason())
                .isEqualTo("text '王': 1 characters, expected between 2 and 4");
        assertThat(onlyFailure(NAME, "text", "欧阳建国华").getReason())
                .isEqualTo("text '欧阳建国华': 5 characters, expected between 2 and 4");
    }

    @Test
    void countsCharactersNotUtf16UnitsOrBytes() {
        // 𠇔 is one character but two UTF-16 units; in UTF-8 each of these takes 3 or 4 bytes
        assertThat(check(NAME, "text", "𠇔明").passed()).isTrue();
        assertThat(check(NAME, "text", new Utf8("欧阳建国")).passed()).isTrue();
    }

    @Test
    void aLoneBoundIsEnough() {
        FieldRule atLeast = rule("r", RuleKind.LENGTH, "text", "min", "3");
        FieldRule atMost = rule("r", RuleKind.LENGTH, "text", "max", "3");
        assertThat(onlyFailure(atLeast, "text", "ab").getReason()).endsWith("expected at least 3");
        assertThat(onlyFailure(atMost, "text", "abcd").getReason()).endsWith("expected at most 3");
        assertThat(check(atLeast, "text", "abcdefgh").passed()).isTrue();
    }

    @Test
    void countsTheEntriesOfAList() {
        FieldRule tags = rule("r", RuleKind.LENGTH, "tags", "max", "2");
        assertThat(onlyFailure(tags, "tags", List.of("a", "b", "c")).getReason())
                .contains("3 entries, expected at most 2");
    }

    @Test
    void badBoundsAreRefusedWhenCompiling() {
        assertThatThrownBy(() -> RuleFixtures.compile(rule("r", RuleKind.LENGTH, "text", "min", "5", "max", "2")))
                .isInstanceOf(RuleDefinitionException.class)
                .hasMessageContaining("rule 'r' (LENGTH on field 'text')")
                .hasMessageContaining("min 5 is greater than max 2; expected min <= max");
        assertThatThrownBy(() -> RuleFixtures.compile(rule("r", RuleKind.LENGTH, "text")))
                .hasMessageContaining("neither 'min' nor 'max' is given");
        assertThatThrownBy(() -> RuleFixtures.compile(rule("r", RuleKind.LENGTH, "text", "min", "-1")))
                .hasMessageContaining("parameter 'min' is '-1'; expected a whole number of 0 or more");
        assertThatThrownBy(() -> RuleFixtures.compile(rule("r", RuleKind.LENGTH, "count", "min", "1")))
                .hasMessageContaining("field 'count' is int; expected string, array or map");
    }
}
