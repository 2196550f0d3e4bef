package city.heze.peony.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A throughput taken over a fixed window of steady state: the count of finished records (acknowledged
 * by the broker, or visible on an output topic) is read when the window opens, a settling time after
 * the measured thing started, and again when it closes, {@code length} later. Start-up (JIT, group
 * join, the first batches) and the tail (the last flush, the last commit) fall outside, so a row that
 * runs for seconds measures the same thing every time instead of a mix of ramp-up and work.
 *
 * <p>Both reads are timestamped where they happen, so the rate divides by the time between the reads
 * and not by the nominal length; a window whose work ran out early closes at that moment and says so
 * ({@link Rate#cutShort}), and work that ran out before the window opened is timed from its start.
 */
record SteadyWindow(Duration settle, Duration length) {

    /** The rate over the window: finished records per second, and whether the input ran out first. */
    record Rate(double recordsPerSecond, double seconds, long records, boolean cutShort) {}

    /** Settle plus window: how long the measured thing must be kept busy from its start. */
    Duration total() {
        return settle.plus(length);
    }

    /**
     * Measures on the calling thread: sleeps until the window opens ({@code startNanos} plus the
     * settling time), reads {@code finished}, sleeps the window's length (or until {@code exhausted}
     * says the work is all done), and reads it again.
     *
     * @param startNanos {@link System#nanoTime()} when the measured thing started working
     * @param finished records finished so far (monotonic)
     * @param exhausted true once no more records can finish (the input is used up)
     */
    Rate measure(long startNanos, LongSupplier finished, BooleanSupplier exhausted) {
        if (sleepUntil(startNanos + settle.toNanos(), exhausted)) {
            // All done before the window opened (a small input): the whole run, ramp-up included, is
            // all there is to time.
            long all = finished.getAsLong();
            double seconds = Math.max(System.nanoTime() - startNanos, 1) / 1e9;
            return new Rate(all / seconds, seconds, all, true);
        }
        long openCount = finished.getAsLong();
        long openNanos = System.nanoTime();
        boolean cut = sleepUntil(openNanos + length.toNanos(), exhausted);
        long closeCount = finished.getAsLong();
        long closeNanos = System.nanoTime();
        long records = closeCount - openCount;
        double seconds = Math.max(closeNanos - openNanos, 1) / 1e9;
        if (records <= 0) {
            // Nothing became visible in the window (a slow start on a busy machine, a first
            // transaction not yet committed): time the whole run to its end instead.
            if (!sleepUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(120), exhausted)) {
                throw new BenchFailure("no record finished in the " + String.format("%.1f", seconds)
                        + " s window nor in the 120 s after it");
            }
            long all = finished.getAsLong();
            double total = Math.max(System.nanoTime() - startNanos, 1) / 1e9;
            return new Rate(all / total, total, all, true);
        }
        return new Rate(records / seconds, seconds, records, cut);
    }

    /** Sleeps until {@code deadline}; true if it woke early because the work was exhausted. */
    private static boolean sleepUntil(long deadline, BooleanSupplier exhausted) {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (exhausted.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(Math.min(Math.max(left / 1_000_000, 1), OutputWatch.POLL_MILLIS * 4));
            } catch (InterruptedException e) {
                throw BenchCluster.interrupted(e);
            }
        }
    }
}
