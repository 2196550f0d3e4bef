package city.heze.peony.ops.opendata;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.OpenQualifiedRate;
import city.heze.peony.avro.common.OpenField;
import city.heze.peony.avro.common.OpenType;
import city.heze.peony.avro.common.RatePeriod;
import city.heze.peony.ops.CityTimes;
import city.heze.peony.ops.ClusterCommand;
import city.heze.peony.ops.Listing;
import city.heze.peony.ops.OutputFormat;
import city.heze.peony.ops.TopicSnapshot;
import city.heze.peony.ops.UserException;
import city.heze.peony.producers.CatalogTopic;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.opendata.OpenCatalogs;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serde;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code peony open list|rates}: the opened catalogs and the open-qualified rate (开放合格率). */
@Command(
        name = "open",
        description = "Open data: the OPEN catalogs with their field treatments, and the open-qualified rates.",
        subcommands = {OpenCommand.ListOpened.class, OpenCommand.Rates.class})
public final class OpenCommand {

    @Command(
            name = "list",
            description = "List the OPEN catalogs (published on open.<id>) with how each field is opened.")
    static final class ListOpened extends ClusterCommand {
        @Mixin
        OutputFormat output;

        @Override
        public Integer call() throws Exception {
            Map<String, CatalogEntry> entries = new TreeMap<>(new CatalogTopic(cluster.clientProperties()).readAll());
            List<CatalogEntry> opened = entries.values().stream()
                    .filter(e -> e.getOpenType() == OpenType.OPEN)
                    .toList();
            PrintWriter out = out();
            if (output.json()) {
                Listing.json(out, opened, OpenCommand::toJson);
                return 0;
            }
            for (CatalogEntry e : opened) {
                out.printf(
                        "%s -> %s (%s, %s)%s%n",
                        e.getId(),
                        Topics.open(e.getId()),
                        e.getDepartment(),
                        e.getName(),
                        OpenCatalogs.fieldsOf(e).isEmpty() ? "  NO open: SECTION, its records are withheld" : "");
                if (!e.getOpenRequired().isEmpty()) {
                    out.println("  required: " + String.join(", ", e.getOpenRequired()));
                }
                for (OpenField f : OpenCatalogs.fieldsOf(e)) {
                    // Parameters sorted by name, so that the listing does not change from run to run.
                    String parameters = new TreeMap<>(f.getParameters())
                            .entrySet().stream()
                                    .map(p -> p.getKey() + "=" + p.getValue())
                                    .collect(Collectors.joining(" "));
                    out.println(String.format("  %-28s %-16s %s", f.getField(), f.getTreatment(), parameters)
                            .stripTrailing());
                }
            }
            out.println(opened.size() + " OPEN catalog(s) of " + entries.size());
            return 0;
        }
    }

    @Command(
            name = "rates",
            description = "Show the open-qualified rates (开放合格率): records opened / records of OPEN catalogs"
                    + " shared, per department, catalog and period.")
    static final class Rates extends ClusterCommand {
        @Mixin
        OutputFormat output;

        @Option(names = "--department", paramLabel = "DEPT", description = "Only this department.")
        String department;

        @Option(
                names = "--catalog",
                paramLabel = "ID",
                description = "Only this catalog; '*' for the department-wide rates (default: both).")
        String catalog;

        @Option(names = "--period", paramLabel = "day|month", description = "Only this period.")
        String period;

        @Override
        public Integer call() throws Exception {
            RatePeriod wanted = period == null ? null : period(period);
            TopicSnapshot.Latest<OpenQualifiedRate> latest;
            try (Serde<OpenQualifiedRate> serde =
                    new PeonySerdes(cluster.clientConfigs()).value(OpenQualifiedRate.class)) {
                latest = TopicSnapshot.latest(
                        cluster.clientProperties(), Topics.OPEN_RATES.name(), serde.deserializer());
            }
            List<OpenQualifiedRate> rates = new ArrayList<>();
            for (OpenQualifiedRate r : new TreeMap<>(latest.values()).values()) {
                String catalogOrAll = r.getCatalogId() == null ? "*" : r.getCatalogId();
                if ((department == null || department.equals(r.getDepartment()))
                        && (catalog == null || catalog.equals(catalogOrAll))
                        && (wanted == null || wanted == r.getPeriod())) {
                    rates.add(r);
                }
            }
            PrintWriter out = out();
            if (output.json()) {
                Listing.json(out, rates, OpenCommand::toJson);
                return 0;
            }
            Listing table = Listing.table(
                    out,
                    "%-6s %-32s %-6s %-10s %8s %8s %8s %7s%n",
                    "DEPT",
                    "CATALOG",
                    "PERIOD",
                    "LABEL",
                    "DUE",
                    "OPENED",
                    "WITHHELD",
                    "RATE");
            for (OpenQualifiedRate r : rates) {
                table.row(
                        r.getDepartment(),
                        r.getCatalogId() == null ? "*" : r.getCatalogId(),
                        r.getPeriod(),
                        r.getPeriodLabel(),
                        r.getDue(),
                        r.getOpened(),
                        r.getWithheld(),
                        r.getRate() == null ? "-" : String.format(Locale.ROOT, "%.1f%%", r.getRate() * 100));
            }
            out.println(rates.size() + " rate(s)"
                    + (latest.undecodable() > 0 ? "; " + latest.undecodable() + " record(s) could not be read" : ""));
            return 0;
        }
    }

    static RatePeriod period(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "day" -> RatePeriod.DAY;
            case "month" -> RatePeriod.MONTH;
            default -> throw new UserException("--period " + text + ": expected day or month");
        };
    }

    static Map<String, Object> toJson(CatalogEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.getId());
        m.put("topic", Topics.open(e.getId()));
        m.put("department", e.getDepartment());
        m.put("name", e.getName());
        m.put("required", e.getOpenRequired());
        List<Map<String, Object>> fields = new ArrayList<>();
        for (OpenField f : OpenCatalogs.fieldsOf(e)) {
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("field", f.getField());
            field.put("treatment", f.getTreatment().name());
            field.put("parameters", f.getParameters());
            fields.add(field);
        }
        m.put("fields", fields);
        return m;
    }

    static Map<String, Object> toJson(OpenQualifiedRate r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("department", r.getDepartment());
        m.put("catalogId", r.getCatalogId());
        m.put("period", r.getPeriod().name());
        m.put("label", r.getPeriodLabel());
        m.put("periodStart", CityTimes.iso(r.getPeriodStart()));
        m.put("periodEnd", CityTimes.iso(r.getPeriodEnd()));
        m.put("due", r.getDue());
        m.put("opened", r.getOpened());
        m.put("withheld", r.getWithheld());
        m.put("rate", r.getRate());
        m.put("computedAt", CityTimes.iso(r.getComputedAt()));
        return m;
    }
}
