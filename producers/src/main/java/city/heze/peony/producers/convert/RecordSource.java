package city.heze.peony.producers.convert;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rows of an input file, converted one by one into records of the catalog's schema: a bad row
 * comes back as a {@link RowRejection} and reading goes on, so one bad line never costs the rest of
 * the file. Files are UTF-8; bytes that are not UTF-8 stop the reading with an {@link
 * InputFileException} naming the line, since guessing another encoding would corrupt Chinese text.
 */
public interface RecordSource extends Closeable {

    /** The next row, converted or rejected, or null at the end of the file. */
    Row next() throws IOException;

    /**
     * The same rows, read and converted on a thread of its own ahead of the caller (see {@link
     * ReadAheadSource}); closing it closes {@code source}.
     */
    static RecordSource readAhead(RecordSource source, String name) {
        return new ReadAheadSource(source, name);
    }

    /**
     * Opens {@code file} in {@code format}; a CSV file's header is read and checked at once.
     *
     * @throws InputFileException for a CSV header that does not fit the schema, naming file and column
     * @throws IOException if the file cannot be opened
     */
    static RecordSource open(Path file, FileFormat format, RecordConverter converter) throws IOException {
        Utf8Lines reader = new Utf8Lines(Files.newInputStream(file));
        try {
            return switch (format) {
                case JSON_LINES -> new JsonLinesSource(file.toString(), reader, converter);
                case CSV -> new CsvSource(file.toString(), reader, converter);
            };
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }
}
