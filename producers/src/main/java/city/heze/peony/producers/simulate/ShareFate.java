package city.heze.peony.producers.simulate;

/** What becomes of a simulated share application. */
public enum ShareFate {
    /** Approved before its deadline. */
    APPROVED("approved"),
    /** Refused before its deadline, with a reason. */
    REFUSED("refused"),
    /** Answered (approved) after its deadline: submitted long enough ago that any deadline has passed. */
    LATE("late"),
    /** Never answered, and already past its deadline, so the SLA counts it as not timely at once. */
    NEVER("never answered"),
    /** Withdrawn by the requesting department; not counted in the timely-share rate. */
    WITHDRAWN("withdrawn");

    private final String label;

    ShareFate(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
