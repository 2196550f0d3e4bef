package city.heze.peony.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * How the listing commands ({@code catalog list}, {@code share list}, {@code rates}, {@code
 * quality}, {@code dlq list}, ...) print: fixed-width columns for a person, or indented JSON for a
 * script ({@code --json}), on the command's own stdout.
 */
public final class Listing {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final String format;

    private Listing(PrintWriter out, String format) {
        this.out = out;
        this.format = format;
    }

    /**
     * Starts a table and prints its header row.
     *
     * @param format a printf format for one row, ending with {@code %n}; headers are strings, so
     *     numeric columns use {@code %s} widths
     */
    public static Listing table(PrintWriter out, String format, Object... headers) {
        Listing table = new Listing(out, format);
        table.row(headers);
        return table;
    }

    public void row(Object... cells) {
        out.printf(format, cells);
    }

    /** Prints the items as one JSON array, each as {@code toJson} shapes it. */
    public static <T> void json(PrintWriter out, Collection<T> items, Function<T, ?> toJson) {
        List<Object> array = new ArrayList<>(items.size());
        items.forEach(item -> array.add(toJson.apply(item)));
        json(out, array);
    }

    /** Prints one value (a map, a list) as indented JSON. */
    public static void json(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A table cell for a missing value. */
    public static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
