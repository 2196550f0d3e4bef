package city.heze.peony.ops.metrics;

import java.util.List;

/**
 * The names of Peony's own meters, with their labels: the contract between the code that records
 * them (topologies, publishers, the registry), the alert rules in {@code ops/prometheus/rules} and
 * the dashboards in {@code ops/grafana/dashboards}. Micrometer names use dots; Prometheus shows
 * {@code peony.records.received} as {@code peony_records_received_total} (counters get
 * {@code _total}, timers {@code _seconds_count}, {@code _seconds_sum}, {@code _seconds_max} and
 * {@code _seconds_bucket}). Labels are of bounded cardinality: never a record or share
 * application id.
 */
public final class PeonyMeters {
    /** Counter {department, catalog}: records read from {@code raw.<catalog>}. */
    public static final String RECORDS_RECEIVED = "peony.records.received";
    /** Counter {department, catalog}: records that passed and went to {@code shared.<catalog>}. */
    public static final String RECORDS_SHARED = "peony.records.shared";
    /** Counter {department, catalog, kind}: records sent to {@code peony.rejected}; kind is the RejectionKind. */
    public static final String RECORDS_REJECTED = "peony.records.rejected";
    /** Counter {department, catalog, rule, severity}: failed rules; severity BLOCKING or WARNING. */
    public static final String RULE_FAILURES = "peony.rule.failures";
    /** Gauge {department, catalog}: the latest window's qualified rate, 0..1. */
    public static final String QUALIFIED_RATIO = "peony.quality.qualified.ratio";
    /** Gauge {department, catalog}: 1 when the catalog's update cycle passed without a record. */
    public static final String CATALOG_STALE = "peony.catalog.stale";
    /** Counter {provider, status}: share outcomes; status TIMELY, LATE, OVERDUE or WITHDRAWN. */
    public static final String SHARE_OUTCOMES = "peony.share.outcomes";
    /** Gauge {provider}: the last-30-days timely-share rate, 0..1. */
    public static final String SHARE_TIMELY_RATIO = "peony.share.timely.ratio";
    /** Gauge {provider}: applications past their deadline and still unanswered. */
    public static final String SHARE_OVERDUE_PENDING = "peony.share.overdue.pending";
    /** Gauge {provider}: applications open (answered neither way, not withdrawn). */
    public static final String SHARE_PENDING = "peony.share.pending";
    /** Counter {department, catalog, outcome}: records {@code peony publish}/{@code simulate} sent. */
    public static final String PUBLISH_RECORDS = "peony.publish.records";
    /** Timer {method, endpoint, status}: schema registry requests (see {@link RegistryRequestTimer}). */
    public static final String REGISTRY_REQUESTS = RegistryRequestTimer.NAME;
    /** Gauge {application}: 1 while the Kafka Streams application is RUNNING. */
    public static final String STREAMS_RUNNING = StreamsStateGauges.RUNNING;
    /** Gauge {application, state}: 1 for the current Kafka Streams state. */
    public static final String STREAMS_STATE = StreamsStateGauges.STATE;

    /** Every name above, in the order of the table in {@code ops/prometheus/README.md}. */
    public static final List<String> ALL = List.of(
            RECORDS_RECEIVED,
            RECORDS_SHARED,
            RECORDS_REJECTED,
            RULE_FAILURES,
            QUALIFIED_RATIO,
            CATALOG_STALE,
            SHARE_OUTCOMES,
            SHARE_TIMELY_RATIO,
            SHARE_OVERDUE_PENDING,
            SHARE_PENDING,
            PUBLISH_RECORDS,
            REGISTRY_REQUESTS,
            STREAMS_RUNNING,
            STREAMS_STATE);

    private PeonyMeters() {}
}
