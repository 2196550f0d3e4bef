package city.heze.peony.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.avro.common.Severity;
import city.heze.peony.avro.common.Sex;
import city.heze.peony.identifiers.ResidentIds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Properties of generated resident IDs: they pass, and the checksum catches every single change. */
class ResidentIdsPropertiesTest {

    /** Every character a typist could put in an ID's place, and some no one should. */
    private static final String SUBSTITUTES = "0123456789Xx A-";

    private final CatalogRules anyRegion =
            RuleFixtures.compile(RuleFixtures.rule("id", RuleKind.RESIDENT_ID, "residentId"));
    private final CatalogRules hezeOnly =
            RuleFixtures.compile(RuleFixtures.rule("id", RuleKind.RESIDENT_ID, "residentId", "regions", "heze"));

    @Test
    void generatedIdsAreValidAndPassTheRule() {
        ForAll.check(2_000, IdGenerators::residentId, id -> {
            assertThat(ResidentIds.isValid(id)).isTrue();
            assertThat(anyRegion.evaluate(RuleFixtures.record("residentId", id)).allFailures())
                    .isEmpty();
        });
    }

    @Test
    void generatedHezeIdsPassTheHezeOnlyRule() {
        ForAll.check(
                1_000,
                IdGenerators::hezeResidentId,
                id -> assertThat(hezeOnly.evaluate(RuleFixtures.record("residentId", id))
                                .allFailures())
                        .isEmpty());
    }

    @Test
    void generatedIdsRoundTripTheirBirthDateAndSex() {
        ForAll.check(1_000, IdGenerators::residentId, id -> {
            int sequence = Integer.parseInt(id.substring(14, 17));
            assertThat(ResidentIds.generate(id.substring(0, 6), ResidentIds.birthDate(id), sequence))
                    .isEqualTo(id);
            assertThat(ResidentIds.sex(id)).isEqualTo(sequence % 2 == 1 ? Sex.MALE : Sex.FEMALE);
        });
    }

    @Test
    void everySingleCharacterChangeIsCaught() {
        ForAll.check(300, IdGenerators::residentId, id -> {
            List<String> missed = new ArrayList<>();
            for (String changed : singleSubstitutions(id)) {
                if (ResidentIds.isValid(changed)) {
                    missed.add(changed + " (isValid)");
                }
                List<RuleFailure> blocking = anyRegion
                        .evaluate(RuleFixtures.record("residentId", changed))
                        .blockingFailures();
                if (blocking.isEmpty()) {
                    missed.add(changed + " (rule)");
                } else {
                    assertThat(blocking.get(0).getSeverity()).isEqualTo(Severity.BLOCKING);
                }
            }
            assertThat(missed)
                    .as("substitutions of %s that were not caught", id)
                    .isEmpty();
        });
    }

    @Test
    void everySwapOfTwoNeighbouringDigitsIsCaught() {
        ForAll.check(300, IdGenerators::residentId, id -> {
            for (int i = 0; i < 16; i++) {
                if (id.charAt(i) == id.charAt(i + 1)) {
                    continue;
                }
                char[] swapped = id.toCharArray();
                swapped[i] = id.charAt(i + 1);
                swapped[i + 1] = id.charAt(i);
                assertThat(ResidentIds.isValid(new String(swapped)))
                        .as("swap at %d", i + 1)
                        .isFalse();
            }
        });
    }

    static List<String> singleSubstitutions(String value) {
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
