package city.heze.peony.bench;

import java.util.Locale;

/** The unit of a benchmark figure, and how the table prints a value of it. */
public enum Unit {
    RECORDS_PER_SECOND("records/s"),
    MILLISECONDS("ms"),
    MEBIBYTES("MiB"),
    RATIO("");

    private final String symbol;

    Unit(String symbol) {
        this.symbol = symbol;
    }

    /** How the unit is written after a value, and in the JSON output. */
    public String symbol() {
        return symbol;
    }

    /**
     * A value as the table prints it: records/s and MiB as whole numbers with thousands separators
     * (the noise between runs is larger than a record per second), milliseconds with one decimal,
     * ratios with two.
     */
    public String format(double value) {
        return switch (this) {
            case RECORDS_PER_SECOND, MEBIBYTES -> String.format(Locale.ROOT, "%,.0f", value);
            case MILLISECONDS -> String.format(Locale.ROOT, "%.1f", value);
            case RATIO -> String.format(Locale.ROOT, "%.2f", value);
        };
    }
}
