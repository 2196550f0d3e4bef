package city.heze.peony.streams.validation;

import city.heze.peony.streams.topology.CompactCodec;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one catalog received in one hour, as seen by one validation task or summed over several:
 * received, passed, failed, warnings, failed records per rule id, and when the last record was
 * stamped and received. Mutable, so that the hot path counts in place.
 */
final class ScorecardCounts {
    static final long NONE = Long.MIN_VALUE;
    private static final int FORMAT = 1;

    private String department;
    private long received;
    private long passed;
    private long failed;
    private long warnings;
    private final TreeMap<String, Long> failuresByRule = new TreeMap<>();
    private long lastRecordAt = NONE;
    private long lastReceivedAt = NONE;

    ScorecardCounts(String department) {
        this.department = department;
    }

    /** A record that passed every blocking rule, with {@code warningCount} warnings. */
    void countPassed(long recordTimestamp, long receivedAt, int warningCount) {
        received++;
        passed++;
        warnings += warningCount;
        seen(recordTimestamp, receivedAt);
    }

    /** A rejected record: each failed blocking rule (or the poison-pill rule id) counts once. */
    void countFailed(long recordTimestamp, long receivedAt, Iterable<String> failedRuleIds, int warningCount) {
        received++;
        failed++;
        warnings += warningCount;
        for (String ruleId : failedRuleIds) {
            failuresByRule.merge(ruleId, 1L, Long::sum);
        }
        seen(recordTimestamp, receivedAt);
    }

    private void seen(long recordTimestamp, long receivedAt) {
        lastRecordAt = Math.max(lastRecordAt, recordTimestamp);
        lastReceivedAt = Math.max(lastReceivedAt, receivedAt);
    }

    /** Adds another task's counts (scorecards sum the partials of every task). */
    void add(ScorecardCounts other) {
        if (other.department != null) {
            department = other.department;
        }
        received += other.received;
        passed += other.passed;
        failed += other.failed;
        warnings += other.warnings;
        other.failuresByRule.forEach((rule, count) -> failuresByRule.merge(rule, count, Long::sum));
        lastRecordAt = Math.max(lastRecordAt, other.lastRecordAt);
        lastReceivedAt = Math.max(lastReceivedAt, other.lastReceivedAt);
    }

    String department() {
        return department;
    }

    void department(String department) {
        this.department = department;
    }

    long received() {
        return received;
    }

    long passed() {
        return passed;
    }

    long failed() {
        return failed;
    }

    long warnings() {
        return warnings;
    }

    Map<String, Long> failuresByRule() {
        return failuresByRule;
    }

    long lastRecordAt() {
        return lastRecordAt;
    }

    long lastReceivedAt() {
        return lastReceivedAt;
    }

    void write(CompactCodec.Writer out) {
        out.writeByte(FORMAT)
                .writeString(department == null ? "" : department)
                .writeLong(received)
                .writeLong(passed)
                .writeLong(failed)
                .writeLong(warnings)
                .writeLong(lastRecordAt)
                .writeLong(lastReceivedAt)
                .writeInt(failuresByRule.size());
        failuresByRule.forEach((rule, count) -> out.writeString(rule).writeLong(count));
    }

    byte[] toBytes() {
        CompactCodec.Writer out = new CompactCodec.Writer(64 + 24 * failuresByRule.size());
        write(out);
        return out.toByteArray();
    }

    static ScorecardCounts read(CompactCodec.Reader in) {
        in.expectVersion(FORMAT);
        String department = in.readString();
        ScorecardCounts counts = new ScorecardCounts(department.isEmpty() ? null : department);
        counts.received = in.readLong();
        counts.passed = in.readLong();
        counts.failed = in.readLong();
        counts.warnings = in.readLong();
        counts.lastRecordAt = in.readLong();
        counts.lastReceivedAt = in.readLong();
        int rules = in.readInt();
        for (int i = 0; i < rules; i++) {
            counts.failuresByRule.put(in.readString(), in.readLong());
        }
        return counts;
    }

    static ScorecardCounts fromBytes(byte[] bytes) {
        return read(new CompactCodec.Reader("scorecard counts", bytes));
    }

    @Override
    public String toString() {
        return "ScorecardCounts{" + department + " received=" + received + " passed=" + passed + " failed=" + failed
                + " warnings=" + warnings + " failures=" + failuresByRule + "}";
    }
}
