package city.heze.peony.producers.file;

import city.heze.peony.producers.convert.FileFormat;
import city.heze.peony.producers.convert.RowRejection;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code FILE.rejects}, beside the input: every line that was not published, after a {@code #} line
 * giving its number and reason. A CSV input's header comes first, so that once the {@code #} lines are
 * removed and the lines fixed, the file can be published again as it is. Opened on the first
 * rejection only; a run without rejections removes the file of an earlier run, so that the file
 * always speaks of the last run.
 */
public final class RejectsFile implements AutoCloseable {
    private final Path input;
    private final Path path;
    private final FileFormat format;
    private final PrintWriter err;
    private BufferedWriter out;
    private boolean unwritable;
    private long written;

    public RejectsFile(Path input, FileFormat format, PrintWriter err) {
        this.err = err;
        this.input = input;
        this.path = input.resolveSibling(input.getFileName() + ".rejects");
        this.format = format;
    }

    public Path path() {
        return path;
    }

    public long written() {
        return written;
    }

    /** Whether the file could not be written (a read-only folder): the rejections are on stderr only. */
    public boolean unwritable() {
        return unwritable;
    }

    public void write(RowRejection rejection) {
        if (unwritable) {
            return;
        }
        try {
            if (out == null) {
                open();
            }
            out.write("# line " + rejection.line() + ": " + rejection.message().replace('\n', ' '));
            out.newLine();
            out.write(rejection.text());
            out.newLine();
            written++;
        } catch (IOException e) {
            unwritable = true;
            err.println("peony publish: cannot write " + path + " (" + e.getMessage()
                    + "); bad lines are reported here only");
        }
    }

    private void open() throws IOException {
        out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        out.write("# peony publish: the lines of " + input.getFileName() + " that were not published, each after a"
                + " '#' line with its number and reason. Remove the '#' lines, fix the rest and publish again.");
        out.newLine();
        if (format == FileFormat.CSV) {
            String header = firstLine(input);
            if (header != null) {
                out.write(header);
                out.newLine();
            }
        }
    }

    private static String firstLine(Path file) {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(l -> !l.isEmpty())
                    .findFirst()
                    .map(l -> l.startsWith("\uFEFF") ? l.substring(1) : l)
                    .orElse(null);
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    /** Finishes the file; after a run without rejections, removes the one an earlier run left. */
    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        } else if (!unwritable) {
            Files.deleteIfExists(path);
        }
    }
}
