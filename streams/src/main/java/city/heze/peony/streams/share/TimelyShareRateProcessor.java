package city.heze.peony.streams.share;

import city.heze.peony.avro.TimelyShareRate;
import city.heze.peony.avro.common.ShareOutcomeStatus;
import city.heze.peony.schemas.CityZone;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
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
 * Peony's timely-share rate (及时共享率) per provider department, per provider and catalog,
 * per DAY, per MONTH and for the rolling LAST_30_DAYS: timely / due, where due counts the
 * applications whose deadline fell in the period, answered or not (LATE and OVERDUE are not
 * timely), an application still open before its deadline does not count yet (it has no outcome),
 * and WITHDRAWN never counts.
 *
 * <p>Outcomes arrive keyed by provider. The latest status of every application is kept under
 * {@code provider\0deadline\0application}; a changed status (OVERDUE, then LATE) replaces the old one
 * in the day and month counts, so nothing is counted twice. Day and month counts are kept
 * incrementally and emitted once per punctuation when they changed; the last 30 days move with the
 * wall clock without input, so they are recounted from the deadline-ordered store on every
 * punctuation (a range scan over that window only) and emitted when they changed.
 */
final class TimelyShareRateProcessor implements Processor<String, RatedOutcome, String, TimelyShareRate> {
    private static final char SEPARATOR = '\0';

    private final ShareSlaSettings settings;
    private final ShareMeters meters;

    private ProcessorContext<String, TimelyShareRate> context;
    private KeyValueStore<String, RatedOutcome> rated;
    private KeyValueStore<String, RateCounts> counts;

    /** Rate keys whose counts changed since they were emitted. */
    private final Set<String> dirty = new LinkedHashSet<>();
    /** Providers this task has rated, for the rolling window. */
    private final Set<String> providers = new HashSet<>();
    /** The last LAST_30_DAYS counts emitted per rate key: {due, timely, late, overdue}. */
    private final Map<String, long[]> lastRolling = new HashMap<>();

    TimelyShareRateProcessor(ShareSlaSettings settings, ShareMeters meters) {
        this.settings = settings;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, TimelyShareRate> context) {
        this.context = context;
        this.rated = context.getStateStore(ShareSlaTopology.RATED_STORE);
        this.counts = context.getStateStore(ShareSlaTopology.COUNTS_STORE);
        // A task revived after an aborted transaction is initialised again: what it sent may be lost.
        dirty.clear();
        providers.clear();
        lastRolling.clear();
        try (KeyValueIterator<String, RateCounts> all = counts.all()) {
            while (all.hasNext()) {
                KeyValue<String, RateCounts> e = all.next();
                providers.add(e.value.provider());
                if (e.value.dirty()) {
                    dirty.add(e.key);
                }
            }
        }
        context.schedule(settings.ratesInterval(), PunctuationType.WALL_CLOCK_TIME, this::emitRates);
    }

    static String ratedKey(String provider, long deadline, String applicationId) {
        return new StringBuilder(provider.length() + 15 + applicationId.length())
                .append(provider)
                .append(SEPARATOR)
                .append(padded(deadline))
                .append(SEPARATOR)
                .append(applicationId)
                .toString();
    }

    /** {@code millis} as 13 digits, zero-padded, so that keys sort by deadline (up to the year 2286). */
    static char[] padded(long millis) {
        char[] digits = new char[13];
        long rest = Math.max(0, millis);
        for (int i = digits.length - 1; i >= 0; i--) {
            digits[i] = (char) ('0' + rest % 10);
            rest /= 10;
        }
        return digits;
    }

    @Override
    public void process(Record<String, RatedOutcome> record) {
        RatedOutcome outcome = record.value();
        if (outcome == null) {
            return;
        }
        String key = ratedKey(outcome.provider(), outcome.deadline(), outcome.applicationId());
        RatedOutcome old = rated.get(key);
        if (old != null && old.status() == outcome.status()) {
            return; // the same status again (a new decisive answer of the same kind): same counts
        }
        if (outcome.status() == ShareOutcomeStatus.WITHDRAWN) {
            if (old != null) {
                rated.delete(key);
            }
        } else {
            rated.put(key, outcome);
        }
        providers.add(outcome.provider());
        if (old != null && old.isDue()) {
            count(old, -1);
        }
        if (outcome.isDue()) {
            count(outcome, 1);
        }
    }

    private void count(RatedOutcome outcome, int sign) {
        Instant deadline = Instant.ofEpochMilli(outcome.deadline());
        LocalDate day = LocalDate.ofInstant(deadline, CityZone.ZONE);
        YearMonth month = YearMonth.from(day);
        add(RateKey.day(outcome.provider(), null, day), outcome.status(), sign);
        add(RateKey.day(outcome.provider(), outcome.catalogId(), day), outcome.status(), sign);
        add(RateKey.month(outcome.provider(), null, month), outcome.status(), sign);
        add(RateKey.month(outcome.provider(), outcome.catalogId(), month), outcome.status(), sign);
    }

    private void add(RateKey rateKey, ShareOutcomeStatus status, int sign) {
        String key = rateKey.topicKey();
        RateCounts current = counts.get(key);
        if (current == null) {
            current = RateCounts.empty(rateKey);
        }
        counts.put(key, current.plus(status, sign));
        dirty.add(key);
    }

    /** Wall-clock punctuation: changed day and month rates, then the rolling 30 days. */
    private void emitRates(long now) {
        if (!dirty.isEmpty()) {
            for (String key : dirty) {
                RateCounts c = counts.get(key);
                if (c != null && c.dirty()) {
                    context.forward(new Record<>(key, c.toRate(now), now));
                    counts.put(key, c.sent());
                }
            }
            dirty.clear();
        }
        for (String provider : providers) {
            rollingWindow(provider, now);
        }
    }

    private void rollingWindow(String provider, long now) {
        long from = now - RateKey.ROLLING.toMillis();
        Map<String, long[]> byCatalog = new HashMap<>();
        long[] all = new long[4];
        String lower = ratedKey(provider, from, "");
        // Deadlines before now: the last possible key of deadline now - 1.
        String upper = new StringBuilder(ratedKey(provider, now - 1, ""))
                .append((char) (SEPARATOR + 1))
                .toString();
        try (KeyValueIterator<String, RatedOutcome> window = rated.range(lower, upper)) {
            while (window.hasNext()) {
                RatedOutcome o = window.next().value;
                if (o.isDue()) {
                    tally(all, o.status());
                    tally(byCatalog.computeIfAbsent(o.catalogId(), c -> new long[4]), o.status());
                }
            }
        }
        RateKey total = RateKey.last30Days(provider, null, now);
        emitIfChanged(total, all, now);
        meters.timelyRatio(provider, all[0] == 0 ? null : (double) all[1] / all[0]);
        for (Map.Entry<String, long[]> e : byCatalog.entrySet()) {
            emitIfChanged(RateKey.last30Days(provider, e.getKey(), now), e.getValue(), now);
        }
        // Catalogs whose applications all left the window: their rate is now "nothing due".
        String prefix = provider + '/';
        List<String> gone = new ArrayList<>();
        for (Map.Entry<String, long[]> e : lastRolling.entrySet()) {
            String key = e.getKey();
            if (key.startsWith(prefix) && e.getValue()[0] != 0) {
                String catalog = key.substring(prefix.length(), key.indexOf('/', prefix.length()));
                if (!catalog.equals(RateKey.ALL_CATALOGS) && !byCatalog.containsKey(catalog)) {
                    gone.add(catalog);
                }
            }
        }
        for (String catalog : gone) {
            emitIfChanged(RateKey.last30Days(provider, catalog, now), new long[4], now);
        }
    }

    private static void tally(long[] c, ShareOutcomeStatus status) {
        c[0]++;
        switch (status) {
            case TIMELY -> c[1]++;
            case LATE -> c[2]++;
            case OVERDUE -> c[3]++;
            default -> {}
        }
    }

    private void emitIfChanged(RateKey rateKey, long[] c, long now) {
        String key = rateKey.topicKey();
        long[] last = lastRolling.get(key);
        if (last != null && Arrays.equals(last, c)) {
            return;
        }
        lastRolling.put(key, c);
        RateCounts counted = new RateCounts(
                rateKey.provider(),
                rateKey.catalogId(),
                rateKey.period(),
                rateKey.label(),
                rateKey.start(),
                rateKey.end(),
                c[0],
                c[1],
                c[2],
                c[3],
                false);
        context.forward(new Record<>(key, counted.toRate(now), now));
    }

    @Override
    public void close() {
        for (String provider : providers) {
            meters.forgetTimelyRatio(provider);
        }
    }
}
