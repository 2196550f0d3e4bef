package city.heze.peony.producers.convert;

/**
 * A line of an input file that is not published, and why: the file, the line number (the first line
 * of a CSV record that spans lines), the field at fault (null when the line as a whole is bad, such
 * as unparseable JSON or a wrong column count), the reason, and the original text.
 */
public record RowRejection(String file, long line, String field, String reason, String text) {

    /** {@code FILE:LINE: field 'x': reason}, the form compilers use, so editors can jump to the line. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + (field == null ? "" : "field '" + field + "': ") + reason;
    }

    /** The reason with its field, without the file and line. */
    public String message() {
        return (field == null ? "" : "field '" + field + "': ") + reason;
    }
}
