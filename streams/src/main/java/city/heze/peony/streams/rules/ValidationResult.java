package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a catalog's rules found in one record: the blocking failures, which reject it, and the
 * warnings, which let it through and are counted. A record with neither gets the one shared
 * {@link #ALL_RULES_PASSED}, so a clean record costs no allocation.
 */
public final class ValidationResult {

    public static final ValidationResult ALL_RULES_PASSED = new ValidationResult(List.of(), List.of());

    private final List<RuleFailure> blockingFailures;
    private final List<RuleFailure> warnings;

    private ValidationResult(List<RuleFailure> blockingFailures, List<RuleFailure> warnings) {
        this.blockingFailures = blockingFailures;
        this.warnings = warnings;
    }

    /** Lists the evaluator built and hands over; either may be null for none. */
    static ValidationResult of(List<RuleFailure> blockingFailures, List<RuleFailure> warnings) {
        if (blockingFailures == null && warnings == null) {
            return ALL_RULES_PASSED;
        }
        return new ValidationResult(frozen(blockingFailures), frozen(warnings));
    }

    private static List<RuleFailure> frozen(List<RuleFailure> failures) {
        return failures == null ? List.of() : Collections.unmodifiableList(failures);
    }

    /** Whether the record may be shared: no blocking failure (warnings do not fail a record). */
    public boolean passed() {
        return blockingFailures.isEmpty();
    }

    public boolean hasWarnings() {
        return !warnings.isEmpty();
    }

    /** The failures that reject the record, in the order the catalog declares its rules. */
    public List<RuleFailure> blockingFailures() {
        return blockingFailures;
    }

    /** The failures that are only counted, in the order the catalog declares its rules. */
    public List<RuleFailure> warnings() {
        return warnings;
    }

    /** Blocking failures first, then warnings: what a {@code Rejection} lists. */
    public List<RuleFailure> allFailures() {
        if (warnings.isEmpty()) {
            return blockingFailures;
        }
        if (blockingFailures.isEmpty()) {
            return warnings;
        }
        List<RuleFailure> all = new ArrayList<>(blockingFailures.size() + warnings.size());
        all.addAll(blockingFailures);
        all.addAll(warnings);
        return Collections.unmodifiableList(all);
    }

    @Override
    public String toString() {
        return "ValidationResult{blocking=" + blockingFailures + ", warnings=" + warnings + "}";
    }
}
