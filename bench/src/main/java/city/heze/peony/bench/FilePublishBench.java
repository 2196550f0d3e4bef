package city.heze.peony.bench;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.producers.DepartmentPublisher;
import city.heze.peony.producers.convert.FileFormat;
import city.heze.peony.producers.convert.RecordConverter;
import city.heze.peony.producers.convert.RecordSource;
import city.heze.peony.producers.file.FilePublication;
import city.heze.peony.producers.file.PublicationProgress;
import city.heze.peony.producers.file.PublicationReport;
import city.heze.peony.producers.file.RejectsFile;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * publish from a file: {@code peony publish}'s own {@link FilePublication} on a JSON Lines file of
 * the bench's records (read ahead, parse, convert to the catalog's schema with {@link
 * RecordConverter}, send with the {@link DepartmentPublisher}, count acknowledgements), without the
 * command's set-up (catalog look-up, line count) and its progress display. Timed from opening the file to the return of {@code flush()}; writing the file and
 * building the publisher are not timed.
 */
final class FilePublishBench {

    private FilePublishBench() {}

    /** Writes the first {@code count} records as JSON Lines, in the forms a department's export has. */
    static Path writeJsonLines(BenchData data, int count, Path file) {
        Schema schema = data.schema();
        try (JsonGenerator json = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            json.setRootValueSeparator(null);
            for (int i = 0; i < count; i++) {
                GenericRecord r = data.record(i);
                json.writeStartObject();
                for (Schema.Field field : schema.getFields()) {
                    writeField(json, field.name(), r.get(field.pos()));
                }
                json.writeEndObject();
                json.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bench's JSON Lines file " + file, e);
        }
        return file;
    }

    private static void writeField(JsonGenerator json, String name, Object value) throws IOException {
        json.writeFieldName(name);
        switch (name) {
            case "registeredCapital" -> {
                ByteBuffer bytes = ((ByteBuffer) value).duplicate();
                byte[] unscaled = new byte[bytes.remaining()];
                bytes.get(unscaled);
                json.writeString(new BigDecimal(new BigInteger(unscaled), 2).toPlainString());
            }
            case "establishedOn" ->
                json.writeString(LocalDate.ofEpochDay((Integer) value).toString());
            default -> {
                if (value == null) {
                    json.writeNull();
                } else if (value instanceof Long l) {
                    json.writeNumber(l);
                } else if (value instanceof Integer n) {
                    json.writeNumber(n);
                } else {
                    json.writeString(value.toString());
                }
            }
        }
    }

    /**
     * Publishes every line of {@code file} (of {@code count} lines) to the catalog with {@link
     * FilePublication}, the loop {@code peony publish} runs: a read-ahead {@link RecordSource}
     * (parsing and converting overlap with sending), a send per good row counted once acknowledged,
     * rejects written beside the file; returns records per second.
     */
    static double run(BenchCluster cluster, CatalogEntry catalog, Path file, int count) {
        try (DepartmentPublisher publisher = PublisherBench.publisher(cluster, catalog, "peony-bench-file-publisher")) {
            RecordConverter converter = RecordConverter.forSchema(publisher.schema());
            String id = catalog.getId();
            long start = System.nanoTime();
            PublicationReport report;
            try (RecordSource source = RecordSource.readAhead(
                            RecordSource.open(file, FileFormat.JSON_LINES, converter), file.toString());
                    RejectsFile rejects = new RejectsFile(file, FileFormat.JSON_LINES, STDERR)) {
                report = new FilePublication(id, file.toString(), source, publisher, rejects, STDERR)
                        .run(BAD_LINES_ON_STDERR);
            } catch (IOException e) {
                throw new BenchFailure("cannot read the bench's JSON Lines file " + file + ": " + e.getMessage(), e);
            }
            long end = System.nanoTime();
            if (report.rejected() > 0) {
                throw new BenchFailure(report.rejected() + " lines of the bench's own file " + file
                        + " were refused (the first are above): a bug of the bench or the converter");
            }
            if (report.failed() > 0 || report.published() != count) {
                throw new BenchFailure("publishing " + file + " to catalog " + id + ": " + report.published() + " of "
                        + count + " records acknowledged, " + report.failed() + " failed");
            }
            return count / ((end - start) / 1e9);
        }
    }

    /** The bench shows no progress; a bad line (a bug) is printed as peony publish prints it. */
    /** The bench's own file should have no bad line; any that it has are shown on stderr. */
    private static final PrintWriter STDERR = new PrintWriter(System.err, true);

    private static final PublicationProgress BAD_LINES_ON_STDERR = new PublicationProgress() {
        @Override
        public void read(long lines) {}

        @Override
        public void println(String line) {
            System.err.println("peony bench: " + line);
        }
    };
}
