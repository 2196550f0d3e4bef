package city.heze.peony.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * Sends at a steady offered rate for a latency measurement: record {@code i} is due {@code i /
 * rate} seconds after the start. The sender parks only once it is a millisecond or more ahead, so
 * that it makes at most a thousand parks a second whatever the rate (a park per record would cost
 * the measured system a system call each); within a millisecond records go out together, which
 * the producer's linger batches anyway. A sender that falls behind catches up without waiting, so
 * the offered rate holds on average, as an open-loop load does.
 */
final class Pacer {
    private static final long PARK_AHEAD_NANOS = 1_000_000;

    private final long start = System.nanoTime();
    private final double nanosPerRecord;

    Pacer(double recordsPerSecond) {
        if (!(recordsPerSecond > 0)) {
            throw new IllegalArgumentException("rate " + recordsPerSecond + ": expected more than 0 records/s");
        }
        this.nanosPerRecord = 1e9 / recordsPerSecond;
    }

    /** Waits until record {@code i} is due (within a millisecond). */
    void awaitTurn(long i) {
        long due = start + (long) (i * nanosPerRecord);
        long ahead;
        while ((ahead = due - System.nanoTime()) >= PARK_AHEAD_NANOS) {
            LockSupport.parkNanos(ahead);
        }
    }
}
