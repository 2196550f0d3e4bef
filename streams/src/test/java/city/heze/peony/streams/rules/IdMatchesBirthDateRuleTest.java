package city.heze.peony.streams.rules;

import static city.heze.peony.streams.rules.RuleFixtures.check;
import static city.heze.peony.streams.rules.RuleFixtures.onlyFailure;
import static city.heze.peony.streams.rules.RuleFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.RuleKind;
import java.time.LocalDate;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class IdMatchesBirthDateRuleTest {

    /** Defaults: fields residentId and birthDate. */
    private static final FieldRule MATCH = rule("birth.matches-id", RuleKind.ID_MATCHES_BIRTH_DATE, null);

    private static final String ID = "360426199101010071";
    private static final LocalDate BIRTH = LocalDate.of(1991, 1, 1);

    @Test
    void theSameDatePassesWhetherDecodedOrAsADayCount() {
        assertThat(check(MATCH, "residentId", ID, "birthDate", BIRTH).allFailures())
                .isEmpty();
        assertThat(check(MATCH, "residentId", new Utf8(ID), "birthDate", (int) BIRTH.toEpochDay())
                        .allFailures())
                .isEmpty();
    }

    @Test
    void anotherDateFailsOnTheBirthDateField() {
        RuleFailure failure = onlyFailure(
                MATCH, "residentId", ID, "birthDate", (int) BIRTH.plusDays(1).toEpochDay());
        assertThat(failure.getRuleId()).isEqualTo("birth.matches-id");
        assertThat(failure.getField()).isEqualTo("birthDate");
        assertThat(failure.getReason())
                .isEqualTo("birthDate '1991-01-02': does not match residentId '360426199101010071', which encodes "
                        + "birth date 1991-01-01");
    }

    @Test
    void legacyIdsEncodeTheNineteenHundreds() {
        assertThat(check(MATCH, "residentId", "372922680402151", "birthDate", LocalDate.of(1968, 4, 2))
                        .passed())
                .isTrue();
        assertThat(check(MATCH, "residentId", "372922680402151", "birthDate", LocalDate.of(2068, 4, 2))
                        .passed())
                .isFalse();
    }

    @Test
    void absentOrUndecodableValuesAreLeftToTheirOwnRules() {
        assertThat(check(MATCH, "birthDate", BIRTH).allFailures()).isEmpty();
        assertThat(check(MATCH, "residentId", ID).allFailures()).isEmpty();
        assertThat(check(MATCH, "residentId", "not an id", "birthDate", BIRTH).allFailures())
                .isEmpty();
    }

    @Test
    void fieldsCanBeNamedByParameterOrByTheRulesField() {
        FieldRule textDates = rule("r", RuleKind.ID_MATCHES_BIRTH_DATE, null, "birthDateField", "text");
        assertThat(check(textDates, "residentId", ID, "text", "19910101").passed())
                .isTrue();
        assertThat(check(textDates, "residentId", ID, "text", "1991-01-02").passed())
                .isFalse();
        FieldRule onField = rule("r", RuleKind.ID_MATCHES_BIRTH_DATE, "creditCode", "birthDateField", "day");
        assertThat(check(onField, "creditCode", ID, "day", BIRTH).passed()).isTrue();
    }

    @Test
    void badDeclarationsAreRefusedWhenCompiling() {
        assertThatThrownBy(() -> RuleFixtures.compile(
                        rule("r", RuleKind.ID_MATCHES_BIRTH_DATE, null, "birthDateField", "dateOfBirth")))
                .isInstanceOf(RuleDefinitionException.class)
                .hasMessageContaining("rule 'r' (ID_MATCHES_BIRTH_DATE)")
                .hasMessageContaining("field 'dateOfBirth' (parameter birthDateField) is not in schema "
                        + "city.heze.peony.test.Sample; expected one of text, optionalText,");
        assertThatThrownBy(() -> RuleFixtures.compile(
                        rule("r", RuleKind.ID_MATCHES_BIRTH_DATE, "residentId", "residentIdField", "text")))
                .hasMessageContaining("field 'residentId' and parameter residentIdField 'text' disagree");
        assertThatThrownBy(() -> RuleFixtures.compile(
                        rule("r", RuleKind.ID_MATCHES_BIRTH_DATE, null, "birthDateField", "count")))
                .hasMessageContaining("field 'count' is int; expected int/date");
    }
}
