package city.heze.peony.streams.rules;

import static city.heze.peony.streams.rules.RuleFixtures.check;
import static city.heze.peony.streams.rules.RuleFixtures.onlyFailure;
import static city.heze.peony.streams.rules.RuleFixtures.rule;
import static city.heze.peony.streams.rules.RuleFixtures.symbol;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleKind;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class EnumRuleTest {

    @Test
    void narrowsAnAvroEnum() {
        FieldRule active = rule("status.active", RuleKind.ENUM, "status", "symbols", "ACTIVE");
        assertThat(check(active, "status", symbol("status", "ACTIVE")).passed()).isTrue();
        assertThat(onlyFailure(active, "status", symbol("status", "REVOKED")).getReason())
                .isEqualTo("status 'REVOKED': not allowed, expected one of ACTIVE");
    }

    @Test
    void checksTextCodes() {
        FieldRule insurance = rule("r", RuleKind.ENUM, "text", "symbols", "EMPLOYEE, RESIDENT");
        assertThat(check(insurance, "text", "RESIDENT").passed()).isTrue();
        assertThat(check(insurance, "text", new Utf8("EMPLOYEE")).passed()).isTrue();
        assertThat(onlyFailure(insurance, "text", "employee").getReason())
                .isEqualTo("text 'employee': not allowed, expected one of EMPLOYEE, RESIDENT");
    }

    @Test
    void aSymbolTheEnumLacksIsRefusedWhenCompiling() {
        assertThatThrownBy(() -> RuleFixtures.compile(rule("r", RuleKind.ENUM, "status", "symbols", "ACTIVE,CANCELED")))
                .isInstanceOf(RuleDefinitionException.class)
                .hasMessageContaining("rule 'r' (ENUM on field 'status')")
                .hasMessageContaining("symbol 'CANCELED' is not in enum city.heze.peony.test.Status; "
                        + "expected some of ACTIVE, REVOKED, UNKNOWN");
        assertThatThrownBy(() -> RuleFixtures.compile(rule("r", RuleKind.ENUM, "text", "symbols", "A,,B")))
                .hasMessageContaining("parameter 'symbols' has an empty entry");
        assertThatThrownBy(() -> RuleFixtures.compile(rule("r", RuleKind.ENUM, "count", "symbols", "1")))
                .hasMessageContaining("field 'count' is int; expected enum or string");
    }
}
