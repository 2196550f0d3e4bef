package city.heze.peony.producers.convert;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Converts rows of JSON or CSV into records of one catalog's Avro schema. Built once per schema:
 * every field's reader is resolved up front, so converting a row looks nothing up by name beyond
 * the JSON object's own keys. Thread-safe: it holds no per-row state.
 *
 * <p>See {@link ValueReaders} for what each Avro type accepts. A row that does not fit throws a
 * {@link ConversionException} naming the field's path and the reason.
 */
public final class RecordConverter {
    private final Schema schema;
    private final RecordReader reader;

    private RecordConverter(Schema schema, RecordReader reader) {
        this.schema = schema;
        this.reader = reader;
    }

    /**
     * @throws IllegalArgumentException if {@code schema} is not a record
     */
    public static RecordConverter forSchema(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("schema " + schema.getFullName() + " is a "
                    + schema.getType().getName() + "; expected a record schema");
        }
        return new RecordConverter(schema, new ValueReaders.Builder().record(schema));
    }

    /** The schema the records are built with (the same instance, so publishers can compare by identity). */
    public Schema schema() {
        return schema;
    }

    /** A record from a JSON object. */
    public GenericRecord fromJson(JsonNode object) {
        if (!object.isObject()) {
            throw ConversionException.of(
                    "expected a JSON object of record " + schema.getName() + ", found " + Found.json(object));
        }
        return (GenericRecord) reader.fromJson(object);
    }

    /** A record from one line of JSON Lines, read as a stream of tokens (no tree is built). */
    public GenericRecord fromJsonLine(String line) {
        try (JsonParser p = JsonText.STREAMING.createParser(line)) {
            return fromJsonLine(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does no I/O
        }
    }

    /** A record from one line of JSON Lines given as UTF-8 bytes (Jackson decodes them as it parses). */
    public GenericRecord fromJsonLine(byte[] utf8) {
        try (JsonParser p = JsonText.STREAMING.createParser(utf8)) {
            return fromJsonLine(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading an array does no I/O
        }
    }

    private GenericRecord fromJsonLine(JsonParser p) throws IOException {
        try {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw ConversionException.of("expected a JSON object of record " + schema.getName() + ", found "
                        + (first == null ? "nothing" : Found.json(ValueReader.tree(p))));
            }
            GenericRecord record = null;
            ConversionException problem = null;
            try {
                record = (GenericRecord) reader.fromParser(p);
            } catch (ConversionException e) {
                // Read on to the object's end first: broken JSON later in the line says more.
                problem = e;
                while (!(p.currentToken() == JsonToken.END_OBJECT
                        && p.getParsingContext().inRoot())) {
                    if (p.nextToken() == null) {
                        throw ConversionException.of("not valid JSON: the object is not closed");
                    }
                }
            }
            if (p.nextToken() != null) {
                throw ConversionException.of("not valid JSON: more after the object's end (column "
                        + p.currentLocation().getColumnNr() + "); expected one object a line");
            }
            if (problem != null) {
                throw problem;
            }
            return record;
        } catch (JsonProcessingException e) {
            throw ConversionException.of("not valid JSON: " + JsonText.describe(e));
        }
    }

    /**
     * How a CSV file's header maps onto the schema.
     *
     * @throws IllegalArgumentException naming the column: a column the schema does not have, a column
     *     given twice, or a field the schema requires (no default, not nullable) without a column
     */
    public CsvColumns csvColumns(List<String> header) {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).trim();
            if (schema.getField(name) == null) {
                throw new IllegalArgumentException("column " + (i + 1) + " '" + Found.cut(name) + "' is not a field of "
                        + schema.getFullName() + "; expected columns named after its fields: " + reader.fieldList());
            }
            Integer earlier = columns.put(name, i);
            if (earlier != null) {
                throw new IllegalArgumentException("column '" + name + "' appears twice (columns " + (earlier + 1)
                        + " and " + (i + 1) + "); expected each field once");
            }
        }
        int[] fieldColumn = new int[reader.fieldCount()];
        for (int f = 0; f < fieldColumn.length; f++) {
            Integer column = columns.get(reader.name(f));
            if (column == null && !reader.optional(f)) {
                throw new IllegalArgumentException("no column '" + reader.name(f) + "', which " + schema.getFullName()
                        + " requires (it has no default); expected a header with at least the required fields");
            }
            fieldColumn[f] = column == null ? -1 : column;
        }
        return new CsvColumns(header.size(), fieldColumn);
    }

    /**
     * A record from one CSV row. A null cell is an empty, unquoted cell: the field's default, or null,
     * or an empty string for a required string; a quoted empty cell ({@code ""}) is an empty string.
     */
    public GenericRecord fromCsv(CsvColumns columns, String[] cells) {
        if (cells.length != columns.width()) {
            throw ConversionException.of(
                    "expected " + columns.width() + " columns as in the header, found " + cells.length);
        }
        GenericData.Record record = new GenericData.Record(schema);
        int[] fieldColumn = columns.fieldColumn();
        for (int f = 0; f < fieldColumn.length; f++) {
            int column = fieldColumn[f];
            if (column < 0) {
                record.put(f, reader.absent(f));
                continue;
            }
            String cell = cells[column];
            record.put(f, cell == null ? reader.emptyCell(f) : reader.readText(f, cell));
        }
        return record;
    }

    /**
     * Which CSV column holds each field (-1: none, the field takes its default) and how many columns
     * a row must have.
     */
    public record CsvColumns(int width, int[] fieldColumn) {
        @Override
        public boolean equals(Object o) {
            return o instanceof CsvColumns other
                    && width == other.width
                    && Arrays.equals(fieldColumn, other.fieldColumn);
        }

        @Override
        public int hashCode() {
            return 31 * width + Arrays.hashCode(fieldColumn);
        }

        @Override
        public String toString() {
            return "CsvColumns[width=" + width + ", fieldColumn=" + Arrays.toString(fieldColumn) + "]";
        }
    }
}
