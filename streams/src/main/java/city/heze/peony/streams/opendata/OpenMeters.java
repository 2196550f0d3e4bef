package city.heze.peony.streams.opendata;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The open-data topology's meters. Labels are bounded: department, catalog id, outcome, check id,
 * period (DAY or MONTH); never a record value.
 *
 * <ul>
 *   <li>{@code peony.open.records} {department, catalog, outcome=opened|withheld}: records of OPEN
 *       catalogs, by what became of them;
 *   <li>{@code peony.open.withheld.checks} {check}: failed checks of withheld records (a record can
 *       fail several);
 *   <li>{@code peony.open.skipped} {reason=not-open|unknown-catalog}: shared records not due to be
 *       opened;
 *   <li>{@code peony.open.qualified.ratio} {department, catalog, period}: the open-qualified rate of
 *       the latest DAY and MONTH with records, 0..1 (catalog {@code *} for all of the department's);
 *       NaN when nothing was due.
 * </ul>
 *
 * Thread-safe; closing removes the meters from the registry.
 */
public final class OpenMeters implements AutoCloseable {
    private final MeterRegistry registry;
    private final Map<String, Counter> records = new ConcurrentHashMap<>();
    private final Map<String, Counter> checks = new ConcurrentHashMap<>();
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final Map<String, Double> ratios = new ConcurrentHashMap<>();
    private final List<Meter> registered = new CopyOnWriteArrayList<>();

    public OpenMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The record counter of one catalog and outcome; callers keep it, so the per-record path does no lookup. */
    Counter records(String department, String catalogId, boolean opened) {
        String outcome = opened ? "opened" : "withheld";
        return records.computeIfAbsent(
                department + '/' + catalogId + '/' + outcome,
                k -> track(Counter.builder("peony.open.records")
                        .description("Records of OPEN catalogs, opened on open.<catalog> or withheld")
                        .tag("department", department == null ? "unknown" : department)
                        .tag("catalog", catalogId)
                        .tag("outcome", outcome)
                        .register(registry)));
    }

    void failedCheck(String checkId) {
        checks.computeIfAbsent(
                        checkId,
                        id -> track(Counter.builder("peony.open.withheld.checks")
                                .description("Checks failed by withheld records, by check")
                                .tag("check", id)
                                .register(registry)))
                .increment();
    }

    void skipped(String reason) {
        skipped.computeIfAbsent(
                        reason,
                        r -> track(Counter.builder("peony.open.skipped")
                                .description("Shared records not due to be opened (catalog not OPEN, or unknown)")
                                .tag("reason", r)
                                .register(registry)))
                .increment();
    }

    /** The latest rate of one department, catalog ({@code *} for all) and period; null (nothing due) shows as NaN. */
    void ratio(String department, String catalog, String period, Double rate) {
        String key = department + '/' + catalog + '/' + period;
        if (ratios.put(key, rate == null ? Double.NaN : rate) == null) {
            track(Gauge.builder("peony.open.qualified.ratio", ratios, m -> m.getOrDefault(key, Double.NaN))
                    .description("Open-qualified rate (records opened / records of OPEN catalogs shared) of the"
                            + " latest period with records, 0..1")
                    .tag("department", department)
                    .tag("catalog", catalog)
                    .tag("period", period)
                    .register(registry));
        }
    }

    /** For tests and status lines. */
    public double ratio(String department, String catalog, String period) {
        return ratios.getOrDefault(department + '/' + catalog + '/' + period, Double.NaN);
    }

    private <M extends Meter> M track(M meter) {
        registered.add(meter);
        return meter;
    }

    @Override
    public void close() {
        registered.forEach(registry::remove);
        registered.clear();
    }
}
