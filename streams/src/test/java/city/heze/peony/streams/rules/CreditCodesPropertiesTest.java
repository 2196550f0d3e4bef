package city.heze.peony.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.identifiers.CreditCodes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Properties of generated credit codes: they pass, and every single change of one is caught. */
class CreditCodesPropertiesTest {

    /** The code's own characters, the five letters it leaves out, and a lower-case letter. */
    private static final String SUBSTITUTES = CreditCodes.CHARACTERS + "IOZSVa";

    private final CatalogRules lenient =
            RuleFixtures.compile(RuleFixtures.rule("code", RuleKind.CREDIT_CODE, "creditCode"));
    private final CatalogRules strict = RuleFixtures.compile(
            RuleFixtures.rule("code", RuleKind.CREDIT_CODE, "creditCode", "pilotCodesAsWarning", "false"));

    @Test
    void generatedCodesAreValidAndPassTheRule() {
        ForAll.check(2_000, IdGenerators::creditCode, code -> {
            assertThat(CreditCodes.isValid(code)).isTrue();
            assertThat(lenient.evaluate(RuleFixtures.record("creditCode", code)).allFailures())
                    .isEmpty();
        });
    }

    @Test
    void everySingleCharacterChangeIsCaught() {
        ForAll.check(200, IdGenerators::creditCode, code -> {
            List<String> missed = new ArrayList<>();
            for (String changed : substitutions(code)) {
                if (CreditCodes.isValid(changed)) {
                    missed.add(changed + " (isValid)");
                }
                if (strict.evaluate(RuleFixtures.record("creditCode", changed)).passed()) {
                    missed.add(changed + " (strict rule)");
                }
                // The default rule keeps a code whose only fault is the final checksum, as a warning.
                if (lenient.evaluate(RuleFixtures.record("creditCode", changed))
                        .allFailures()
                        .isEmpty()) {
                    missed.add(changed + " (default rule)");
                }
            }
            assertThat(missed)
                    .as("substitutions of %s that were not caught", code)
                    .isEmpty();
        });
    }

    private static List<String> substitutions(String value) {
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < value.length(); i++) {
            for (char c : SUBSTITUTES.toCharArray()) {
                if (c != value.charAt(i)) {
                    changed.add(value.substring(0, i) + c + value.substring(i + 1));
                }
            }
        }
        return changed;
    }
}
