package city.heze.peony.producers.simulate;

import city.heze.peony.avro.common.RuleKind;
import java.util.Locale;

/**
 * The deliberate defects the simulator plants, one per defective record, each on a field that a
 * BLOCKING rule of the catalog checks, so that validation must reject exactly the defective records.
 */
public enum DefectKind {
    /** A resident ID whose check character is wrong (GB 11643). */
    BAD_RESIDENT_ID(RuleKind.RESIDENT_ID),
    /**
     * A credit code whose organisation check digit (position 17) is wrong. Not the final check
     * character: a wrong final character alone is only a warning (early pilot codes), and a defect
     * must be rejected.
     */
    BAD_CREDIT_CODE(RuleKind.CREDIT_CODE),
    /** An empty string (or null) where a REQUIRED rule wants a value. */
    MISSING_REQUIRED(RuleKind.REQUIRED),
    /** A date decades in the future where a DATE rule forbids the future. */
    FUTURE_DATE(RuleKind.DATE),
    /** A real division code of another city where a REGION_CODE rule wants one of Heze's. */
    REGION_OUTSIDE_HEZE(RuleKind.REGION_CODE);

    /** The constant's name in lower case with dashes: reports and meters use it. */
    private final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

    private final RuleKind rule;

    DefectKind(RuleKind rule) {
        this.rule = rule;
    }

    /** The name reports and meters use, e.g. {@code bad-resident-id}. */
    public String label() {
        return label;
    }

    /** The kind of rule that catches it. */
    public RuleKind rule() {
        return rule;
    }
}
