package city.heze.peony.streams.validation;

import city.heze.peony.avro.QualityReport;
import city.heze.peony.avro.common.QualityWindow;
import city.heze.peony.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The quality scorecards (合格率): sums the validation tasks' hour partials per department and
 * catalog into HOUR and DAY windows (Asia/Shanghai) and sends {@code QualityReport}s to {@code
 * peony.quality}, keyed {@code department/catalog/HOUR|DAY/windowStart}.
 *
 * <p>When: not per record. A wall-clock punctuator, every {@code reportInterval}, reports each
 * window that changed since the last report, and once more each window that closed (by wall
 * clock) since it was last reported open, so the last report of a window is its final count. The
 * same punctuator finds catalogs whose update cycle passed without a record, by wall clock and
 * with no input at all, and sends a DAY report with {@code stale=true} (once a day while silent).
 *
 * <p>The partials arrive on one partition, so one task sees every catalog: the silent ones, too.
 */
final class QualityScorecards implements Processor<byte[], byte[], String, byte[]> {

    /** A window that was reported while still open, to report again when it closes. */
    private record OpenWindow(String catalogId, QualityWindow window, long start) {}

    private final ValidationContext ctx;
    private final long retentionMs;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> windows;
    private KeyValueStore<String, byte[]> lastSeen;
    private Serializer<QualityReport> reports;

    private final Set<String> changedHours = new LinkedHashSet<>();
    private final Map<OpenWindow, Long> openWindows = new HashMap<>();
    private boolean reportAllRecent;
    private long lastCleanupMs;

    QualityScorecards(ValidationContext ctx) {
        this.ctx = ctx;
        this.retentionMs = ctx.settings().scorecardRetention().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.windows = context.getStateStore(ValidationTopology.WINDOWS_STORE);
        this.lastSeen = context.getStateStore(ValidationTopology.LAST_SEEN_STORE);
        this.reports = ctx.topics().quality.valueSerde().serializer();
        changedHours.clear();
        openWindows.clear();
        // After a start or a failure nothing says what was last reported: report every recent window once.
        reportAllRecent = true;
        context.schedule(ctx.settings().reportInterval(), PunctuationType.WALL_CLOCK_TIME, this::report);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        ScorecardPartial partial = ScorecardPartial.fromBytes(record.value());
        String key = RecordValidator.tallyKey(partial.catalogId(), partial.hourStart());
        byte[] stored = windows.get(key);
        HourWindow window = stored == null
                ? new HourWindow(partial.catalogId(), partial.hourStart())
                : HourWindow.fromBytes(stored);
        window.put(partial.partition(), partial.counts());
        windows.put(key, window.toBytes());
        changedHours.add(key);

        LastSeen seen = lastSeen(partial.catalogId());
        if (seen.update(partial.counts())) {
            lastSeen.put(partial.catalogId(), seen.toBytes());
        }
    }

    private void report(long now) {
        long today = CityWindows.dayStart(now);
        ctx.gauges().startDay(today);
        if (reportAllRecent || now - lastCleanupMs >= CityWindows.HOUR_MS) {
            sweep(now);
        }
        Set<String> daysReported = new HashSet<>();
        for (String key : changedHours) {
            byte[] stored = windows.get(key);
            if (stored == null) {
                continue;
            }
            HourWindow hour = HourWindow.fromBytes(stored);
            ScorecardCounts sum = new ScorecardCounts(null);
            hour.addTo(sum);
            emit(hour.catalogId(), QualityWindow.HOUR, hour.hourStart(), sum, now);
            long day = CityWindows.dayStart(hour.hourStart());
            if (daysReported.add(hour.catalogId() + '|' + day)) {
                emitDay(hour.catalogId(), day, now);
            }
        }
        changedHours.clear();

        List<OpenWindow> closed = new ArrayList<>();
        for (Iterator<Map.Entry<OpenWindow, Long>> it = openWindows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<OpenWindow, Long> open = it.next();
            if (open.getValue() <= now) {
                closed.add(open.getKey());
                it.remove();
            }
        }
        for (OpenWindow window : closed) {
            if (window.window() == QualityWindow.DAY) {
                emitDay(window.catalogId(), window.start(), now);
            } else {
                byte[] stored = windows.get(RecordValidator.tallyKey(window.catalogId(), window.start()));
                if (stored != null) {
                    ScorecardCounts sum = new ScorecardCounts(null);
                    HourWindow.fromBytes(stored).addTo(sum);
                    emit(window.catalogId(), QualityWindow.HOUR, window.start(), sum, now);
                }
            }
        }
        reportStaleCatalogs(now, today);
    }

    /** Marks every window within the retention for reporting (after a start) and drops older ones. */
    private void sweep(long now) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = windows.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                long hourStart = RecordValidator.hourOfKey(entry.key);
                if (hourStart + CityWindows.HOUR_MS <= now - retentionMs) {
                    expired.add(entry.key);
                } else if (reportAllRecent) {
                    changedHours.add(entry.key);
                }
            }
        }
        expired.forEach(windows::delete);
        reportAllRecent = false;
        lastCleanupMs = now;
    }

    private void reportStaleCatalogs(long now, long today) {
        for (CompiledCatalog catalog : ctx.directory().all()) {
            boolean stale = stale(catalog.catalogId(), now);
            ctx.gauges().stale(catalog.department(), catalog.catalogId(), stale);
            if (!stale) {
                continue;
            }
            LastSeen seen = lastSeen(catalog.catalogId());
            if (seen.staleReportedForDay() != today) {
                emitDay(catalog.catalogId(), today, now);
                seen.staleReportedForDay(today);
                lastSeen.put(catalog.catalogId(), seen.toBytes());
            }
        }
    }

    /** Whether the catalog's update cycle passed, by wall clock, since its last record (or its publication). */
    private boolean stale(String catalogId, long now) {
        CompiledCatalog catalog = ctx.directory().get(catalogId);
        if (catalog == null || catalog.silenceAllowedMs() == 0) {
            return false;
        }
        byte[] stored = lastSeen.get(catalogId);
        long lastReceived = stored == null
                ? ScorecardCounts.NONE
                : LastSeen.fromBytes(stored).lastReceivedAt();
        long silentSince = lastReceived != ScorecardCounts.NONE ? lastReceived : catalog.publishedAtMs();
        return silentSince != ScorecardCounts.NONE && now - silentSince > catalog.silenceAllowedMs();
    }

    private void emitDay(String catalogId, long dayStart, long now) {
        ScorecardCounts sum = new ScorecardCounts(null);
        try (KeyValueIterator<String, byte[]> hours = windows.range(
                RecordValidator.tallyKey(catalogId, dayStart),
                RecordValidator.tallyKey(catalogId, dayStart + CityWindows.DAY_MS - 1))) {
            while (hours.hasNext()) {
                HourWindow.fromBytes(hours.next().value).addTo(sum);
            }
        }
        emit(catalogId, QualityWindow.DAY, dayStart, sum, now);
    }

    private void emit(String catalogId, QualityWindow window, long start, ScorecardCounts counts, long now) {
        long end = start + (window == QualityWindow.DAY ? CityWindows.DAY_MS : CityWindows.HOUR_MS);
        CompiledCatalog catalog = ctx.directory().get(catalogId);
        String department = counts.department() != null
                ? counts.department()
                : catalog != null && catalog.department() != null ? catalog.department() : ValidationMeters.UNKNOWN;
        Double rate = counts.received() == 0 ? null : (double) counts.passed() / counts.received();
        LastSeen seen = lastSeen(catalogId);
        QualityReport report = new QualityReport(
                department,
                catalogId,
                window,
                Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(end),
                counts.received(),
                counts.passed(),
                counts.failed(),
                counts.warnings(),
                new HashMap<>(counts.failuresByRule()),
                rate,
                stale(catalogId, now),
                seen.lastRecordAt() == ScorecardCounts.NONE ? null : Instant.ofEpochMilli(seen.lastRecordAt()),
                Instant.ofEpochMilli(now));
        String key = department + '/' + catalogId + '/' + window.name() + '/' + CityWindows.label(start);
        context.forward(new Record<>(key, reports.serialize(Topics.QUALITY.name(), report), now));
        if (end > now) {
            openWindows.put(new OpenWindow(catalogId, window, start), end);
        }
        if (window == QualityWindow.DAY && start == CityWindows.dayStart(now)) {
            ctx.gauges().qualifiedRatio(department, catalogId, start, rate == null ? Double.NaN : rate);
        }
    }

    private LastSeen lastSeen(String catalogId) {
        byte[] stored = lastSeen.get(catalogId);
        return stored == null ? new LastSeen() : LastSeen.fromBytes(stored);
    }

    @Override
    public void close() {
        if (reports != null) {
            reports.close();
        }
    }
}
