package city.heze.peony.producers.file;

import city.heze.peony.producers.DepartmentPublisher;
import city.heze.peony.producers.convert.InputFileException;
import city.heze.peony.producers.convert.RecordSource;
import city.heze.peony.producers.convert.Row;
import city.heze.peony.producers.convert.RowRejection;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes the rows of one file through a {@link DepartmentPublisher}: good rows are sent, bad
 * rows are reported (the first {@link #MAX_PRINTED} on stderr, all of them in the rejects file), and
 * a row counts as published only once the broker has acknowledged it, so the summary never claims a
 * record that could still be lost. With a transactional publisher the whole file is one transaction:
 * the first bad line aborts it, and the rest of the file is still read to report every bad line.
 * Without a publisher (a dry run) rows are only converted.
 */
public final class FilePublication {
    public static final int MAX_PRINTED = 20;
    private static final int PROGRESS_EVERY = 256;

    private final String catalogId;
    private final String file;
    private final RecordSource source;
    private final DepartmentPublisher publisher;
    private final RejectsFile rejects;
    private final PrintWriter err;
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Queue<RowRejection> sendFailures = new ConcurrentLinkedQueue<>();
    private long printed;
    private long reported;

    public FilePublication(
            String catalogId,
            String file,
            RecordSource source,
            DepartmentPublisher publisher,
            RejectsFile rejects,
            PrintWriter err) {
        this.catalogId = catalogId;
        this.file = file;
        this.source = source;
        this.publisher = publisher;
        this.rejects = rejects;
        this.err = err;
    }

    /** Records acknowledged so far (for the progress display). */
    public long acknowledged() {
        return acknowledged.sum();
    }

    public PublicationReport run(PublicationProgress progress) throws IOException {
        long started = System.nanoTime();
        boolean transactional = publisher != null && publisher.transactional();
        long read = 0;
        long rejected = 0;
        long sent = 0;
        String abortReason = null;
        if (transactional) {
            publisher.beginTransaction();
        }
        String stopped = null;
        try {
            for (Row row = source.next(); row != null; row = source.next()) {
                read++;
                if (read % PROGRESS_EVERY == 0) {
                    progress.read(read);
                    drainSendFailures(progress);
                }
                RowRejection rejection = row.rejection();
                if (rejection == null && publisher != null && abortReason == null) {
                    rejection = send(row);
                    if (rejection == null) {
                        sent++;
                        continue;
                    }
                }
                if (rejection != null) {
                    rejected++;
                    report(rejection, progress);
                    if (transactional && abortReason == null) {
                        abortReason = "line " + rejection.line() + " is bad";
                        publisher.abortTransaction();
                    }
                }
            }
        } catch (InputFileException e) {
            // The rest of the file cannot be read; what was sent before it is still acknowledged below.
            stopped = e.getMessage();
            progress.println(stopped);
            if (transactional && abortReason == null) {
                abortReason = "the file could not be read to its end";
                publisher.abortTransaction();
            }
        }
        progress.read(read);
        long published = 0;
        if (publisher != null) {
            if (transactional && abortReason == null) {
                try {
                    publisher.commitTransaction();
                    published = sent;
                } catch (KafkaException e) {
                    abortReason = "the commit failed: " + e.getMessage();
                    abortQuietly();
                }
            } else if (!transactional) {
                publisher.flush();
                published = acknowledged.sum();
            }
            if (!transactional) {
                drainSendFailures(progress);
            }
        }
        if (reported > printed) {
            progress.println("… and " + (reported - printed) + " more bad lines" + where());
        }
        return new PublicationReport(
                read,
                published,
                rejected,
                transactional ? 0 : failed.sum(),
                publisher == null,
                transactional,
                abortReason,
                stopped,
                Duration.ofNanos(System.nanoTime() - started),
                rejects.written() > 0 ? rejects.path() : null);
    }

    /** Sends a good row; a row the publisher refuses comes back as its rejection. */
    private RowRejection send(Row row) {
        long line = row.line();
        String text = row.text();
        try {
            publisher.send(catalogId, row.record()).whenComplete((metadata, error) -> {
                if (error == null) {
                    acknowledged.increment();
                } else {
                    failed.increment();
                    sendFailures.add(new RowRejection(
                            file, line, null, "not published: the send failed: " + error.getMessage(), text));
                }
            });
            return null;
        } catch (IllegalArgumentException e) {
            // A null key field, which the schema allowed but a Kafka key cannot be.
            return new RowRejection(file, line, null, e.getMessage(), text);
        }
    }

    private void drainSendFailures(PublicationProgress progress) {
        for (RowRejection failure = sendFailures.poll(); failure != null; failure = sendFailures.poll()) {
            report(failure, progress);
        }
    }

    private void report(RowRejection rejection, PublicationProgress progress) {
        reported++;
        rejects.write(rejection);
        if (printed < MAX_PRINTED) {
            printed++;
            progress.println(rejection.toString());
        }
    }

    private String where() {
        return rejects.unwritable() ? "" : ", all in " + rejects.path();
    }

    private void abortQuietly() {
        try {
            publisher.abortTransaction();
        } catch (KafkaException e) {
            err.println("peony publish: aborting the transaction failed too: " + e.getMessage());
        }
    }
}
