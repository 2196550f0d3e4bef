package city.heze.peony.ops.validation;

import city.heze.peony.avro.QualityReport;
import city.heze.peony.avro.common.QualityWindow;
import city.heze.peony.ops.CityTimes;
import city.heze.peony.ops.ClusterCommand;
import city.heze.peony.ops.Listing;
import city.heze.peony.ops.OutputFormat;
import city.heze.peony.ops.TopicSnapshot;
import city.heze.peony.ops.UserException;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code peony quality}: the latest quality scorecards (合格率) from {@code peony.quality}. Peony's
 * qualified rate: records passing every blocking rule of their catalog divided by records
 * received, per department, catalog and window (Asia/Shanghai); warnings do not fail a record.
 * By default the most recent HOUR and DAY window of each catalog; {@code --all} every window still
 * on the topic.
 */
@Command(name = "quality", description = "Show the latest quality scorecards (合格率) per department, catalog and window.")
public final class QualityCommand extends ClusterCommand {

    @Mixin
    OutputFormat output;

    @Option(names = "--department", paramLabel = "DEPT", description = "Only this department, e.g. mz.")
    String department;

    @Option(names = "--catalog", paramLabel = "ID", description = "Only this catalog, e.g. mz.social-assistance.")
    String catalog;

    @Option(names = "--window", paramLabel = "hour|day", description = "Only HOUR or DAY windows.")
    String window;

    @Option(names = "--all", description = "Every window on the topic, not only the latest of each catalog.")
    boolean all;

    @Override
    public Integer call() throws Exception {
        QualityWindow wanted = window == null ? null : window(window);
        TopicSnapshot.Latest<QualityReport> latest;
        try (Serde<QualityReport> serde = new PeonySerdes(cluster.clientConfigs()).qualityReport()) {
            latest = TopicSnapshot.latest(cluster.clientProperties(), Topics.QUALITY.name(), serde.deserializer());
        }
        List<QualityReport> shown = select(latest.values().values(), wanted);
        PrintWriter out = out();
        if (output.json()) {
            Listing.json(out, shown, QualityCommand::toJson);
        } else {
            print(out, shown);
        }
        if (latest.undecodable() > 0) {
            err().println("peony quality: " + latest.undecodable() + " record(s) of " + Topics.QUALITY.name()
                    + " are not QualityReports and were skipped");
        }
        return 0;
    }

    private List<QualityReport> select(Iterable<QualityReport> reports, QualityWindow wanted) {
        Map<String, QualityReport> chosen = new HashMap<>();
        List<QualityReport> every = new ArrayList<>();
        for (QualityReport r : reports) {
            if ((department != null && !department.equals(r.getDepartment()))
                    || (catalog != null && !catalog.equals(r.getCatalogId()))
                    || (wanted != null && wanted != r.getWindow())) {
                continue;
            }
            if (all) {
                every.add(r);
                continue;
            }
            // The newest window of each department, catalog and window kind.
            String group = r.getDepartment() + '/' + r.getCatalogId() + '/' + r.getWindow();
            chosen.merge(group, r, (a, b) -> b.getWindowStart().isAfter(a.getWindowStart()) ? b : a);
        }
        List<QualityReport> result = all ? every : new ArrayList<>(chosen.values());
        result.sort(Comparator.comparing(QualityReport::getDepartment)
                .thenComparing(QualityReport::getCatalogId)
                .thenComparing(r -> r.getWindow() == QualityWindow.DAY ? 0 : 1)
                .thenComparing(QualityReport::getWindowStart));
        return result;
    }

    private static QualityWindow window(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "hour" -> QualityWindow.HOUR;
            case "day" -> QualityWindow.DAY;
            default -> throw new UserException("--window " + text + ": expected hour or day");
        };
    }

    private static void print(PrintWriter out, List<QualityReport> reports) {
        Listing table = Listing.table(
                out,
                "%-6s %-30s %-5s %-19s %9s %9s %8s %8s %8s %-5s  %s%n",
                "DEPT",
                "CATALOG",
                "WIN",
                "START (Asia/Shanghai)",
                "RECEIVED",
                "PASSED",
                "FAILED",
                "WARNINGS",
                "RATE",
                "STALE",
                "TOP FAILURES");
        for (QualityReport r : reports) {
            table.row(
                    r.getDepartment(),
                    r.getCatalogId(),
                    r.getWindow(),
                    CityTimes.tableSeconds(r.getWindowStart()),
                    r.getReceived(),
                    r.getPassed(),
                    r.getFailed(),
                    r.getWarnings(),
                    r.getQualifiedRate() == null
                            ? "-"
                            : String.format(Locale.ROOT, "%.2f%%", 100 * r.getQualifiedRate()),
                    r.getStale() ? "yes" : "no",
                    topFailures(r.getFailuresByRule()));
        }
        out.println(reports.size() + " scorecard(s)");
    }

    private static String topFailures(Map<String, Long> failures) {
        return failures.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(3)
                .map(e -> e.getKey() + "=" + e.getValue())
                .reduce((a, b) -> a + " " + b)
                .orElse("");
    }

    static Map<String, Object> toJson(QualityReport r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("department", r.getDepartment());
        out.put("catalogId", r.getCatalogId());
        out.put("window", r.getWindow().name());
        out.put("windowStart", CityTimes.isoWithSeconds(r.getWindowStart()));
        out.put("windowEnd", CityTimes.isoWithSeconds(r.getWindowEnd()));
        out.put("received", r.getReceived());
        out.put("passed", r.getPassed());
        out.put("failed", r.getFailed());
        out.put("warnings", r.getWarnings());
        out.put("failuresByRule", new java.util.TreeMap<>(r.getFailuresByRule()));
        out.put("qualifiedRate", r.getQualifiedRate());
        out.put("stale", r.getStale());
        out.put("lastRecordAt", CityTimes.isoWithSeconds(r.getLastRecordAt()));
        out.put("generatedAt", CityTimes.isoWithSeconds(r.getGeneratedAt()));
        return out;
    }
}
