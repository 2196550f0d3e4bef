package city.heze.peony.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a bench collected: every figure's samples, one per run, or why it was not measured; and the
 * ratios between figures, computed run by run. Why per run and not from the medians: the
 * measurements of one run are interleaved, so noise on the machine hits numerator and denominator
 * of a run's ratio alike, and the median of those ratios is steadier than a ratio of medians.
 */
public final class BenchResults {

    /** One row of figures: a throughput, a latency percentile or a peak heap. */
    public static final class Figure {
        private final String key;
        private final String section;
        private final String label;
        private final Unit unit;
        private final TreeMap<Integer, Double> byRun = new TreeMap<>();
        private String notMeasured;

        Figure(String key, String section, String label, Unit unit) {
            this.key = key;
            this.section = section;
            this.label = label;
            this.unit = unit;
        }

        public String key() {
            return key;
        }

        /** The heading the row is printed under. */
        public String section() {
            return section;
        }

        public String label() {
            return label;
        }

        public Unit unit() {
            return unit;
        }

        /** One sample per run that measured it, in run order. */
        public List<Double> samples() {
            return List.copyOf(byRun.values());
        }

        /** The sample of each run that measured it, by run number. */
        public Map<Integer, Double> samplesByRun() {
            return Collections.unmodifiableMap(byRun);
        }

        /**
         * Why a run could not measure it (the last reason), or null when every run did. A figure can
         * be measured by some runs and not others; it then has samples and a reason.
         */
        public String notMeasured() {
            return notMeasured;
        }

        public boolean measured() {
            return !byRun.isEmpty();
        }

        public Summary summary() {
            return Summary.of(samples());
        }
    }

    /** Whether a ratio should be at least or at most its target. */
    public enum Bound {
        AT_LEAST(">="),
        AT_MOST("<=");

        private final String symbol;

        Bound(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        boolean meets(double value, double target) {
            return this == AT_LEAST ? value >= target : value <= target;
        }
    }

    /**
     * A ratio row: {@code (numerator - subtract) / denominator} for each run that measured both;
     * {@code target} is NaN for a ratio shown for information only.
     */
    public record Ratio(
            String key,
            String label,
            String numerator,
            String denominator,
            double subtract,
            Bound bound,
            double target) {

        public boolean hasTarget() {
            return !Double.isNaN(target);
        }

        public boolean meets(double value) {
            return !hasTarget() || bound.meets(value, target);
        }
    }

    private final Map<String, Figure> figures = new LinkedHashMap<>();
    private final List<Ratio> ratios = new ArrayList<>();

    /** Declares a figure; rows print in the order they were declared, under their section. */
    public BenchResults figure(String key, String section, String label, Unit unit) {
        if (figures.putIfAbsent(key, new Figure(key, section, label, unit)) != null) {
            throw new IllegalArgumentException("figure " + key + " declared twice");
        }
        return this;
    }

    public BenchResults ratio(Ratio ratio) {
        requireFigure(ratio.numerator());
        requireFigure(ratio.denominator());
        ratios.add(ratio);
        return this;
    }

    /** Adds run {@code run}'s sample of a figure. */
    public void add(String key, int run, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("figure " + key + ": sample " + value + " is not a finite number");
        }
        if (requireFigure(key).byRun.putIfAbsent(run, value) != null) {
            throw new IllegalArgumentException("figure " + key + ": run " + run + " already has a sample");
        }
    }

    /** Notes that a run could not measure a figure, with the reason the table prints. */
    public void notMeasured(String key, String reason) {
        requireFigure(key).notMeasured = reason;
    }

    public Figure get(String key) {
        return requireFigure(key);
    }

    public List<Figure> figures() {
        return List.copyOf(figures.values());
    }

    public List<Ratio> ratios() {
        return List.copyOf(ratios);
    }

    /**
     * The run-by-run values of a ratio, over the runs both figures measured; empty when either was
     * not measured.
     */
    public List<Double> ratioSamples(Ratio ratio) {
        Figure num = get(ratio.numerator());
        Figure den = get(ratio.denominator());
        List<Double> values = new ArrayList<>();
        for (var e : num.byRun.entrySet()) {
            Double d = den.byRun.get(e.getKey());
            if (d != null && d > 0) {
                values.add((e.getValue() - ratio.subtract()) / d);
            }
        }
        return values;
    }

    /** Why a ratio has no value (the reason of the first figure that was not measured), or null. */
    public String ratioNotMeasured(Ratio ratio) {
        if (!ratioSamples(ratio).isEmpty()) {
            return null;
        }
        for (String key : List.of(ratio.numerator(), ratio.denominator())) {
            Figure f = get(key);
            if (!f.measured()) {
                return key + " not measured" + (f.notMeasured() != null ? ": " + f.notMeasured() : "");
            }
        }
        return "no run measured both " + ratio.numerator() + " and a positive " + ratio.denominator();
    }

    private Figure requireFigure(String key) {
        Figure f = figures.get(key);
        if (f == null) {
            throw new IllegalArgumentException("no figure " + key + "; known: " + figures.keySet());
        }
        return f;
    }
}
