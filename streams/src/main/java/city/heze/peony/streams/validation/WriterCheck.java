package city.heze.peony.streams.validation;

/**
 * Whether records written with one schema id may be read as one version of a catalog: the answer
 * is cached per catalog version and schema id, so the registry is asked once, not per record.
 */
record WriterCheck(Verdict verdict, String reason, long retryAfterMs) {

    enum Verdict {
        ACCEPTED,
        UNKNOWN_SCHEMA,
        WRONG_SCHEMA
    }

    static final WriterCheck ACCEPTED = new WriterCheck(Verdict.ACCEPTED, null, Long.MAX_VALUE);

    static WriterCheck wrongSchema(String reason) {
        return new WriterCheck(Verdict.WRONG_SCHEMA, reason, Long.MAX_VALUE);
    }

    /** An unknown id may be registered later, so the answer is kept only until {@code retryAfterMs}. */
    static WriterCheck unknownSchema(String reason, long retryAfterMs) {
        return new WriterCheck(Verdict.UNKNOWN_SCHEMA, reason, retryAfterMs);
    }

    boolean accepted() {
        return verdict == Verdict.ACCEPTED;
    }

    boolean expired(long nowMs) {
        return nowMs >= retryAfterMs;
    }

    PoisonPill poisonPill() {
        return verdict == Verdict.UNKNOWN_SCHEMA ? PoisonPill.UNKNOWN_SCHEMA : PoisonPill.WRONG_SCHEMA;
    }
}
