package city.heze.peony.streams.rules;

import static city.heze.peony.streams.rules.RuleFixtures.TODAY;
import static city.heze.peony.streams.rules.RuleFixtures.check;
import static city.heze.peony.streams.rules.RuleFixtures.onlyFailure;
import static city.heze.peony.streams.rules.RuleFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleKind;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DateRuleTest {

    private static final FieldRule BIRTH = rule("birth.date", RuleKind.DATE, "day");
    private static final FieldRule TEXT = rule("text.date", RuleKind.DATE, "text");
    private static final FieldRule STAMP = rule("stamp.date", RuleKind.DATE, "stamp");

    @Test
    void todayPassesAndTomorrowFails() {
        assertThat(check(BIRTH, "day", (int) TODAY.toEpochDay()).passed()).isTrue();
        assertThat(check(BIRTH, "day", TODAY).passed()).isTrue();
        assertThat(onlyFailure(BIRTH, "day", (int) TODAY.plusDays(1).toEpochDay())
                        .getReason())
                .isEqualTo("day '20255': 2025-06-16 is in the future, expected on or before today "
                        + "(2025-06-15, Asia/Shanghai)");
        assertThat(onlyFailure(BIRTH, "day", TODAY.plusDays(1)).getReason())
                .isEqualTo("day '2025-06-16': in the future, expected on or before today (2025-06-15, Asia/Shanghai)");
    }

    @Test
    void todayIsTheDayInHezeNotInUtc() {
        // 2025-06-15T16:30Z is already 00:30 on the 16th in Heze
        Clock justAfterMidnightInHeze = Clock.fixed(Instant.parse("2025-06-15T16:30:00Z"), ZoneOffset.UTC);
        Clock justBeforeMidnightInHeze = Clock.fixed(Instant.parse("2025-06-15T15:59:59.999Z"), ZoneOffset.UTC);
        var sixteenth =
                RuleFixtures.record("day", (int) LocalDate.of(2025, 6, 16).toEpochDay());
        assertThat(CatalogRules.compile(List.of(BIRTH), RuleFixtures.SAMPLE, justAfterMidnightInHeze)
                        .evaluate(sixteenth)
                        .passed())
                .isTrue();
        assertThat(CatalogRules.compile(List.of(BIRTH), RuleFixtures.SAMPLE, justBeforeMidnightInHeze)
                        .evaluate(sixteenth)
                        .passed())
                .isFalse();
    }

    @Test
    void theDefaultLowerBoundIs1900() {
        assertThat(check(BIRTH, "day", LocalDate.of(1900, 1, 1)).passed()).isTrue();
        assertThat(onlyFailure(BIRTH, "day", LocalDate.of(1899, 12, 31)).getReason())
                .isEqualTo("day '1899-12-31': before 1900-01-01, expected on or after it");
        assertThat(check(TEXT, "text", "0001-01-01").passed()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-29", "20240229", "2000-02-29", "1904-02-29"})
    void february29thOfALeapYearIsReal(String date) {
        assertThat(check(TEXT, "text", date).allFailures()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2023-02-29",
                "20230229",
                "1900-02-29",
                "2025-04-31",
                "2025-13-01",
                "2025-00-10",
                "2025-6-1",
                "2025/06/01",
                "250601",
                "yesterday"
            })
    void textThatIsNoRealDateFails(String date) {
        assertThat(onlyFailure(TEXT, "text", date).getReason())
                .isEqualTo("text '" + date + "': not a real date, expected " + DateEncoding.EXPECTED);
    }

    @Test
    void readsUtf8Text() {
        assertThat(check(TEXT, "text", new Utf8("20250615")).passed()).isTrue();
        assertThat(check(TEXT, "text", new Utf8("20250616")).passed()).isFalse();
    }

    @Test
    void timestampsAreJudgedByTheirDayInHeze() {
        long lastMillisecondOfToday = Instant.parse("2025-06-15T15:59:59.999Z").toEpochMilli();
        assertThat(check(STAMP, "stamp", lastMillisecondOfToday).passed()).isTrue();
        assertThat(check(STAMP, "stamp", lastMillisecondOfToday + 1).passed()).isFalse();
        assertThat(check(STAMP, "stamp", Instant.ofEpochMilli(lastMillisecondOfToday + 1))
                        .passed())
                .isFalse();
    }

    @Test
    void explicitBoundsAndFutureDates() {
        FieldRule approval = rule(
                "approved",
                RuleKind.DATE,
                "text",
                "notBefore",
                "2014-01-01",
                "notAfter",
                "2030-12-31",
                "allowFuture",
                "true");
        assertThat(check(approval, "text", "2014-01-01").passed()).isTrue();
        assertThat(check(approval, "text", "2030-12-31").passed()).isTrue();
        assertThat(onlyFailure(approval, "text", "2013-12-31").getReason())
                .isEqualTo("text '2013-12-31': before 2014-01-01, expected on or after it");
        assertThat(onlyFailure(approval, "text", "2031-01-01").getReason())
                .isEqualTo("text '2031-01-01': after 2030-12-31, expected on or before it");
    }

    @Test
    void badDeclarationsAreRefusedWhenCompiling() {
        assertThatThrownBy(() -> RuleFixtures.compile(rule("d", RuleKind.DATE, "count")))
                .isInstanceOf(RuleDefinitionException.class)
                .hasMessageContaining("rule 'd' (DATE on field 'count')")
                .hasMessageContaining("field 'count' is int; expected int/date, long/timestamp-millis or string");
        assertThatThrownBy(() -> RuleFixtures.compile(rule("d", RuleKind.DATE, "micros")))
                .hasMessageContaining("field 'micros' is long/timestamp-micros; expected int/date");
        assertThatThrownBy(() -> RuleFixtures.compile(rule("d", RuleKind.DATE, "day", "notBefore", "1.1.1900")))
                .hasMessageContaining("parameter 'notBefore' is '1.1.1900'; expected a date yyyy-MM-dd");
        assertThatThrownBy(() -> RuleFixtures.compile(
                        rule("d", RuleKind.DATE, "day", "notBefore", "2020-01-01", "notAfter", "2019-01-01")))
                .hasMessageContaining("notAfter 2019-01-01 is before notBefore 2020-01-01");
        assertThatThrownBy(() -> RuleFixtures.compile(rule("d", RuleKind.DATE, "day", "allowFuture", "yes")))
                .hasMessageContaining("parameter 'allowFuture' is 'yes'; expected true or false");
    }
}
