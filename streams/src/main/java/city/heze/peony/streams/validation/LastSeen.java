package city.heze.peony.streams.validation;

import city.heze.peony.streams.topology.CompactCodec;

/**
 * When a catalog last had a record (its timestamp, and when validation received it by wall
 * clock), and the day a stale report was last sent for it, so that a silent catalog gets one stale
 * report a day rather than one per punctuation.
 */
final class LastSeen {
    private static final int FORMAT = 1;

    private long lastRecordAt = ScorecardCounts.NONE;
    private long lastReceivedAt = ScorecardCounts.NONE;
    private long staleReportedForDay = ScorecardCounts.NONE;

    /** Whether the counts moved it forward. */
    boolean update(ScorecardCounts counts) {
        boolean changed = false;
        if (counts.lastRecordAt() > lastRecordAt) {
            lastRecordAt = counts.lastRecordAt();
            changed = true;
        }
        if (counts.lastReceivedAt() > lastReceivedAt) {
            lastReceivedAt = counts.lastReceivedAt();
            changed = true;
        }
        return changed;
    }

    long lastRecordAt() {
        return lastRecordAt;
    }

    long lastReceivedAt() {
        return lastReceivedAt;
    }

    long staleReportedForDay() {
        return staleReportedForDay;
    }

    void staleReportedForDay(long dayStart) {
        this.staleReportedForDay = dayStart;
    }

    byte[] toBytes() {
        return new CompactCodec.Writer(25)
                .writeByte(FORMAT)
                .writeLong(lastRecordAt)
                .writeLong(lastReceivedAt)
                .writeLong(staleReportedForDay)
                .toByteArray();
    }

    static LastSeen fromBytes(byte[] bytes) {
        CompactCodec.Reader in = new CompactCodec.Reader("catalog last seen", bytes).expectVersion(FORMAT);
        LastSeen seen = new LastSeen();
        seen.lastRecordAt = in.readLong();
        seen.lastReceivedAt = in.readLong();
        seen.staleReportedForDay = in.readLong();
        return seen;
    }
}
