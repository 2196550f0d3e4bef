package city.heze.peony.streams.linkage;

import city.heze.peony.avro.linkage.CertificationRun;
import city.heze.peony.avro.linkage.PensionCertification;
import city.heze.peony.schemas.LinkageScenario;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.linkage.CertificationFact.Kind;
import city.heze.peony.streams.topology.StreamsTopics;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * 养老金静默认证, silent pension certification: every pensioner certified from other departments'
 * shared data, without a visit (see docs/linkage.md for what each status means).
 *
 * <pre>
 * shared.rs.pension-recipients --> pension-cert-pension-source    --> pension-cert-decode-pension    --+
 * shared.wj.death-registration --> pension-cert-death-source      --> pension-cert-decode-death      --+
 * shared.yb.medical-settlement --> pension-cert-settlement-source --> pension-cert-decode-settlement --+
 *   (bytes, keyed by record key)          pension-cert-record-owners (record key -> resident)         |
 *                                                                                                      |
 *                                        pension-cert-merge --> pension-cert-by-resident (repartition) -+
 *                                                                                                      |
 *           pension-cert-residents  &lt;---------------------------------------------------------------+
 *             pension-cert-facts (every fact per resident and record key)
 *             pension-cert-settlements (VERSIONED: settlements by settledAt)
 *             pension-cert-states (what was last written per pensioner)
 *              |
 *              +--> pension-cert-certifications --> linkage.pension-certification (or a tombstone)
 *              |
 *              +--> pension-cert-run-changes --> pension-cert-runs-by-district (repartition, yyyy-MM|district)
 *                                                   |
 *                                 pension-cert-run-counts (pension-cert-run-counts-store)
 *                                                   |
 *                                                   +--> linkage.pension-certification.runs
 * </pre>
 *
 * <p>Why this shape: the three catalogs are keyed by their own record ids, and a certification needs
 * everything about one resident in one place, so each is decoded in its own partition (where every
 * version of a record key is seen in order, which makes "latest per record key" exact, even when a
 * corrected record names another resident) and re-keyed by resident ID through one repartition topic.
 * The resident's task keeps every fact and certifies again from the stored facts after each one, so
 * the outputs depend on the set of records, not on the order the catalogs arrive in. The run counts
 * are per district, and a pensioner can move from one month or district to another, so the changes
 * are re-keyed by run ({@code yyyy-MM|district}) and counted where that run lives.
 *
 * <p>Why a versioned store (KIP-889) for settlements: the question is "the latest settlement at or
 * before the end of the check date", and settlements arrive in any order, some dated after the check
 * date (which must not certify). Putting each at its settledAt makes that one {@code get(resident,
 * asOf)}, whatever the arrival order, without a scan over the resident's settlements. The history is
 * kept {@link #settlementRetention} (at least 400 days, and the sign-of-life window plus 35 days):
 * a settlement older than that, relative to the newest settlement the task has seen, is not kept, and
 * as long as the retention is longer than the window it could not certify a check date near the newest
 * data anyway. (A configured check date far in the past, more than the retention minus the window
 * before the newest settlement, would find those settlements gone: set the retention to fit.)
 *
 * <p>Every processor, store and internal topic is named (the applications run with explicit naming
 * enforced). Bad input is skipped and counted ({@link CertificationMeters}), never fatal.
 */
public final class PensionCertificationTopology {
    public static final String NAME = LinkageScenario.PENSION_CERTIFICATION.id();
    /** The catalogs whose shared topics it reads, in the order of its sources. */
    public static final List<String> INPUT_CATALOGS = LinkageScenario.PENSION_CERTIFICATION.inputCatalogs();

    public static final String OWNERS_STORE = "pension-cert-record-owners";
    public static final String FACTS_STORE = "pension-cert-facts";
    public static final String SETTLEMENTS_STORE = "pension-cert-settlements";
    public static final String STATES_STORE = "pension-cert-states";
    public static final String RUN_COUNTS_STORE = "pension-cert-run-counts-store";
    public static final String BY_RESIDENT_TOPIC = "pension-cert-by-resident";
    public static final String BY_RUN_TOPIC = "pension-cert-runs-by-district";

    /** The residents processor's children: each gets one type, so the casts below cannot fail. */
    static final String CERTIFICATIONS = "pension-cert-certifications";

    static final String RUN_CHANGES = "pension-cert-run-changes";

    /** The least history the settlement store keeps; see the class comment. */
    static final Duration MIN_SETTLEMENT_RETENTION = Duration.ofDays(400);

    private PensionCertificationTopology() {}

    /** A topology of this alone, counting on {@code meters} (the caller closes them after the Kafka Streams instance). */
    public static Topology build(LinkageContext ctx, Properties streamsConfig, CertificationMeters meters) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, ctx, meters);
        return builder.build(streamsConfig);
    }

    /** Adds the certification to {@code builder} (which may hold other topologies), counting on {@code meters}. */
    public static void addTo(StreamsBuilder builder, LinkageContext ctx, CertificationMeters meters) {
        StreamsTopics topics = ctx.topics();
        Serde<String> keys = PeonySerdes.key();
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OWNERS_STORE), keys, Serdes.String())
                        .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(FACTS_STORE), keys, CertificationFact.serde())
                .withCachingEnabled());
        builder.addStateStore(Stores.versionedKeyValueStoreBuilder(
                Stores.persistentVersionedKeyValueStore(
                        SETTLEMENTS_STORE, settlementRetention(ctx.settings().signOfLifeWindow())),
                keys,
                CertificationFact.serde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(STATES_STORE), keys, CertificationState.serde())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(RUN_COUNTS_STORE), keys, CertificationRunCounts.serde())
                .withCachingEnabled());

        KStream<String, CertificationFact> pensions = decoded(builder, ctx, meters, "pension", Kind.PENSION, 0);
        KStream<String, CertificationFact> deaths = decoded(builder, ctx, meters, "death", Kind.DEATH, 1);
        KStream<String, CertificationFact> settlements =
                decoded(builder, ctx, meters, "settlement", Kind.SETTLEMENT, 2);

        KStream<String, Object> certified = pensions.merge(deaths, Named.as("pension-cert-merge-deaths"))
                .merge(settlements, Named.as("pension-cert-merge"))
                .repartition(Repartitioned.with(keys, CertificationFact.serde()).withName(BY_RESIDENT_TOPIC))
                .process(
                        () -> new PensionCertificationProcessor(ctx.settings(), meters),
                        Named.as("pension-cert-residents"),
                        FACTS_STORE,
                        SETTLEMENTS_STORE,
                        STATES_STORE);

        // The residents processor forwards a certification only to CERTIFICATIONS and a run change
        // only to RUN_CHANGES.
        KStream<String, PensionCertification> certifications =
                certified.mapValues(v -> (PensionCertification) v, Named.as(CERTIFICATIONS));
        topics.pensionCertification.to(certifications, "pension-cert-sink");

        KStream<String, CertificationRun> runs = certified
                .mapValues(v -> (CertificationRunChange) v, Named.as(RUN_CHANGES))
                .repartition(
                        Repartitioned.with(keys, CertificationRunChange.serde()).withName(BY_RUN_TOPIC))
                .process(
                        () -> new CertificationRunProcessor(meters),
                        Named.as("pension-cert-run-counts"),
                        RUN_COUNTS_STORE);
        topics.certificationRuns.to(runs, "pension-cert-runs-sink");
    }

    /** One catalog read as bytes from its own source and decoded into facts keyed by resident. */
    private static KStream<String, CertificationFact> decoded(
            StreamsBuilder builder,
            LinkageContext ctx,
            CertificationMeters meters,
            String label,
            Kind kind,
            int catalogIndex) {
        String catalog = INPUT_CATALOGS.get(catalogIndex);
        return builder.stream(
                        Topics.shared(catalog),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                                .withName("pension-cert-" + label + "-source"))
                .process(
                        () -> new PensionCertificationDecoder(ctx, meters, catalog, kind),
                        Named.as("pension-cert-decode-" + label),
                        OWNERS_STORE);
    }

    /**
     * How long the settlement store keeps history: the sign-of-life window (counted generously, as
     * months of 31 days) plus 35 days, and at least {@link #MIN_SETTLEMENT_RETENTION}.
     */
    static Duration settlementRetention(java.time.Period window) {
        LocalDate epoch = LocalDate.of(2000, 1, 1);
        long windowDays = java.time.temporal.ChronoUnit.DAYS.between(epoch, epoch.plus(window.normalized()))
                + window.toTotalMonths();
        Duration needed = Duration.ofDays(windowDays + 35);
        return needed.compareTo(MIN_SETTLEMENT_RETENTION) > 0 ? needed : MIN_SETTLEMENT_RETENTION;
    }
}
