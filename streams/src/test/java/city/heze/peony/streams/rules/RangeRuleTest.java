package city.heze.peony.streams.rules;

import static city.heze.peony.streams.rules.RuleFixtures.check;
import static city.heze.peony.streams.rules.RuleFixtures.onlyFailure;
import static city.heze.peony.streams.rules.RuleFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleKind;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.junit.jupiter.api.Test;

class RangeRuleTest {

    private static FieldRule range(String field, String min, String max) {
        return rule(field + ".range", RuleKind.RANGE, field, "min", min, "max", max);
    }

    @Test
    void wholeNumbersAreInsideInclusiveBounds() {
        FieldRule household = range("count", "1", "20");
        assertThat(check(household, "count", 1).passed()).isTrue();
        assertThat(check(household, "count", 20).passed()).isTrue();
        assertThat(onlyFailure(household, "count", 0).getReason())
                .isEqualTo("count '0': outside the range, expected between 1 and 20");
        assertThat(check(household, "count", 21).passed()).isFalse();
    }

    @Test
    void fractionalBoundsOnWholeNumbersRoundInward() {
        FieldRule amount = range("amount", "0.5", "100.5");
        assertThat(check(amount, "amount", 0L).passed()).isFalse();
        assertThat(check(amount, "amount", 1L).passed()).isTrue();
        assertThat(check(amount, "amount", 100L).passed()).isTrue();
        assertThat(check(amount, "amount", 101L).passed()).isFalse();
    }

    @Test
    void longsBeyondIntWork() {
        FieldRule amount = rule("r", RuleKind.RANGE, "amount", "min", "10000000000");
        assertThat(check(amount, "amount", 9_999_999_999L).passed()).isFalse();
        assertThat(check(amount, "amount", 10_000_000_000L).passed()).isTrue();
    }

    @Test
    void floatingPointValuesAndNaN() {
        FieldRule ratio = range("ratio", "0", "1");
        assertThat(check(ratio, "ratio", 0.0f).passed()).isTrue();
        assertThat(check(ratio, "ratio", 1.0f).passed()).isTrue();
        assertThat(check(ratio, "ratio", 1.01f).passed()).isFalse();
        assertThat(onlyFailure(ratio, "ratio", Float.NaN).getReason())
                .isEqualTo("ratio 'NaN': not a number, expected between 0 and 1");
        FieldRule score = rule("r", RuleKind.RANGE, "score", "max", "99.5");
        assertThat(check(score, "score", 99.5).passed()).isTrue();
        assertThat(check(score, "score", 99.51).passed()).isFalse();
        assertThat(check(score, "score", Double.NEGATIVE_INFINITY).passed()).isTrue();
    }

    @Test
    void decimalsDecodedOrAsRawBytes() {
        FieldRule money = range("money", "0", "99999.99");
        Schema bytesSchema = RuleFixtures.SAMPLE.getField("money").schema();
        ByteBuffer raw = new Conversions.DecimalConversion()
                .toBytes(new BigDecimal("100000.00"), bytesSchema, LogicalTypes.decimal(12, 2));
        assertThat(check(money, "money", new BigDecimal("99999.99")).passed()).isTrue();
        assertThat(onlyFailure(money, "money", raw).getReason())
                .isEqualTo("money '100000.00': outside the range, expected between 0 and 99999.99");
        assertThat(raw.remaining())
                .as("the rule must not consume the record's buffer")
                .isPositive();
        assertThat(check(money, "money", new BigDecimal("-0.01")).passed()).isFalse();
    }

    @Test
    void fixedDecimals() {
        FieldRule money = rule("r", RuleKind.RANGE, "fixedMoney", "min", "0");
        Schema fixedSchema = RuleFixtures.SAMPLE.getField("fixedMoney").schema();
        GenericFixed negative = new Conversions.DecimalConversion()
                .toFixed(new BigDecimal("-12.50"), fixedSchema, fixedSchema.getLogicalType());
        GenericFixed positive = new Conversions.DecimalConversion()
                .toFixed(new BigDecimal("12.50"), fixedSchema, fixedSchema.getLogicalType());
        assertThat(onlyFailure(money, "fixedMoney", negative).getReason())
                .isEqualTo("fixedMoney '-12.50': outside the range, expected at least 0");
        assertThat(check(money, "fixedMoney", positive).passed()).isTrue();
    }

    @Test
    void badDeclarationsAreRefusedWhenCompiling() {
        assertThatThrownBy(() -> RuleFixtures.compile(range("count", "10", "1")))
                .isInstanceOf(RuleDefinitionException.class)
                .hasMessageContaining("rule 'count.range' (RANGE on field 'count')")
                .hasMessageContaining("min 10 is greater than max 1; expected min <= max");
        assertThatThrownBy(() -> RuleFixtures.compile(range("count", "one", "10")))
                .hasMessageContaining("parameter 'min' is 'one'; expected a decimal number");
        assertThatThrownBy(() -> RuleFixtures.compile(range("text", "1", "10")))
                .hasMessageContaining("field 'text' is string; expected int, long, float, double or a decimal");
        assertThatThrownBy(() -> RuleFixtures.compile(range("plainBytes", "1", "10")))
                .hasMessageContaining("field 'plainBytes' is bytes without the decimal logical type");
        assertThatThrownBy(() -> RuleFixtures.compile(rule("r", RuleKind.RANGE, "count", "minimum", "1")))
                .hasMessageContaining("unknown parameter 'minimum'; expected only min, max");
    }
}
