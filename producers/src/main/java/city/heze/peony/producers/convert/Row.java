package city.heze.peony.producers.convert;

import java.nio.charset.StandardCharsets;
import org.apache.avro.generic.GenericRecord;

/**
 * One row of an input file after conversion: its line number and original text, and either the
 * record of the catalog's schema or the rejection that says why there is none.
 *
 * <p>A JSON Lines row keeps its original bytes and decodes its text only when asked (to write it
 * to a rejects file): a row that is published never needs it.
 */
public final class Row {
    private final long line;
    private final byte[] bytes;
    private String text;
    private final GenericRecord record;
    private final RowRejection rejection;

    public Row(long line, String text, GenericRecord record, RowRejection rejection) {
        this.line = line;
        this.bytes = null;
        this.text = text;
        this.record = record;
        this.rejection = rejection;
    }

    /** An accepted row read from UTF-8 bytes. */
    Row(long line, byte[] bytes, GenericRecord record) {
        this.line = line;
        this.bytes = bytes;
        this.record = record;
        this.rejection = null;
    }

    public long line() {
        return line;
    }

    /** The row as written in the file (the lines of a CSV record that spans lines, joined by {@code \n}). */
    public String text() {
        String t = text;
        if (t == null) {
            t = new String(bytes, StandardCharsets.UTF_8);
            text = t; // a race only decodes twice
        }
        return t;
    }

    /** The record, or null for a rejected row. */
    public GenericRecord record() {
        return record;
    }

    /** Why the row is not published, or null for an accepted row. */
    public RowRejection rejection() {
        return rejection;
    }

    public boolean accepted() {
        return record != null;
    }
}
