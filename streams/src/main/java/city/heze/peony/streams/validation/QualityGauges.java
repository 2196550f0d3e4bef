package city.heze.peony.streams.validation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scorecard gauges per department and catalog: {@code peony.quality.qualified.ratio} (today's
 * DAY window, NaN while nothing was received today) and {@code peony.catalog.stale} (1 when the
 * update cycle passed without a record). Set by the scorecard aggregator when it reports.
 */
final class QualityGauges {
    static final String QUALIFIED_RATIO = "peony.quality.qualified.ratio";
    static final String STALE = "peony.catalog.stale";

    /** The values behind one catalog's two gauges. */
    private static final class CatalogState {
        volatile double qualifiedRatio = Double.NaN;
        volatile long ratioDay = ScorecardCounts.NONE;
        volatile double stale;
    }

    private final MeterRegistry registry;
    private final Map<String, CatalogState> catalogs = new ConcurrentHashMap<>();

    QualityGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    void qualifiedRatio(String department, String catalogId, long dayStart, double ratio) {
        CatalogState state = state(department, catalogId);
        state.ratioDay = dayStart;
        state.qualifiedRatio = ratio;
    }

    void stale(String department, String catalogId, boolean stale) {
        state(department, catalogId).stale = stale ? 1 : 0;
    }

    /** A new day: yesterday's ratios no longer describe today. */
    void startDay(long dayStart) {
        for (CatalogState state : catalogs.values()) {
            if (state.ratioDay != dayStart) {
                state.qualifiedRatio = Double.NaN;
            }
        }
    }

    private CatalogState state(String department, String catalogId) {
        CatalogState state = catalogs.get(catalogId);
        if (state != null) {
            return state;
        }
        return catalogs.computeIfAbsent(catalogId, id -> {
            CatalogState created = new CatalogState();
            String dept = department == null ? ValidationMeters.UNKNOWN : department;
            Gauge.builder(QUALIFIED_RATIO, created, s -> s.qualifiedRatio)
                    .description("Today's qualified rate (passed / received, 0..1) of the catalog")
                    .tag("department", dept)
                    .tag("catalog", id)
                    .strongReference(true)
                    .register(registry);
            Gauge.builder(STALE, created, s -> s.stale)
                    .description("1 when the catalog's update cycle passed without a record (by wall clock)")
                    .tag("department", dept)
                    .tag("catalog", id)
                    .strongReference(true)
                    .register(registry);
            return created;
        });
    }
}
