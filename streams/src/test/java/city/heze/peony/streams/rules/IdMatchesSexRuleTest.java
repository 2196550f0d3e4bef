package city.heze.peony.streams.rules;

import static city.heze.peony.streams.rules.RuleFixtures.check;
import static city.heze.peony.streams.rules.RuleFixtures.onlyFailure;
import static city.heze.peony.streams.rules.RuleFixtures.rule;
import static city.heze.peony.streams.rules.RuleFixtures.symbol;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.avro.common.Sex;
import city.heze.peony.identifiers.ResidentIds;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdMatchesSexRuleTest {

    /** Defaults: fields residentId and sex. */
    private static final FieldRule MATCH = rule("sex.matches-id", RuleKind.ID_MATCHES_SEX, null);

    private static final String MAN = "360426199101010071"; // sequence 007: odd
    private static final String WOMAN = ResidentIds.generate("371702", LocalDate.of(1991, 1, 1), 2);

    @Test
    void theEncodedSexMatches() {
        assertThat(check(MATCH, "residentId", MAN, "sex", symbol("sex", "MALE")).allFailures())
                .isEmpty();
        assertThat(check(MATCH, "residentId", WOMAN, "sex", symbol("sex", "FEMALE"))
                        .allFailures())
                .isEmpty();
    }

    @Test
    void aSpecificEnumValueWorksToo() {
        assertThat(check(MATCH, "residentId", MAN, "sex", Sex.MALE).passed()).isTrue();
        assertThat(check(MATCH, "residentId", MAN, "sex", Sex.FEMALE).passed()).isFalse();
    }

    @Test
    void aMismatchFailsOnTheSexField() {
        RuleFailure failure = onlyFailure(MATCH, "residentId", MAN, "sex", symbol("sex", "FEMALE"));
        assertThat(failure.getField()).isEqualTo("sex");
        assertThat(failure.getReason())
                .isEqualTo("sex 'FEMALE': does not match residentId '360426199101010071', which encodes sex MALE");
    }

    @Test
    void unknownSexCannotContradictTheId() {
        assertThat(check(MATCH, "residentId", MAN, "sex", symbol("sex", "UNKNOWN"))
                        .allFailures())
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"MALE", "男", "1"})
    void textSexesAreRead(String male) {
        FieldRule text = rule("r", RuleKind.ID_MATCHES_SEX, null, "sexField", "sexText");
        assertThat(check(text, "residentId", MAN, "sexText", male).passed()).isTrue();
        assertThat(check(text, "residentId", "372922680402152", "sexText", male).passed())
                .as("legacy ID of a woman")
                .isFalse();
    }

    @Test
    void theSexFieldMustHoldMaleAndFemale() {
        assertThatThrownBy(() -> RuleFixtures.compile(rule("r", RuleKind.ID_MATCHES_SEX, null, "sexField", "status")))
                .isInstanceOf(RuleDefinitionException.class)
                .hasMessageContaining("field 'status' is enum city.heze.peony.test.Status without MALE and FEMALE");
        assertThatThrownBy(() -> RuleFixtures.compile(rule("r", RuleKind.ID_MATCHES_SEX, null, "sexField", "count")))
                .hasMessageContaining("field 'count' is int; expected enum with MALE and FEMALE, or string");
    }
}
