package city.heze.peony.producers.convert;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads and converts the rows of another source on a thread of its own, a batch ahead of the
 * caller, so that parsing and converting one part of a file overlaps with serializing and sending
 * the part before it: on two cores this is most of the difference between a publisher that keeps up
 * with the broker and one that does not. Rows come out in the file's order; an error of the source
 * comes out where it happened, after the rows before it.
 */
final class ReadAheadSource implements RecordSource {
    private static final int BATCH = 512;
    private static final int BATCHES_AHEAD = 8;

    /** A batch of rows, or the end of the source (possibly with the error that ended it). */
    private record Batch(Row[] rows, int size, IOException error, RuntimeException failure) {
        boolean last() {
            return size < rows.length || error != null || failure != null;
        }
    }

    private final RecordSource source;
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(BATCHES_AHEAD);
    private final Thread reader;
    private Batch current;
    private int at;
    private boolean done;

    ReadAheadSource(RecordSource source, String name) {
        this.source = source;
        this.reader = new Thread(this::readAll, "peony-read-ahead " + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void readAll() {
        try {
            while (true) {
                Row[] rows = new Row[BATCH];
                int n = 0;
                IOException error = null;
                RuntimeException failure = null;
                try {
                    while (n < BATCH) {
                        Row row = source.next();
                        if (row == null) {
                            break;
                        }
                        rows[n++] = row;
                    }
                } catch (IOException e) {
                    error = e;
                } catch (RuntimeException e) {
                    failure = e;
                }
                Batch batch = new Batch(rows, n, error, failure);
                queue.put(batch);
                if (batch.last()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed before the end: nobody reads on
        }
    }

    @Override
    public Row next() throws IOException {
        while (true) {
            if (done) {
                return null;
            }
            if (current != null && at < current.size()) {
                return current.rows()[at++];
            }
            if (current != null && current.last()) {
                done = true;
                if (current.error() != null) {
                    throw current.error();
                }
                if (current.failure() != null) {
                    throw current.failure();
                }
                return null;
            }
            try {
                current = queue.take();
                at = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading ahead");
            }
        }
    }

    @Override
    public void close() throws IOException {
        reader.interrupt();
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
