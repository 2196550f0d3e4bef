package city.heze.peony.producers.file;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The outcome of publishing one file: lines read, records published (acknowledged by the broker,
 * and committed when the file went in one transaction), lines rejected as bad, records whose send
 * failed, whether the transaction was aborted, what stopped the reading early (bytes that are not
 * UTF-8), and where the rejects file is.
 */
public record PublicationReport(
        long read,
        long published,
        long rejected,
        long failed,
        boolean dryRun,
        boolean transactional,
        String abortReason,
        String stoppedBy,
        Duration elapsed,
        Path rejectsFile) {

    /** Zero when every line was published (or, in a dry run, would be), one otherwise. */
    public int exitCode() {
        return rejected == 0 && failed == 0 && abortReason == null && stoppedBy == null ? 0 : 1;
    }

    /** {@code read N, published N, rejected N}, then what else the user must know. */
    public String summary() {
        StringBuilder s = new StringBuilder("read ")
                .append(read)
                .append(", published ")
                .append(published)
                .append(", rejected ")
                .append(rejected);
        if (failed > 0) {
            s.append(", failed to send ").append(failed);
        }
        double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-3);
        s.append(String.format(" in %.1f s (%.0f lines/s)", seconds, read / seconds));
        if (dryRun) {
            s.append("; dry run: nothing was published, ")
                    .append(read - rejected)
                    .append(" lines would be");
        }
        if (abortReason != null) {
            s.append("; transaction aborted (").append(abortReason).append("): nothing of the file was published");
        }
        if (stoppedBy != null) {
            s.append("; stopped early: ").append(stoppedBy);
        }
        if (rejectsFile != null) {
            s.append("; bad lines are in ").append(rejectsFile);
        }
        return s.toString();
    }
}
