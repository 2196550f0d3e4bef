package city.heze.peony.streams.linkage;

import city.heze.peony.avro.linkage.ReviewFlagKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The social-assistance review's meters, all tagged {@code scenario=social-assistance-review}.
 * Labels are bounded: flag kind, catalog, skip reason; never a resident ID.
 *
 * <ul>
 *   <li>{@code peony.linkage.flags} {kind}: recipients currently flagged with that kind. Each task
 *       keeps its counts in a state store and adds them here when it starts and takes them away when
 *       it stops, so the gauge is right after a restart and sums the tasks this instance runs;
 *   <li>{@code peony.linkage.outputs}: reviews written;
 *   <li>{@code peony.linkage.inputs} {catalog}: records read per shared catalog;
 *   <li>{@code peony.linkage.skipped} {catalog, reason}: records not used (undecodable, no resident
 *       ID, no credit code, no key);
 *   <li>{@code peony.linkage.lag}: wall clock minus the input record's timestamp when a review is
 *       written.
 * </ul>
 *
 * Thread-safe. Closing removes the meters from the registry, so that an application started again on
 * the same registry reports through fresh ones.
 */
public final class ReviewMeters implements AutoCloseable {
    public static final String SCENARIO = SocialAssistanceReviewTopology.NAME;

    private final MeterRegistry registry;
    private final Map<ReviewFlagKind, AtomicLong> flagged = new EnumMap<>(ReviewFlagKind.class);
    private final Map<String, Counter> inputs = new ConcurrentHashMap<>();
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final Counter outputs;
    private final Timer lag;
    private final List<Meter> registered = new CopyOnWriteArrayList<>();

    public ReviewMeters(MeterRegistry registry) {
        this.registry = registry;
        for (ReviewFlagKind kind : ReviewFlags.KINDS) {
            AtomicLong value = new AtomicLong();
            flagged.put(kind, value);
            track(Gauge.builder("peony.linkage.flags", value, AtomicLong::get)
                    .description("Recipients currently flagged with this kind")
                    .tag("scenario", SCENARIO)
                    .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry));
        }
        outputs = track(Counter.builder("peony.linkage.outputs")
                .description("Linkage outputs written")
                .tag("scenario", SCENARIO)
                .register(registry));
        lag = track(Timer.builder("peony.linkage.lag")
                .description("Wall clock minus the input record's timestamp when an output is written")
                .tag("scenario", SCENARIO)
                .register(registry));
    }

    void input(String catalogId) {
        inputs.computeIfAbsent(
                        catalogId,
                        c -> track(Counter.builder("peony.linkage.inputs")
                                .description("Shared records read")
                                .tag("scenario", SCENARIO)
                                .tag("catalog", c)
                                .register(registry)))
                .increment();
    }

    void skipped(String catalogId, String reason) {
        skipped.computeIfAbsent(
                        catalogId + '\u0000' + reason,
                        k -> track(Counter.builder("peony.linkage.skipped")
                                .description("Shared records not used, by reason")
                                .tag("scenario", SCENARIO)
                                .tag("catalog", catalogId)
                                .tag("reason", reason)
                                .register(registry)))
                .increment();
    }

    void output(long lagMillis) {
        outputs.increment();
        lag.record(Duration.ofMillis(Math.max(0, lagMillis)));
    }

    /** Adds {@code delta} to the recipients flagged with {@code kind}. */
    void flagged(ReviewFlagKind kind, long delta) {
        flagged.get(kind).addAndGet(delta);
    }

    /** For tests and status lines: recipients flagged with {@code kind} in the tasks running here. */
    public long flagged(ReviewFlagKind kind) {
        return flagged.get(kind).get();
    }

    private <M extends Meter> M track(M meter) {
        registered.add(meter);
        return meter;
    }

    /** Removes the scenario's meters from the registry. */
    @Override
    public void close() {
        registered.forEach(registry::remove);
        registered.clear();
    }
}
