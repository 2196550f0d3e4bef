package city.heze.peony.producers.convert;

import java.nio.file.Path;
import java.util.Locale;

/** The file formats a department can publish from: JSON Lines (one JSON object a line) and CSV with a header. */
public enum FileFormat {
    JSON_LINES("jsonl"),
    CSV("csv");

    private final String optionName;

    FileFormat(String optionName) {
        this.optionName = optionName;
    }

    /** The name {@code --format} takes: {@code jsonl} or {@code csv}. */
    public String optionName() {
        return optionName;
    }

    /**
     * The format a {@code --format} value names.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static FileFormat named(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "jsonl", "ndjson", "json", "json-lines" -> JSON_LINES;
            case "csv" -> CSV;
            default -> throw new IllegalArgumentException("format '" + name + "': expected jsonl or csv");
        };
    }

    /**
     * The format a file's extension implies: {@code .jsonl}, {@code .ndjson}, {@code .json} are JSON
     * Lines, {@code .csv} is CSV.
     *
     * @throws IllegalArgumentException if the extension says nothing, naming the file
     */
    public static FileFormat ofFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return JSON_LINES;
        }
        if (name.endsWith(".csv")) {
            return CSV;
        }
        throw new IllegalArgumentException("cannot tell the format of " + file
                + " from its name; expected a name ending in .jsonl or .csv, or say --format jsonl|csv");
    }
}
