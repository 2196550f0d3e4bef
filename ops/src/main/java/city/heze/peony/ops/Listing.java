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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the listing commands ({@code catalog list}, {@code share list}, {@code rates}, {@code
 * quality}, {@code dlq list}, ...) print: fixed-width columns for a person, or indented JSON for a
 * script ({@code --json}), on the command's own stdout.
 */
public final class Listing {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One {@code %s}-style conversion of a row format ({@code %-24s}, {@code %5s}, {@code %s}). */
    private static final Pattern SPEC = Pattern.compile("%(-?)(\\d*)s|%n");

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
        out.print(render(format, cells));
    }

    /**
     * The row as {@code String.format} would print it, except that widths count terminal columns,
     * not characters: a Chinese character takes two columns, so 民政局 pads like six letters and the
     * columns after it stay aligned.
     */
    static String render(String format, Object... cells) {
        StringBuilder line = new StringBuilder(format.length() + 32);
        Matcher m = SPEC.matcher(format);
        int last = 0;
        int next = 0;
        while (m.find()) {
            line.append(format, last, m.start());
            last = m.end();
            if (m.group().equals("%n")) {
                line.append(System.lineSeparator());
                continue;
            }
            String cell = String.valueOf(cells[next++]);
            int width = m.group(2).isEmpty() ? 0 : Integer.parseInt(m.group(2));
            int padding = Math.max(0, width - columns(cell));
            boolean left = !m.group(1).isEmpty();
            if (!left) {
                line.append(" ".repeat(padding));
            }
            line.append(cell);
            if (left) {
                line.append(" ".repeat(padding));
            }
        }
        line.append(format, last, format.length());
        return line.toString();
    }

    /** Terminal columns {@code text} takes: two for East Asian wide and full-width characters. */
    static int columns(String text) {
        int columns = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            columns += wide(cp) ? 2 : 1;
            i += Character.charCount(cp);
        }
        return columns;
    }

    private static boolean wide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F) // Hangul Jamo
                || (cp >= 0x2E80 && cp <= 0x303E) // CJK radicals, symbols and punctuation
                || (cp >= 0x3041 && cp <= 0x33FF) // kana, bopomofo, CJK compatibility
                || (cp >= 0x3400 && cp <= 0x4DBF) // CJK extension A
                || (cp >= 0x4E00 && cp <= 0x9FFF) // CJK unified ideographs
                || (cp >= 0xA000 && cp <= 0xA4CF) // Yi
                || (cp >= 0xAC00 && cp <= 0xD7A3) // Hangul syllables
                || (cp >= 0xF900 && cp <= 0xFAFF) // CJK compatibility ideographs
                || (cp >= 0xFE30 && cp <= 0xFE4F) // CJK compatibility forms
                || (cp >= 0xFF00 && cp <= 0xFF60) // full-width forms
                || (cp >= 0xFFE0 && cp <= 0xFFE6)
                || (cp >= 0x20000 && cp <= 0x3FFFD); // CJK extensions B and later
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
