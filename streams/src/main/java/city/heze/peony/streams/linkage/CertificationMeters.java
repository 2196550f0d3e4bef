package city.heze.peony.streams.linkage;

import city.heze.peony.avro.linkage.CertificationStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pension certification's meters. Labels are bounded (scenario, catalog, reason, status); no
 * resident ID ever becomes a label.
 *
 * <ul>
 *   <li>{@code peony.linkage.certification} {status}: pensioners currently in each status
 *       ({@code suspend}, {@code certified}, {@code needs_visit}). It mirrors the run counts: each
 *       counting task adds its stored counts when it starts and takes them away when it stops, so the
 *       gauge is right after a restart and, summed over instances, across tasks;
 *   <li>{@code peony.linkage.outputs} {scenario}: records written to the two outputs (certifications,
 *       tombstones included, and run updates);
 *   <li>{@code peony.linkage.inputs} {scenario, catalog}: shared records read;
 *   <li>{@code peony.linkage.skipped} {scenario, catalog, reason}: shared records skipped, and why;
 *   <li>{@code peony.linkage.lag} {scenario}: wall clock minus the input record's timestamp when an
 *       output is written.
 * </ul>
 *
 * The social-assistance review registers the same names with its own scenario; the certification
 * gauge is this scenario's alone. Thread-safe. Closing removes the meters from the registry, so that
 * the scenario started again on the same registry reports through fresh ones.
 */
public final class CertificationMeters implements AutoCloseable {
    public static final String SCENARIO = PensionCertificationTopology.NAME;
    public static final String CERTIFICATION = "peony.linkage.certification";
    public static final String OUTPUTS = "peony.linkage.outputs";
    public static final String INPUTS = "peony.linkage.inputs";
    public static final String SKIPPED = "peony.linkage.skipped";
    public static final String LAG = "peony.linkage.lag";

    private static final CertificationStatus[] STATUSES = {
        CertificationStatus.SUSPEND, CertificationStatus.CERTIFIED, CertificationStatus.NEEDS_VISIT
    };

    private final MeterRegistry registry;
    private final AtomicLong[] pensioners = new AtomicLong[CertificationStatus.values().length];
    private final Counter outputs;
    private final Timer lag;
    private final Map<String, Counter> inputs = new ConcurrentHashMap<>();
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final List<Meter> registered = new CopyOnWriteArrayList<>();

    public CertificationMeters(MeterRegistry registry) {
        this.registry = registry;
        for (CertificationStatus status : STATUSES) {
            AtomicLong value = new AtomicLong();
            pensioners[status.ordinal()] = value;
            String tag = tag(status);
            // A gauge left behind by an instance that was never closed would keep its old value (the
            // registry hands back the existing meter): this one replaces it.
            Meter stale = registry.find(CERTIFICATION).tag("status", tag).gauge();
            if (stale != null) {
                registry.remove(stale);
            }
            track(Gauge.builder(CERTIFICATION, value, AtomicLong::get)
                    .description("Pensioners currently in each certification status")
                    .tag("status", tag)
                    .register(registry));
        }
        outputs = track(Counter.builder(OUTPUTS)
                .description("Linkage output records written")
                .tag("scenario", SCENARIO)
                .register(registry));
        lag = track(Timer.builder(LAG)
                .description("Wall clock minus the input record's timestamp when a linkage output is written")
                .tag("scenario", SCENARIO)
                .register(registry));
    }

    /** The gauge's status label: the status in lower case. */
    public static String tag(CertificationStatus status) {
        return status.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The input counter of {@code catalog}, for a processor to hold (no lookup per record). */
    Counter inputs(String catalog) {
        return inputs.computeIfAbsent(
                catalog,
                c -> track(Counter.builder(INPUTS)
                        .description("Shared records read by a linkage scenario")
                        .tag("scenario", SCENARIO)
                        .tag("catalog", c)
                        .register(registry)));
    }

    void skipped(String catalog, String reason) {
        skipped.computeIfAbsent(
                        catalog + '\0' + reason,
                        k -> track(Counter.builder(SKIPPED)
                                .description("Shared records a linkage scenario skipped, by reason")
                                .tag("scenario", SCENARIO)
                                .tag("catalog", catalog)
                                .tag("reason", reason)
                                .register(registry)))
                .increment();
    }

    /** An output written now ({@code nowMillis}, wall clock) for an input stamped {@code inputTimestamp}. */
    void output(long nowMillis, long inputTimestamp) {
        outputs.increment();
        lag.record(Math.max(0, nowMillis - inputTimestamp), TimeUnit.MILLISECONDS);
    }

    void pensioners(CertificationStatus status, long delta) {
        if (status.ordinal() < pensioners.length && pensioners[status.ordinal()] != null) {
            pensioners[status.ordinal()].addAndGet(delta);
        }
    }

    /** For tests and status lines: pensioners in {@code status} on the tasks of this instance. */
    public long pensioners(CertificationStatus status) {
        AtomicLong v = pensioners[status.ordinal()];
        return v == null ? 0 : v.get();
    }

    public Duration lagMax() {
        return Duration.ofMillis((long) lag.max(TimeUnit.MILLISECONDS));
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
