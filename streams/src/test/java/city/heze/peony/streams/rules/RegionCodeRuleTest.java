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
import org.junit.jupiter.params.provider.ValueSource;

class RegionCodeRuleTest {

    private static final FieldRule REGION = rule("region", RuleKind.REGION_CODE, "regionCode");
    private static final FieldRule CURRENT_ONLY =
            rule("region", RuleKind.REGION_CODE, "regionCode", "allowHistorical", "false");
    private static final FieldRule WITH_ZONES =
            rule("region", RuleKind.REGION_CODE, "regionCode", "allowDevelopmentZones", "true");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "371700", "371702", "371703", "371721", "371722", "371723", "371724", "371725", "371726", "371728",
                "371727", "372900", "372901", "372922", "372923", "372924", "372925", "372926", "372928", "372929",
                "372930"
            })
    void everyHezeDivisionCodeOfDomainMdPasses(String code) {
        assertThat(check(REGION, "regionCode", code).allFailures()).isEmpty();
        assertThat(check(REGION, "regionCode", new Utf8(code)).allFailures()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"370102", "371701", "371729", "372927", "37170", "3717022", "37170A"})
    void otherCodesFail(String code) {
        assertThat(onlyFailure(REGION, "regionCode", code).getReason())
                .isEqualTo("regionCode '" + code + "': not a Heze division code, expected six digits from "
                        + "HezeRegions, e.g. 371702 牡丹区");
    }

    @Test
    void historicalCodesCanBeRefused() {
        assertThat(onlyFailure(CURRENT_ONLY, "regionCode", "371727").getReason())
                .isEqualTo(
                        "regionCode '371727': a historical code (定陶县, until 2015), expected a current division code");
        assertThat(check(CURRENT_ONLY, "regionCode", "372922").passed()).isFalse();
        assertThat(check(CURRENT_ONLY, "regionCode", "371703").passed()).isTrue();
    }

    @Test
    void developmentZonesOnlyWhenAllowed() {
        assertThat(onlyFailure(REGION, "regionCode", "371771").getReason())
                .isEqualTo("regionCode '371771': the statistical code of 菏泽经济技术开发区, expected a division code "
                        + "(the rule does not allow development zones)");
        assertThat(check(WITH_ZONES, "regionCode", "371771").passed()).isTrue();
        assertThat(check(WITH_ZONES, "regionCode", "371772").passed()).isTrue();
    }

    @Test
    void badParametersAreRefusedWhenCompiling() {
        assertThatThrownBy(() ->
                        RuleFixtures.compile(rule("region", RuleKind.REGION_CODE, "regionCode", "allowZones", "true")))
                .isInstanceOf(RuleDefinitionException.class)
                .hasMessageContaining(
                        "unknown parameter 'allowZones'; expected only allowHistorical, " + "allowDevelopmentZones");
    }
}
