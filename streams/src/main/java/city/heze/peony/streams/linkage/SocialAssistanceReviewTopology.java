package city.heze.peony.streams.linkage;

import city.heze.peony.avro.linkage.SocialAssistanceReview;
import city.heze.peony.schemas.LinkageScenario;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import java.util.ArrayList;
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
 * 社会救助资格核对: social-assistance recipients against other departments' shared data (see
 * docs/linkage.md, "Social-assistance review").
 *
 * <pre>
 * shared.mz.social-assistance      --> extract (key -> resident) --+
 * shared.ga.vehicle-registration   --> extract (key -> owner)    --+
 * shared.rs.employment-registration --> extract (key -> resident) -+
 * shared.rs.pension-recipients     --> extract (key -> resident) --+
 * shared.wj.death-registration     --> extract (key -> resident) --+
 *                                                                  |
 * shared.scjg.business-registration   --> extract --+              |
 * shared.scjg.business-deregistration --> extract --+              |
 *          (key -> credit code)                     |              |
 *            social-assistance-business-by-credit-code (repartition)
 *                                                   |              |
 *                     social-assistance-review-businesses          |
 *                     (registrations + deregistrations,            |
 *                      BUSINESS fact to the legal representative,  |
 *                      retraction from the previous one) ----------+
 *                                                                  |
 *                       social-assistance-facts-by-resident (repartition, one topic for every fact)
 *                                                                  |
 *                       social-assistance-review (residents' facts, last flags written, counts)
 *                                                                  |
 *                                              linkage.social-assistance-review
 * </pre>
 *
 * <p>Inputs are read as bytes and decoded by the extractors, so that a record validation did not
 * write is skipped and counted instead of stopping the application. Facts and state are in {@link
 * city.heze.peony.streams.topology.CompactCodec}'s layout, not Avro: they never leave the
 * application's own repartition and changelog topics, so they need neither the registry nor schema
 * resolution, and each costs one small array. Every processor, store and internal topic is named.
 *
 * <p>Details docs/linkage.md leaves open, decided here: a resident with several assistance records
 * is reviewed against the first by record key; several registrations of one credit code resolve to
 * the one with the latest {@code updatedAt} (then the greatest record key); a flagged recipient whose
 * last assistance record is deleted gets a tombstone; a record without a resident ID (or credit
 * code) is skipped and counted, and retracts what its key said before, as the latest record of the
 * key names nobody; an undecodable record changes nothing.
 *
 * <p>Why the result does not depend on arrival order: each extractor forwards the latest record of
 * each key (retracting the fact from the subject it last named), the business step picks the
 * registration by {@code updatedAt}, not by arrival, and the review is recomputed from the whole set
 * of a resident's facts after every fact.
 */
public final class SocialAssistanceReviewTopology {
    public static final String NAME = LinkageScenario.SOCIAL_ASSISTANCE_REVIEW.id();

    /** The shared topics it reads, for the app and for access checks. */
    public static final List<String> INPUT_CATALOGS = List.of(
            ReviewSource.RECIPIENTS.catalogId,
            ReviewSource.VEHICLES.catalogId,
            ReviewSource.BUSINESS_REGISTRATIONS.catalogId,
            ReviewSource.BUSINESS_DEREGISTRATIONS.catalogId,
            ReviewSource.EMPLOYMENT.catalogId,
            ReviewSource.PENSIONS.catalogId,
            ReviewSource.DEATHS.catalogId);

    public static final String FACTS_BY_RESIDENT_TOPIC = "social-assistance-facts-by-resident";
    public static final String BUSINESS_BY_CREDIT_CODE_TOPIC = "social-assistance-business-by-credit-code";
    public static final String RESIDENTS_STORE = "social-assistance-review-residents";
    public static final String FLAG_COUNTS_STORE = "social-assistance-review-flag-counts";
    public static final String BUSINESSES_STORE = "social-assistance-review-businesses";

    private SocialAssistanceReviewTopology() {}

    /** The store of {@code record key -> subject} of one source catalog. */
    public static String subjectsStore(String catalogId) {
        return NAME + "-subjects-" + catalogId;
    }

    /** A topology of this alone, counting on {@code meters} (close them with the app). */
    public static Topology build(LinkageContext ctx, Properties streamsConfig, ReviewMeters meters) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, ctx, meters);
        return builder.build(streamsConfig);
    }

    /** Adds the review to {@code builder} (which may hold other topologies), counting on {@code meters}. */
    public static void addTo(StreamsBuilder builder, LinkageContext ctx, ReviewMeters meters) {
        Serde<String> keys = PeonySerdes.key();
        Serde<ReviewFact> facts = ReviewFact.serde();
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RESIDENTS_STORE), keys, FactSet.serde())
                        .withCachingEnabled());
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FLAG_COUNTS_STORE), keys, Serdes.Long())
                        .withCachingEnabled());
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BUSINESSES_STORE), keys, FactSet.serde())
                        .withCachingEnabled());

        KStream<String, ReviewFact> businessEvents = extract(builder, ctx, meters, ReviewSource.BUSINESS_REGISTRATIONS)
                .merge(
                        extract(builder, ctx, meters, ReviewSource.BUSINESS_DEREGISTRATIONS),
                        Named.as(NAME + "-business-events"));
        KStream<String, ReviewFact> businessFacts = businessEvents
                .repartition(Repartitioned.with(keys, facts).withName(BUSINESS_BY_CREDIT_CODE_TOPIC))
                .process(() -> new BusinessLinker(BUSINESSES_STORE), Named.as(NAME + "-businesses"), BUSINESSES_STORE);

        List<KStream<String, ReviewFact>> residentFacts = new ArrayList<>();
        for (ReviewSource source : List.of(
                ReviewSource.RECIPIENTS,
                ReviewSource.VEHICLES,
                ReviewSource.EMPLOYMENT,
                ReviewSource.PENSIONS,
                ReviewSource.DEATHS)) {
            residentFacts.add(extract(builder, ctx, meters, source));
        }
        KStream<String, ReviewFact> all = businessFacts;
        for (KStream<String, ReviewFact> s : residentFacts) {
            all = all.merge(s, Named.as(NAME + "-merge-" + residentFacts.indexOf(s)));
        }
        KStream<String, SocialAssistanceReview> reviews = all.repartition(
                        Repartitioned.with(keys, facts).withName(FACTS_BY_RESIDENT_TOPIC))
                .process(
                        () -> new ResidentReviewProcessor(RESIDENTS_STORE, FLAG_COUNTS_STORE, ctx.settings(), meters),
                        Named.as(NAME),
                        RESIDENTS_STORE,
                        FLAG_COUNTS_STORE);
        ctx.topics().socialAssistanceReview.to(reviews, NAME + "-sink");
    }

    /** One catalog's source, as bytes, and its extractor with its {@code record key -> subject} store. */
    private static KStream<String, ReviewFact> extract(
            StreamsBuilder builder, LinkageContext ctx, ReviewMeters meters, ReviewSource source) {
        String store = subjectsStore(source.catalogId);
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), PeonySerdes.key(), PeonySerdes.key())
                        .withCachingEnabled());
        return builder.stream(
                        Topics.shared(source.catalogId),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                                .withName(NAME + "-source-" + source.catalogId))
                .process(
                        () -> new FactExtractor(source, store, new SharedRecordReader(ctx.topics()), meters),
                        Named.as(NAME + "-extract-" + source.catalogId),
                        store);
    }
}
