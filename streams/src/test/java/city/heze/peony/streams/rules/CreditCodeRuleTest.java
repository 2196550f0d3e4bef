package city.heze.peony.streams.rules;

import static city.heze.peony.streams.rules.RuleFixtures.check;
import static city.heze.peony.streams.rules.RuleFixtures.onlyFailure;
import static city.heze.peony.streams.rules.RuleFixtures.rule;
import static city.heze.peony.streams.rules.RuleFixtures.warningRule;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.avro.common.Severity;
import city.heze.peony.identifiers.CreditCodes;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class CreditCodeRuleTest {

    private static final FieldRule CODE = rule("code", RuleKind.CREDIT_CODE, "creditCode");
    private static final FieldRule STRICT =
            rule("code", RuleKind.CREDIT_CODE, "creditCode", "pilotCodesAsWarning", "false");

    @Test
    void theExampleOfDomainMdPasses() {
        assertThat(check(CODE, "creditCode", "91110000600037341L").allFailures())
                .isEmpty();
        assertThat(check(CODE, "creditCode", new Utf8("91110000600037341L")).allFailures())
                .isEmpty();
    }

    @Test
    void aCodeFailingOnlyTheFinalChecksumIsAWarningEvenForABlockingRule() {
        var result = check(CODE, "creditCode", "91110000600037341M");
        assertThat(result.passed()).isTrue();
        assertThat(result.blockingFailures()).isEmpty();
        RuleFailure warning = result.warnings().get(0);
        assertThat(warning.getSeverity()).isEqualTo(Severity.WARNING);
        assertThat(warning.getReason())
                .isEqualTo("creditCode '91110000600037341M': check character is 'M', expected 'L'; "
                        + "kept with a warning as a possible early pilot code");
    }

    @Test
    void strictRulesBlockEveryChecksumFailure() {
        RuleFailure failure = onlyFailure(STRICT, "creditCode", "91110000600037341M");
        assertThat(failure.getSeverity()).isEqualTo(Severity.BLOCKING);
        assertThat(failure.getReason())
                .isEqualTo("creditCode '91110000600037341M': check character is 'M', expected 'L'");
    }

    @Test
    void aWarningRuleStaysAWarning() {
        FieldRule warning = warningRule("code", RuleKind.CREDIT_CODE, "creditCode");
        assertThat(onlyFailure(warning, "creditCode", "9111000060003734").getSeverity())
                .isEqualTo(Severity.WARNING);
    }

    @Test
    void structuralFaultsAreBlockingWithTheirReason() {
        assertThat(onlyFailure(CODE, "creditCode", "9111000060003734").getReason())
                .isEqualTo("creditCode '9111000060003734': 16 characters, expected 18");
        assertThat(onlyFailure(CODE, "creditCode", "91110000600O37341L").getReason())
                .isEqualTo("creditCode '91110000600O37341L': character 12 is 'O', expected one of "
                        + "0123456789ABCDEFGHJKLMNPQRTUWXY (no I, O, Z, S, V)");
        assertThat(onlyFailure(CODE, "creditCode", "B1110000600037341L").getReason())
                .endsWith("registering authority 'B' is unknown, expected one of 123456789ANY");
        assertThat(onlyFailure(CODE, "creditCode", "91990000600037341L").getReason())
                .endsWith("division code 990000 is not one, expected six digits starting with a province code "
                        + "(11 to 65) or 10");
        RuleFailure organisation = onlyFailure(CODE, "creditCode", "91110000600037342L");
        assertThat(organisation.getSeverity()).isEqualTo(Severity.BLOCKING);
        assertThat(organisation.getReason()).endsWith("organisation-code check character is '2', expected '1'");
    }

    @Test
    void centralLevelCodesUseDivision100000() {
        String central = CreditCodes.generate('1', '1', "100000", "00001312");
        assertThat(check(STRICT, "creditCode", central).allFailures()).isEmpty();
    }
}
