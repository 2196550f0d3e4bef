package city.heze.peony.streams.opendata;

import city.heze.peony.avro.OpenQualifiedRate;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Peony's open-qualified rate (开放合格率): per department, per department and catalog, per DAY and
 * per MONTH of the record timestamp (Asia/Shanghai), records opened / records of OPEN catalogs that
 * reached {@code shared.<catalog>} (opened or withheld). Counts live in a changelogged store;
 * changed rates are emitted to {@code peony.open.rates} once per {@code rateInterval} of wall-clock
 * time, not once per record, and the gauges follow the latest DAY and MONTH of each.
 */
final class OpenRatesProcessor implements Processor<byte[], byte[], String, OpenQualifiedRate> {
    private final OpenDataContext ctx;
    private ProcessorContext<String, OpenQualifiedRate> context;
    private KeyValueStore<String, OpenRateCounts> store;
    private final Set<String> dirty = new LinkedHashSet<>();
    /** The latest period label each gauge shows, per department/catalog/period. */
    private final Map<String, String> latestLabel = new HashMap<>();

    OpenRatesProcessor(OpenDataContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void init(ProcessorContext<String, OpenQualifiedRate> context) {
        this.context = context;
        this.store = context.getStateStore(OpenDataTopology.COUNTS_STORE);
        dirty.clear();
        // What a crash left unsent is marked dirty in the store: emit it at the first punctuation.
        try (KeyValueIterator<String, OpenRateCounts> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, OpenRateCounts> next = all.next();
                if (next.value.dirty()) {
                    dirty.add(next.key);
                }
                showGauge(next.value);
            }
        }
        context.schedule(ctx.settings().rateInterval(), PunctuationType.WALL_CLOCK_TIME, this::emit);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        OpenOutcome outcome = OpenOutcome.fromBytes(record.value());
        String department = outcome.department();
        long at = outcome.timestamp();
        count(OpenRateCounts.day(department, outcome.catalogId(), at), outcome.opened());
        count(OpenRateCounts.month(department, outcome.catalogId(), at), outcome.opened());
        count(OpenRateCounts.day(department, OpenRateCounts.ALL_CATALOGS, at), outcome.opened());
        count(OpenRateCounts.month(department, OpenRateCounts.ALL_CATALOGS, at), outcome.opened());
    }

    private void count(OpenRateCounts empty, boolean opened) {
        String key = empty.key();
        OpenRateCounts counts = store.get(key);
        store.put(key, (counts == null ? empty : counts).plus(opened));
        dirty.add(key);
    }

    private void emit(long now) {
        for (String key : dirty) {
            OpenRateCounts counts = store.get(key);
            if (counts == null) {
                continue;
            }
            context.forward(new Record<>(key, counts.toRate(now), now));
            store.put(key, counts.sent());
            showGauge(counts);
        }
        dirty.clear();
    }

    private void showGauge(OpenRateCounts counts) {
        String gauge = counts.department() + '/' + counts.catalogId() + '/' + counts.period();
        String latest = latestLabel.get(gauge);
        if (latest == null || latest.compareTo(counts.label()) <= 0) {
            latestLabel.put(gauge, counts.label());
            ctx.meters()
                    .ratio(
                            counts.department(),
                            counts.catalogId(),
                            counts.period().name(),
                            counts.rate());
        }
    }
}
