package city.heze.peony.ops.share;

import city.heze.peony.avro.TimelyShareRate;
import city.heze.peony.avro.common.RatePeriod;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code peony rates}: the latest timely-share rates (及时共享率) from {@code peony.share.rates}: per
 * provider department, per catalog ({@code *} for all of a provider's catalogs), per day, month and
 * the rolling last 30 days. A rate is timely / due, where due counts the applications whose deadline
 * fell in the period, answered or not; "-" when nothing was due.
 */
@Command(name = "rates", description = "Show the timely-share rates (及时共享率) per provider, catalog and period.")
public final class RatesCommand extends ClusterCommand {
    @Mixin
    OutputFormat output;

    @Option(names = "--provider", paramLabel = "DEPT", description = "Only this provider department.")
    String provider;

    @Option(
            names = "--catalog",
            paramLabel = "ID",
            description = "Only this catalog; '*' for the provider-wide rates (default: both).")
    String catalog;

    @Option(names = "--period", paramLabel = "day|month|30d", description = "Only this period.")
    String period;

    @Override
    public Integer call() throws Exception {
        RatePeriod wanted = period == null ? null : period(period);
        TopicSnapshot.Latest<TimelyShareRate> latest;
        try (Serde<TimelyShareRate> serde = new PeonySerdes(cluster.clientConfigs()).timelyShareRate()) {
            latest = TopicSnapshot.latest(cluster.clientProperties(), Topics.SHARE_RATES.name(), serde.deserializer());
        }
        List<TimelyShareRate> rates = new ArrayList<>();
        for (TimelyShareRate r : new TreeMap<>(latest.values()).values()) {
            String catalogOrAll = r.getCatalogId() == null ? "*" : r.getCatalogId();
            if ((provider == null || provider.equals(r.getProviderDepartment()))
                    && (catalog == null || catalog.equals(catalogOrAll))
                    && (wanted == null || wanted == r.getPeriod())) {
                rates.add(r);
            }
        }
        PrintWriter out = out();
        if (output.json()) {
            Listing.json(out, rates, RatesCommand::toJson);
            return 0;
        }
        Listing table = Listing.table(
                out,
                "%-6s %-26s %-12s %-12s %6s %6s %6s %7s %7s%n",
                "DEPT",
                "CATALOG",
                "PERIOD",
                "LABEL",
                "DUE",
                "TIMELY",
                "LATE",
                "OVERDUE",
                "RATE");
        for (TimelyShareRate r : rates) {
            table.row(
                    r.getProviderDepartment(),
                    r.getCatalogId() == null ? "*" : r.getCatalogId(),
                    r.getPeriod(),
                    r.getPeriodLabel(),
                    r.getDue(),
                    r.getTimely(),
                    r.getLate(),
                    r.getOverdue(),
                    r.getRate() == null ? "-" : String.format(Locale.ROOT, "%.1f%%", r.getRate() * 100));
        }
        out.println(rates.size() + " rate(s)"
                + (latest.undecodable() > 0 ? "; " + latest.undecodable() + " record(s) could not be read" : ""));
        return 0;
    }

    static RatePeriod period(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "day":
                return RatePeriod.DAY;
            case "month":
                return RatePeriod.MONTH;
            case "30d":
            case "last_30_days":
            case "last-30-days":
                return RatePeriod.LAST_30_DAYS;
            default:
                throw new UserException("--period " + text + ": expected day, month or 30d");
        }
    }

    private static Map<String, Object> toJson(TimelyShareRate r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", r.getProviderDepartment());
        m.put("catalogId", r.getCatalogId());
        m.put("period", r.getPeriod().name());
        m.put("label", r.getPeriodLabel());
        m.put("periodStart", CityTimes.iso(r.getPeriodStart()));
        m.put("periodEnd", CityTimes.iso(r.getPeriodEnd()));
        m.put("due", r.getDue());
        m.put("timely", r.getTimely());
        m.put("late", r.getLate());
        m.put("overdue", r.getOverdue());
        m.put("rate", r.getRate());
        m.put("computedAt", CityTimes.iso(r.getComputedAt()));
        return m;
    }
}
