package city.heze.peony.producers.simulate;

import city.heze.peony.avro.common.RuleKind;

/**
 * The deliberate defects the simulator plants, one per defective record, each on a field that a
 * BLOCKING rule of the catalog checks, so that validation must reject exactly the defective records.
 */
public enum DefectKind {
    /** A resident ID whose check character is wrong (GB 11643). */
    BAD_RESIDENT_ID("bad-resident-id", RuleKind.RESIDENT_ID),
    /**
     * A credit code whose organisation check digit (position 17) is wrong. Not the final check
     * character: a wrong final character alone is only a warning (early pilot codes), and a defect
     * must be rejected.
     */
    BAD_CREDIT_CODE("bad-credit-code", RuleKind.CREDIT_CODE),
    /** An empty string (or null) where a REQUIRED rule wants a value. */
    MISSING_REQUIRED("missing-required", RuleKind.REQUIRED),
    /** A date decades in the future where a DATE rule forbids the future. */
    FUTURE_DATE("future-date", RuleKind.DATE),
    /** A real division code of another city where a REGION_CODE rule wants one of Heze's. */
    REGION_OUTSIDE_HEZE("region-outside-heze", RuleKind.REGION_CODE);

    private final String label;
    private final RuleKind rule;

    DefectKind(String label, RuleKind rule) {
        this.label = label;
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
