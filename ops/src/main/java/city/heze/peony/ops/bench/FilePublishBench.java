package city.heze.peony.ops.bench;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.producers.DepartmentPublisher;
import city.heze.peony.producers.convert.FileFormat;
import city.heze.peony.producers.convert.RecordConverter;
import city.heze.peony.producers.convert.RecordSource;
import city.heze.peony.producers.convert.Row;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.atomic.LongAdder;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * publish from a file: {@code peony publish}'s path on a JSON Lines file of the bench's records
 * (read ahead, parse, convert to the catalog's schema with {@link RecordConverter}, send with the
 * {@link DepartmentPublisher}), without the command's set-up (catalog look-up, line count) and its
 * reporting. Timed from opening the file to the return of {@code flush()}; writing the file and
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
     * Publishes every line of {@code file} (of {@code count} lines) to the catalog as {@code peony
     * publish} does: a read-ahead {@link RecordSource} (parsing and converting overlap with sending)
     * and a send per good row with a completion callback that counts acknowledgements; returns
     * records per second.
     */
    static double run(BenchCluster cluster, CatalogEntry catalog, Path file, int count) {
        try (DepartmentPublisher publisher = PublisherBench.publisher(cluster, catalog, "peony-bench-file-publisher")) {
            RecordConverter converter = RecordConverter.forSchema(publisher.schema());
            LongAdder acknowledged = new LongAdder();
            LongAdder failed = new LongAdder();
            long rejected = 0;
            String id = catalog.getId();
            long start = System.nanoTime();
            try (RecordSource source = RecordSource.readAhead(
                    RecordSource.open(file, FileFormat.JSON_LINES, converter), file.toString())) {
                for (Row row = source.next(); row != null; row = source.next()) {
                    if (row.accepted()) {
                        publisher.send(id, row.record()).whenComplete((metadata, error) -> {
                            if (error == null) {
                                acknowledged.increment();
                            } else {
                                failed.increment();
                            }
                        });
                    } else if (rejected++ == 0) {
                        System.err.println("peony bench: " + row.rejection());
                    }
                }
            } catch (IOException e) {
                throw new BenchFailure("cannot read the bench's JSON Lines file " + file + ": " + e.getMessage(), e);
            }
            publisher.flush();
            long end = System.nanoTime();
            if (rejected > 0) {
                throw new BenchFailure(rejected + " lines of the bench's own file " + file
                        + " were refused by the converter (the first is above): a bug of the bench or the converter");
            }
            if (failed.sum() > 0 || acknowledged.sum() != count) {
                throw new BenchFailure("publishing " + file + " to catalog " + id + ": " + acknowledged.sum() + " of "
                        + count + " records acknowledged, " + failed.sum() + " failed");
            }
            return count / ((end - start) / 1e9);
        }
    }
}
