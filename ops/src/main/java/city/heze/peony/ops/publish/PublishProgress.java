package city.heze.peony.ops.publish;

import city.heze.peony.producers.file.PublicationProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How far a publication has come: a progress bar with count, rate and ETA on a terminal, plain lines
 * every two seconds otherwise (a log or a CI job would fill up with redrawn bars). Lines read is
 * the unit; the total is the file's line count, measured before reading.
 */
abstract class PublishProgress implements PublicationProgress, AutoCloseable {

    /** Records that {@code lines} lines of the file have been read. */
    @Override
    public abstract void read(long lines);

    /** Prints a line about one bad row without breaking the display. */
    @Override
    public abstract void println(String line);

    @Override
    public abstract void close();

    static PublishProgress forConsole(String task, long totalLines, LongSupplier published, PrintWriter err) {
        return System.console() != null
                ? new Bar(task, totalLines, err)
                : new Periodic(task, totalLines, published, err, Duration.ofSeconds(2));
    }

    /** A progress bar on a terminal. */
    static final class Bar extends PublishProgress {
        private final ProgressBar bar;
        private final PrintWriter err;

        Bar(String task, long totalLines, PrintWriter err) {
            this.err = err;
            this.bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(totalLines)
                    .setUnit(" lines", 1)
                    .showSpeed()
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setUpdateIntervalMillis(250)
                    .setMaxRenderedLength(120)
                    .build();
        }

        @Override
        public void read(long lines) {
            bar.stepTo(lines);
        }

        @Override
        public void println(String line) {
            // Over the bar's line; the bar draws itself again below on its next tick.
            err.print("\r\033[2K" + line + "\n");
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** A line every {@code every}: lines read of the total, published, rate and ETA. */
    static final class Periodic extends PublishProgress {
        private final String task;
        private final long total;
        private final LongSupplier published;
        private final PrintWriter err;
        private final ScheduledExecutorService timer;
        private final long started = System.nanoTime();
        private volatile long lines;

        Periodic(String task, long total, LongSupplier published, PrintWriter err, Duration every) {
            this.task = task;
            this.total = total;
            this.published = published;
            this.err = err;
            this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "peony-publish-progress");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::report, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }

        private long lastLines;
        private long lastAt = started;

        private void report() {
            long now = lines;
            long at = System.nanoTime();
            // The rate of the last interval: a start slowed by warming up says little about the rest.
            double rate = (now - lastLines) / Math.max((at - lastAt) / 1e9, 1e-3);
            lastLines = now;
            lastAt = at;
            StringBuilder line = new StringBuilder(task).append(": read ").append(now);
            if (total > 0) {
                line.append(" of ~")
                        .append(total)
                        .append(" lines (")
                        .append(Math.min(100, 100 * now / total))
                        .append("%)");
            }
            line.append(", published ").append(published.getAsLong());
            line.append(String.format(", %.0f lines/s", rate));
            if (total > now && rate > 0) {
                line.append(String.format(", ETA %.0f s", (total - now) / rate));
            }
            err.println(line);
        }

        @Override
        public void read(long lines) {
            this.lines = lines;
        }

        @Override
        public void println(String line) {
            err.println(line);
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }
}
