package city.heze.peony.producers.convert;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Reads a record: each field by its own reader, a missing field from its default (or null when its
 * type admits null), and a field the schema does not have is an error, since it is most often a
 * misspelt optional field that would otherwise be silently dropped.
 */
final class RecordReader extends ValueReader {
    private final Schema schema;
    private final String[] names;
    private final Schema.Field[] fields;
    private final Map<String, Integer> positions = new HashMap<>();
    private ValueReader[] readers;
    private Object[] defaults;
    private boolean[] hasDefault;
    private boolean[] copyDefault;

    RecordReader(Schema schema) {
        this.schema = schema;
        this.fields = schema.getFields().toArray(Schema.Field[]::new);
        this.names = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            names[i] = fields[i].name();
            positions.put(names[i], i);
        }
    }

    /** Completes the reader once its field readers exist (a recursive schema needs this reader first). */
    void init(ValueReader[] fieldReaders) {
        this.readers = fieldReaders;
        this.defaults = new Object[fields.length];
        this.hasDefault = new boolean[fields.length];
        this.copyDefault = new boolean[fields.length];
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].hasDefaultValue()) {
                hasDefault[i] = true;
                defaults[i] = GenericData.get().getDefaultValue(fields[i]);
                Object d = defaults[i];
                // Mutable defaults are copied per row: rows must not share one list or buffer.
                copyDefault[i] = d instanceof ByteBuffer
                        || d instanceof Collection<?>
                        || d instanceof Map<?, ?>
                        || d instanceof IndexedRecord
                        || d instanceof GenericFixed;
            }
        }
    }

    Schema schema() {
        return schema;
    }

    int fieldCount() {
        return fields.length;
    }

    String name(int position) {
        return names[position];
    }

    Schema.Field field(int position) {
        return fields[position];
    }

    @Override
    Object fromJson(JsonNode node) {
        if (!node.isObject()) {
            throw wrong(node);
        }
        GenericData.Record record = new GenericData.Record(schema);
        int present = 0;
        int missing = -1;
        for (int i = 0; i < names.length; i++) {
            JsonNode value = node.get(names[i]);
            if (value == null) {
                if (optional(i)) {
                    record.put(i, absent(i));
                } else if (missing < 0) {
                    missing = i;
                }
            } else {
                present++;
                record.put(i, read(i, value));
            }
        }
        if (present < node.size()) {
            // Before the missing field: a misspelt name is both, and the misspelling is the news.
            throw unknownField(node, missing);
        }
        if (missing >= 0) {
            absent(missing); // throws, naming the field
        }
        return record;
    }

    /**
     * The streaming form of {@link #fromJson}, used for every JSON Lines row: fields are read in the
     * order the row gives them, by position, without building a tree.
     */
    @Override
    Object fromParser(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw wrong(p);
        }
        GenericData.Record record = new GenericData.Record(schema);
        boolean[] seen = new boolean[names.length];
        String unknown = null;
        int next = 0; // files write fields in the schema's order, mostly: try the next one before the map
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            int i;
            if (next < names.length && names[next].equals(name)) {
                i = next;
            } else {
                Integer position = positions.get(name);
                if (position == null) {
                    p.nextToken();
                    if (unknown == null) {
                        unknown = name;
                    }
                    p.skipChildren();
                    continue;
                }
                i = position;
            }
            next = i + 1;
            p.nextToken();
            if (seen[i]) {
                throw new ConversionException(name, "appears twice in the object; expected each field once");
            }
            seen[i] = true;
            try {
                record.put(i, readers[i].fromParser(p));
            } catch (ConversionException e) {
                throw e.inside(name);
            }
        }
        int missing = -1;
        for (int i = 0; i < names.length; i++) {
            if (!seen[i]) {
                if (optional(i)) {
                    record.put(i, absent(i));
                } else if (missing < 0) {
                    missing = i;
                }
            }
        }
        if (unknown != null) {
            throw unknownField(unknown, missing);
        }
        if (missing >= 0) {
            absent(missing); // throws, naming the field
        }
        return record;
    }

    @Override
    Object fromText(String text) {
        return fromJson(JsonText.parse(text, this));
    }

    Object read(int position, JsonNode value) {
        try {
            return readers[position].fromJson(value);
        } catch (ConversionException e) {
            throw e.inside(names[position]);
        }
    }

    Object readText(int position, String text) {
        try {
            return readers[position].fromText(text);
        } catch (ConversionException e) {
            throw e.inside(names[position]);
        }
    }

    /** Whether a field may be left out: it has a default or its type admits null. */
    boolean optional(int position) {
        return hasDefault[position] || readers[position].nullable();
    }

    /** The value of a field the row does not give. */
    Object absent(int position) {
        if (hasDefault[position]) {
            return copyDefault[position]
                    ? GenericData.get().deepCopy(fields[position].schema(), defaults[position])
                    : defaults[position];
        }
        if (readers[position].nullable()) {
            return null;
        }
        throw new ConversionException(
                names[position],
                "missing, and the schema gives it no default; expected " + readers[position].expected());
    }

    /**
     * The value of an empty, unquoted CSV cell: the default, or null, or else what the type makes of
     * empty text (a string is empty; a number is an error).
     */
    Object emptyCell(int position) {
        if (hasDefault[position]) {
            return absent(position);
        }
        if (readers[position].nullable()) {
            return null;
        }
        return readText(position, "");
    }

    private ConversionException unknownField(JsonNode node, int missing) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (schema.getField(name) == null) {
                return unknownField(name, missing);
            }
        }
        return ConversionException.of("unexpected fields"); // unreachable: the count said one is unknown
    }

    private ConversionException unknownField(String name, int missing) {
        return new ConversionException(
                name,
                "not a field of " + schema.getFullName()
                        + (missing >= 0 ? " (is it the missing field '" + names[missing] + "'?)" : "")
                        + "; expected only " + fieldList());
    }

    String fieldList() {
        return java.util.Arrays.stream(names).collect(Collectors.joining(", "));
    }

    @Override
    String expected() {
        return "a JSON object of record " + schema.getName();
    }
}
