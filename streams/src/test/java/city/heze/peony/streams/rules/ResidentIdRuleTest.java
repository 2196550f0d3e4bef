package city.heze.peony.streams.rules;

import static city.heze.peony.streams.rules.RuleFixtures.TODAY;
import static city.heze.peony.streams.rules.RuleFixtures.check;
import static city.heze.peony.streams.rules.RuleFixtures.onlyFailure;
import static city.heze.peony.streams.rules.RuleFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.identifiers.ResidentIds;
import java.time.LocalDate;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResidentIdRuleTest {

    private static final FieldRule ANY = rule("id", RuleKind.RESIDENT_ID, "residentId");
    private static final FieldRule HEZE = rule("id", RuleKind.RESIDENT_ID, "residentId", "regions", "heze");
    private static final FieldRule NO_LEGACY = rule("id", RuleKind.RESIDENT_ID, "residentId", "allowLegacy15", "false");

    @ParameterizedTest
    @ValueSource(strings = {"360426199101010071", "34052419800101001X"})
    void theExamplesOfDomainMdPass(String id) {
        assertThat(check(ANY, "residentId", id).allFailures()).isEmpty();
        assertThat(check(ANY, "residentId", new Utf8(id)).allFailures()).isEmpty();
    }

    @Test
    void aWrongCheckCharacterIsNamedWithTheExpectedOne() {
        assertThat(onlyFailure(ANY, "residentId", "360426199101010072").getReason())
                .isEqualTo("residentId '360426199101010072': check character is '2', expected '1'");
        assertThat(onlyFailure(ANY, "residentId", "34052419800101001x").getReason())
                .isEqualTo("residentId '34052419800101001x': check character is 'x', expected 'X'");
    }

    @Test
    void lengthAndCharactersComeFirst() {
        assertThat(onlyFailure(ANY, "residentId", "36042619910101007").getReason())
                .isEqualTo("residentId '36042619910101007': 17 characters, expected 18 (or 15 for a legacy ID)");
        assertThat(onlyFailure(ANY, "residentId", "3604261991010100X1").getReason())
                .isEqualTo("residentId '3604261991010100X1': character 17 is 'X', expected a digit");
    }

    @Test
    void aBirthDateTodayPassesAndTomorrowFails() {
        assertThat(check(ANY, "residentId", ResidentIds.generate("371702", TODAY, 1))
                        .passed())
                .isTrue();
        String tomorrow = ResidentIds.generate("371702", TODAY.plusDays(1), 1);
        assertThat(onlyFailure(ANY, "residentId", tomorrow).getReason())
                .endsWith("birth date 2025-06-16 is in the future, expected on or before 2025-06-15");
    }

    @Test
    void aBirthDateThatIsNoDateFails() {
        String february30 = withBirth("19910230");
        assertThat(onlyFailure(ANY, "residentId", february30).getReason())
                .endsWith("birth date 19910230 is not a real date");
        assertThat(check(ANY, "residentId", withBirth("20000229")).passed()).isTrue();
        assertThat(check(ANY, "residentId", withBirth("19000229")).passed()).isFalse();
    }

    @Test
    void hezeCodesCurrentAndHistoricalPass() {
        LocalDate birth = LocalDate.of(1968, 4, 2);
        for (String code : new String[] {"371702", "371703", "371727", "371728", "372901", "372922", "372930"}) {
            String id = ResidentIds.generate(code, birth, 15);
            assertThat(check(HEZE, "residentId", id).allFailures()).as(code).isEmpty();
            assertThat(check(ANY, "residentId", id).allFailures()).as(code).isEmpty();
        }
    }

    @Test
    void developmentZoneCodesAreNeverOnAnId() {
        String zone = ResidentIds.generate("371771", LocalDate.of(1990, 1, 1), 11);
        assertThat(onlyFailure(HEZE, "residentId", zone).getReason())
                .endsWith("region code 371771 is the statistical code of 菏泽经济技术开发区, never on an ID; "
                        + "expected a division code such as 371702");
        assertThat(check(ANY, "residentId", zone).passed()).isFalse();
    }

    @Test
    void hezeOnlyRefusesOtherProvincesButAnyAcceptsThem() {
        assertThat(onlyFailure(HEZE, "residentId", "360426199101010071").getReason())
                .endsWith("region code 360426 is not a Heze division code, expected one of HezeRegions (3717xx, "
                        + "or 3729xx before 2000)");
    }

    @Test
    void insideHezesBlockOnlyRealCodesPassEvenForAny() {
        String unknownHeze = ResidentIds.generate("371799", LocalDate.of(1990, 1, 1), 11);
        assertThat(onlyFailure(ANY, "residentId", unknownHeze).getReason())
                .endsWith("region code 371799 is not a Heze division code, expected one of HezeRegions");
    }

    @Test
    void otherRegionsNeedAProvinceCode() {
        LocalDate birth = LocalDate.of(1990, 1, 1);
        assertThat(onlyFailure(ANY, "residentId", ResidentIds.generate("000000", birth, 1))
                        .getReason())
                .contains("region code 000000 names no province");
        assertThat(check(ANY, "residentId", ResidentIds.generate("990101", birth, 1))
                        .passed())
                .isFalse();
        assertThat(check(ANY, "residentId", ResidentIds.generate("710000", birth, 1))
                        .passed())
                .isFalse();
        assertThat(check(ANY, "residentId", ResidentIds.generate("650102", birth, 1))
                        .passed())
                .isTrue();
    }

    @Test
    void residencePermitsOfHongKongMacaoAndTaiwanResidents() {
        LocalDate birth = LocalDate.of(1985, 7, 1);
        for (String code : new String[] {"810000", "820000", "830000"}) {
            assertThat(check(ANY, "residentId", ResidentIds.generate(code, birth, 3))
                            .passed())
                    .as(code)
                    .isTrue();
        }
        assertThat(onlyFailure(ANY, "residentId", ResidentIds.generate("810100", birth, 3))
                        .getReason())
                .contains("use 810000, 820000 or 830000 exactly");
        assertThat(check(HEZE, "residentId", ResidentIds.generate("810000", birth, 3))
                        .passed())
                .isFalse();
    }

    @Test
    void legacyFifteenDigitIds() {
        assertThat(check(ANY, "residentId", "372922680402151").passed()).isTrue();
        assertThat(check(HEZE, "residentId", "372922680402151").passed()).isTrue();
        assertThat(onlyFailure(ANY, "residentId", "372922680230151").getReason())
                .endsWith("birth date 680230 is not a real date");
        assertThat(onlyFailure(ANY, "residentId", "37292268040215X").getReason())
                .endsWith("character 15 is 'X', expected a digit (legacy 15-digit ID)");
        assertThat(onlyFailure(NO_LEGACY, "residentId", "372922680402151").getReason())
                .isEqualTo("residentId '372922680402151': 15 characters, expected 18");
    }

    @Test
    void badParametersAreRefusedWhenCompiling() {
        assertThatThrownBy(() ->
                        RuleFixtures.compile(rule("id", RuleKind.RESIDENT_ID, "residentId", "regions", "shandong")))
                .isInstanceOf(RuleDefinitionException.class)
                .hasMessageContaining("rule 'id' (RESIDENT_ID on field 'residentId')")
                .hasMessageContaining("parameter 'regions' is 'shandong'; expected one of any, heze");
        assertThatThrownBy(() -> RuleFixtures.compile(rule("id", RuleKind.RESIDENT_ID, "birthDate")))
                .hasMessageContaining("field 'birthDate' is int/date; expected string");
    }

    /** An ID with the given birth digits and the check character that makes the rest right. */
    private static String withBirth(String yyyyMMdd) {
        String body = "371702" + yyyyMMdd + "123";
        return body + ResidentIds.checkCharacter(body);
    }
}
