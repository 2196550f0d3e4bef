package city.heze.peony.streams.validation;

import city.heze.peony.avro.common.RejectionKind;
import city.heze.peony.avro.common.Severity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The validation counters, labelled by department and catalog (bounded: one set per catalog).
 * Each catalog's counters are looked up once, when its entry is compiled, so counting a record is
 * an increment, never a registry lookup. Records of no known catalog count under {@code unknown}.
 */
final class ValidationMeters {
    static final String RECEIVED = "peony.records.received";
    static final String SHARED = "peony.records.shared";
    static final String REJECTED = "peony.records.rejected";
    static final String RULE_FAILURES = "peony.rule.failures";
    static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final CatalogMeters unknownCatalog;

    ValidationMeters(MeterRegistry registry) {
        this.registry = registry;
        this.unknownCatalog = new CatalogMeters(registry, UNKNOWN, UNKNOWN);
    }

    CatalogMeters forCatalog(String department, String catalogId) {
        return new CatalogMeters(registry, department == null ? UNKNOWN : department, catalogId);
    }

    /** For records whose topic names no catalog: a label per unknown name would be unbounded. */
    CatalogMeters unknownCatalog() {
        return unknownCatalog;
    }

    /** One catalog's counters. */
    static final class CatalogMeters {
        private final MeterRegistry registry;
        private final String department;
        private final String catalogId;
        private final Counter received;
        private final Counter shared;
        /** By kind's ordinal, created on first use: most catalogs never see most kinds. */
        private final AtomicReferenceArray<Counter> rejected =
                new AtomicReferenceArray<>(RejectionKind.values().length);

        private final Map<String, Counter> blockingFailures = new ConcurrentHashMap<>();
        private final Map<String, Counter> warnings = new ConcurrentHashMap<>();

        private CatalogMeters(MeterRegistry registry, String department, String catalogId) {
            this.registry = registry;
            this.department = department;
            this.catalogId = catalogId;
            this.received = Counter.builder(RECEIVED)
                    .description("Records read from raw.<catalog>")
                    .tag("department", department)
                    .tag("catalog", catalogId)
                    .register(registry);
            this.shared = Counter.builder(SHARED)
                    .description("Records that passed validation and went to shared.<catalog>")
                    .tag("department", department)
                    .tag("catalog", catalogId)
                    .register(registry);
        }

        void received() {
            received.increment();
        }

        void shared() {
            shared.increment();
        }

        void rejected(RejectionKind kind) {
            Counter counter = rejected.get(kind.ordinal());
            if (counter == null) {
                // Registering is idempotent: a race registers the same meter twice and keeps one.
                counter = Counter.builder(REJECTED)
                        .description("Records sent to peony.rejected, by kind")
                        .tag("department", department)
                        .tag("catalog", catalogId)
                        .tag("kind", kind.name())
                        .register(registry);
                rejected.set(kind.ordinal(), counter);
            }
            counter.increment();
        }

        void ruleFailure(String ruleId, Severity severity) {
            Map<String, Counter> bySeverity = severity == Severity.WARNING ? warnings : blockingFailures;
            Counter counter = bySeverity.get(ruleId);
            if (counter == null) {
                counter = bySeverity.computeIfAbsent(
                        ruleId,
                        id -> Counter.builder(RULE_FAILURES)
                                .description(
                                        "Rule failures (blocking ones reject the record, warnings are only counted)")
                                .tag("department", department)
                                .tag("catalog", catalogId)
                                .tag("rule", id)
                                .tag("severity", severity.name())
                                .register(registry));
            }
            counter.increment();
        }
    }
}
