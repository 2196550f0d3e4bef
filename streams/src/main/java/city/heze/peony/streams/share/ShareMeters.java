package city.heze.peony.streams.share;

import city.heze.peony.avro.common.ShareOutcomeStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The share topology's meters. Labels are bounded: provider department, outcome status, rule id.
 *
 * <ul>
 *   <li>{@code peony.share.outcomes} {provider, status}: outcome records emitted (an OVERDUE
 *       application answered later counts once as OVERDUE and once as LATE);
 *   <li>{@code peony.share.pending} {provider}: open applications before their deadline;
 *   <li>{@code peony.share.overdue.pending} {provider}: applications past their deadline and still
 *       unanswered;
 *   <li>{@code peony.share.timely.ratio} {provider}: the LAST_30_DAYS timely-share rate, 0..1 (NaN
 *       when nothing was due);
 *   <li>{@code peony.share.events.rejected} {rule}: requests and decisions sent to peony.rejected;
 *   <li>{@code peony.share.decisions.unmatched}: decisions still waiting for their request.
 * </ul>
 *
 * Gauges cover the tasks this instance runs; with several instances, sum them. Tasks add and remove
 * their share as they start and stop (a rebalance moves it). Thread-safe. Closing removes the
 * meters from the registry, so that an application started again on the same registry reports
 * through fresh ones.
 */
public final class ShareMeters implements AutoCloseable {
    private static final ShareOutcomeStatus[] STATUSES = ShareOutcomeStatus.values();

    private final MeterRegistry registry;
    private final Map<String, Counter[]> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> overduePending = new ConcurrentHashMap<>();
    private final Map<String, Double> timelyRatio = new ConcurrentHashMap<>();
    private final AtomicLong unmatched = new AtomicLong();
    private final List<Meter> registered = new CopyOnWriteArrayList<>();

    public ShareMeters(MeterRegistry registry) {
        this.registry = registry;
        track(Gauge.builder("peony.share.decisions.unmatched", unmatched, AtomicLong::get)
                .description("Decisions (answers or withdrawals) still waiting for their share request")
                .register(registry));
    }

    public MeterRegistry registry() {
        return registry;
    }

    void outcome(String provider, ShareOutcomeStatus status) {
        outcomes.computeIfAbsent(provider, this::outcomeCounters)[status.ordinal()].increment();
    }

    private Counter[] outcomeCounters(String provider) {
        Counter[] counters = new Counter[STATUSES.length];
        for (ShareOutcomeStatus s : STATUSES) {
            counters[s.ordinal()] = track(Counter.builder("peony.share.outcomes")
                    .description("Share-application outcomes emitted, by provider department and status")
                    .tag("provider", provider)
                    .tag("status", s.name())
                    .register(registry));
        }
        return counters;
    }

    void rejected(String ruleId) {
        rejected.computeIfAbsent(ruleId, this::rejectedCounter).increment();
    }

    private Counter rejectedCounter(String ruleId) {
        return track(Counter.builder("peony.share.events.rejected")
                .description("Share requests and decisions sent to peony.rejected, by rule")
                .tag("rule", ruleId)
                .register(registry));
    }

    /** Adds {@code delta} to the open applications of {@code provider}. */
    void pending(String provider, long delta) {
        pending.computeIfAbsent(
                        provider,
                        p -> providerGauge("peony.share.pending", "Open share applications before their deadline", p))
                .addAndGet(delta);
    }

    /** Adds {@code delta} to the unanswered applications past their deadline of {@code provider}. */
    void overduePending(String provider, long delta) {
        overduePending
                .computeIfAbsent(
                        provider,
                        p -> providerGauge(
                                "peony.share.overdue.pending",
                                "Share applications past their deadline and still unanswered",
                                p))
                .addAndGet(delta);
    }

    void unmatched(long delta) {
        unmatched.addAndGet(delta);
    }

    private AtomicLong providerGauge(String name, String description, String provider) {
        AtomicLong value = new AtomicLong();
        track(Gauge.builder(name, value, AtomicLong::get)
                .description(description)
                .tag("provider", provider)
                .register(registry));
        return value;
    }

    /** The provider's LAST_30_DAYS rate; null (nothing due) shows as NaN. */
    void timelyRatio(String provider, Double rate) {
        if (timelyRatio.put(provider, rate == null ? Double.NaN : rate) == null) {
            track(Gauge.builder("peony.share.timely.ratio", timelyRatio, m -> m.getOrDefault(provider, Double.NaN))
                    .description("Timely-share rate of the last 30 days (deadlines in [now-30d, now)), 0..1")
                    .tag("provider", provider)
                    .register(registry));
        }
    }

    /** The task computing the provider's rate stopped here: report nothing until one starts again. */
    void forgetTimelyRatio(String provider) {
        timelyRatio.put(provider, Double.NaN);
    }

    private <M extends Meter> M track(M meter) {
        registered.add(meter);
        return meter;
    }

    /** Removes this application's meters from the registry. */
    @Override
    public void close() {
        registered.forEach(registry::remove);
        registered.clear();
    }

    /** For tests and status lines: the gauges' current values. */
    public long pending(String provider) {
        AtomicLong v = pending.get(provider);
        return v == null ? 0 : v.get();
    }

    public long overduePending(String provider) {
        AtomicLong v = overduePending.get(provider);
        return v == null ? 0 : v.get();
    }

    public double timelyRatio(String provider) {
        return timelyRatio.getOrDefault(provider, Double.NaN);
    }

    public long unmatched() {
        return unmatched.get();
    }
}
