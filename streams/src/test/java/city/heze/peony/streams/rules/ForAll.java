package city.heze.peony.streams.rules;

import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small property-testing harness: a property is checked on many generated values from a seeded
 * generator, so a failure names the seed, the try and the value, and repeats exactly.
 *
 * <p>Why not jqwik: from 1.10 its maintainers ask that coding agents not use it (the "Anti-AI
 * Usage Clause" in its user guide), and these tests were written by one. The properties need only
 * generation and a reproducible report, not shrinking: a generated ID is already minimal.
 */
final class ForAll {

    /** Change to explore other values; a failure message names the seed to reproduce it with. */
    static final long SEED = Long.getLong("peony.property.seed", 20_251_129L);

    private ForAll() {}

    static <T> void check(int tries, Function<Random, T> generator, Consumer<T> property) {
        Random random = new Random(SEED);
        for (int attempt = 1; attempt <= tries; attempt++) {
            T value = generator.apply(random);
            try {
                property.accept(value);
            } catch (AssertionError e) {
                throw new AssertionError(
                        "falsified at try " + attempt + " of " + tries + " (seed " + SEED + ") by " + value + ": "
                                + e.getMessage(),
                        e);
            }
        }
    }
}
