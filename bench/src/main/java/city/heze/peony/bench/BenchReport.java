package city.heze.peony.bench;

import city.heze.peony.bench.BenchResults.Figure;
import city.heze.peony.bench.BenchResults.Ratio;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bench's results for people (a table: a row per figure with median, min and max over the
 * runs, then the ratios against their targets) and for machines (the same as JSON, with every
 * sample).
 */
public final class BenchReport {
    private static final int LABEL_WIDTH = 52;
    private static final int VALUE_WIDTH = 11;

    /**
     * What was measured and where.
     *
     * @param description the first line: records, runs, warm-up, catalog, record size
     * @param environment the second line: cluster, machine, versions
     */
    public record Context(String description, String environment, Map<String, Object> facts) {}

    private final BenchResults results;
    private final Context context;

    public BenchReport(BenchResults results, Context context) {
        this.results = results;
        this.context = context;
    }

    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(context.description()).append('\n');
        out.append(context.environment()).append('\n');
        String section = null;
        for (Figure f : results.figures()) {
            if (!f.section().equals(section)) {
                section = f.section();
                out.append('\n');
                header(out, section + " (" + unitsOf(section) + ")", "");
            }
            row(
                    out,
                    f.label(),
                    f.unit(),
                    f.measured() ? f.summary() : null,
                    f.unit().symbol(),
                    note(f));
        }
        out.append('\n');
        header(out, "Ratios, run by run", "spread  target");
        for (Ratio r : results.ratios()) {
            List<Double> samples = results.ratioSamples(r);
            if (samples.isEmpty()) {
                row(out, r.label(), Unit.RATIO, null, "", "not measured: " + results.ratioNotMeasured(r));
                continue;
            }
            Summary s = Summary.of(samples);
            String target = r.hasTarget()
                    ? r.bound().symbol() + " " + Unit.RATIO.format(r.target())
                            + (r.meets(s.median()) ? "  meets" : "  SHORT")
                    : "(no target)";
            // max/min over the runs: how far one run's ratio can be trusted.
            row(out, r.label(), Unit.RATIO, s, String.format(Locale.ROOT, "%6.2f  %s", spread(s), target), null);
        }
        return out.toString();
    }

    /** Largest over smallest sample; for ratios whose samples can have either sign, NaN. */
    static double spread(Summary s) {
        return s.min() > 0 ? s.max() / s.min() : Double.NaN;
    }

    private String unitsOf(String section) {
        List<String> units = new ArrayList<>();
        for (Figure f : results.figures()) {
            if (f.section().equals(section) && !units.contains(f.unit().symbol())) {
                units.add(f.unit().symbol());
            }
        }
        return String.join(", ", units);
    }

    private static String note(Figure f) {
        if (!f.measured()) {
            return "not measured: " + (f.notMeasured() != null ? f.notMeasured() : "no run measured it");
        }
        return f.notMeasured() != null
                ? "(" + f.samples().size() + " runs; another failed: " + f.notMeasured() + ")"
                : null;
    }

    private static void header(StringBuilder out, String title, String last) {
        out.append(String.format(
                Locale.ROOT,
                "%-" + LABEL_WIDTH + "s %" + VALUE_WIDTH + "s %" + VALUE_WIDTH + "s %" + VALUE_WIDTH + "s  %s%n",
                title,
                "median",
                "min",
                "max",
                last));
    }

    private static void row(StringBuilder out, String label, Unit unit, Summary s, String after, String note) {
        String text = "  " + label;
        if (s == null) {
            out.append(String.format(Locale.ROOT, "%-" + LABEL_WIDTH + "s %s%n", text, note));
            return;
        }
        out.append(String.format(
                        Locale.ROOT,
                        "%-" + LABEL_WIDTH + "s %" + VALUE_WIDTH + "s %" + VALUE_WIDTH + "s %" + VALUE_WIDTH + "s  %s",
                        text,
                        unit.format(s.median()),
                        unit.format(s.min()),
                        unit.format(s.max()),
                        after)
                .stripTrailing());
        if (note != null) {
            out.append("  ").append(note);
        }
        out.append('\n');
    }

    /** The same as {@link #table()} for machines: context, every figure with its samples, every ratio. */
    Map<String, Object> json() {
        Map<String, Object> root = new LinkedHashMap<>(context.facts());
        List<Map<String, Object>> figures = new ArrayList<>();
        for (Figure f : results.figures()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", f.key());
            m.put("section", f.section());
            m.put("label", f.label().replaceAll("\\s+", " "));
            m.put("unit", f.unit().symbol());
            if (f.measured()) {
                summary(m, f.summary());
                m.put("samples", f.samplesByRun().values());
            }
            if (f.notMeasured() != null) {
                m.put("notMeasured", f.notMeasured());
            }
            figures.add(m);
        }
        root.put("figures", figures);
        List<Map<String, Object>> ratios = new ArrayList<>();
        for (Ratio r : results.ratios()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", r.key());
            m.put("label", r.label());
            m.put("numerator", r.numerator());
            m.put("denominator", r.denominator());
            if (r.subtract() != 0) {
                m.put("subtractFromNumerator", r.subtract());
            }
            if (r.hasTarget()) {
                m.put("target", r.bound().symbol() + " " + r.target());
            }
            List<Double> samples = results.ratioSamples(r);
            if (samples.isEmpty()) {
                m.put("notMeasured", results.ratioNotMeasured(r));
            } else {
                Summary s = Summary.of(samples);
                summary(m, s);
                m.put("samples", samples);
                m.put("spread", spread(s));
                if (r.hasTarget()) {
                    m.put("meetsTarget", r.meets(s.median()));
                }
            }
            ratios.add(m);
        }
        root.put("ratios", ratios);
        return root;
    }

    private static void summary(Map<String, Object> m, Summary s) {
        m.put("median", s.median());
        m.put("min", s.min());
        m.put("max", s.max());
        m.put("runs", s.count());
    }

    public void writeJson(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json());
    }
}
