package city.heze.peony.streams.share;

import city.heze.peony.avro.common.RejectionKind;

/**
 * A share request or decision that cannot be accepted: it goes to {@code peony.rejected} with this
 * rule id, field and reason. Bad input is expected, not a bug, so no stack trace is filled in.
 */
public final class InvalidShareEvent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String ruleId;
    private final String field;
    private final RejectionKind kind;

    public InvalidShareEvent(String ruleId, String field, String reason) {
        this(RejectionKind.INVALID_SHARE_EVENT, ruleId, field, reason, null);
    }

    public InvalidShareEvent(RejectionKind kind, String ruleId, String field, String reason, Throwable cause) {
        super(reason, cause, false, false);
        this.kind = kind;
        this.ruleId = ruleId;
        this.field = field;
    }

    /** A stable id such as {@code share.refusal-without-reason}: shows up in rejections and metrics. */
    public String ruleId() {
        return ruleId;
    }

    /** The field at fault, or null for the whole record. */
    public String field() {
        return field;
    }

    public RejectionKind kind() {
        return kind;
    }

    /** What was found and what was expected. */
    public String reason() {
        return getMessage();
    }
}
