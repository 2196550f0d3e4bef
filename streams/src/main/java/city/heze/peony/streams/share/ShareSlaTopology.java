package city.heze.peony.streams.share;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.ShareGrant;
import city.heze.peony.avro.ShareOutcome;
import city.heze.peony.avro.TimelyShareRate;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.streams.topology.StreamsTopics;
import city.heze.peony.streams.topology.TopicWithSerde;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Share applications against their deadlines, and the timely-share rate (及时共享率) they add up to.
 *
 * <pre>
 * peony.share.requests.&lt;dept&gt;, peony.share.decisions.&lt;dept&gt; --> {@link ShareIngress} --+
 *                                                                                       |
 * peony.share.requests  &lt;--------------------------------------------------------------+
 * peony.share.decisions &lt;--------------------------------------------------------------+
 *
 * peony.share.requests  --+                                     +--> peony.share.outcomes (one per application)
 * peony.share.decisions --+--> share-sla-pairing ---------------+--> peony.rejected
 *             (bytes)            | share-sla-applications        +--> peony.share.grants (approvals, ends)
 *                                |                               |
 *   peony.catalog --(global)-----+                               +--> share-rates-by-provider (repartition)
 *                                  (wall-clock punctuator:                 |
 *                                   OVERDUE without input)       share-rates --> peony.share.rates
 *                                                                share-rates-applications, share-rates-counts
 * </pre>
 *
 * Every processor, store and internal topic is named (the application runs with explicit naming
 * enforced). Requests and decisions must be keyed by application id and the two topics
 * co-partitioned (same partition count), so that an application's events meet in one task.
 */
public final class ShareSlaTopology {
    public static final String CATALOG_STORE = "share-sla-catalog";
    public static final String APPLICATIONS_STORE = "share-sla-applications";
    public static final String RATED_STORE = "share-rates-applications";
    public static final String COUNTS_STORE = "share-rates-counts";
    public static final String BY_PROVIDER_TOPIC = "share-rates-by-provider";

    /** The pairing processor's children: it forwards each output to the one its type belongs to. */
    static final String OUTCOMES = "share-sla-outcomes";

    static final String REJECTIONS = "share-sla-rejections";

    static final String GRANTS = "share-sla-grants";

    private ShareSlaTopology() {}

    /** A topology of this alone. */
    public static Topology build(ShareSlaContext ctx, Properties streamsConfig) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, ctx);
        return builder.build(streamsConfig);
    }

    /** Adds the share topology to {@code builder} (which may hold other topologies). */
    public static void addTo(StreamsBuilder builder, ShareSlaContext ctx) {
        StreamsTopics topics = ctx.topics();
        Serde<String> keys = PeonySerdes.key();
        TopicWithSerde<String, CatalogEntry> catalog = topics.catalog;

        builder.globalTable(
                catalog.name(),
                catalog.consumed("share-sla-catalog-source"),
                Materialized.<String, CatalogEntry, KeyValueStore<Bytes, byte[]>>as(CATALOG_STORE)
                        .withKeySerde(catalog.keySerde())
                        .withValueSerde(catalog.valueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(APPLICATIONS_STORE), keys, ApplicationState.serde())
                .withCachingEnabled());
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RATED_STORE), keys, RatedOutcome.serde())
                        .withCachingEnabled());
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTS_STORE), keys, RateCounts.serde())
                        .withCachingEnabled());

        // Departments write their own topics; the ingress puts what it accepts on the canonical two.
        ShareIngress.addTo(builder, ctx);

        // Read as bytes and decoded by the processor, so that a record that is neither a request nor
        // a decision becomes a Rejection carrying its bytes instead of stopping the application.
        KStream<String, SpecificRecord> paired = builder.stream(
                        List.of(topics.shareRequests.name(), topics.shareDecisions.name()),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("share-sla-events"))
                .process(() -> new ShareApplicationProcessor(ctx), Named.as("share-sla-pairing"), APPLICATIONS_STORE);
        // The processor forwards an outcome only to OUTCOMES, a rejection only to REJECTIONS and a
        // grant only to GRANTS, so each child receives one type and the casts below cannot fail.
        KStream<String, ShareOutcome> outcomes = paired.mapValues(v -> (ShareOutcome) v, Named.as(OUTCOMES));
        topics.shareOutcomes.to(outcomes, "share-sla-outcomes-sink");
        topics.rejected.to(paired.mapValues(v -> (Rejection) v, Named.as(REJECTIONS)), "share-sla-rejected-sink");
        topics.shareGrants.to(paired.mapValues(v -> (ShareGrant) v, Named.as(GRANTS)), "share-sla-grants-sink");

        KStream<String, TimelyShareRate> rates = outcomes.map(
                        (applicationId, o) -> KeyValue.pair(o.getProviderDepartment(), RatedOutcome.of(o)),
                        Named.as("share-rates-key-by-provider"))
                .repartition(Repartitioned.with(keys, RatedOutcome.serde()).withName(BY_PROVIDER_TOPIC))
                .process(
                        () -> new TimelyShareRateProcessor(ctx.settings(), ctx.meters()),
                        Named.as("share-rates"),
                        RATED_STORE,
                        COUNTS_STORE);
        topics.shareRates.to(rates, "share-rates-sink");
    }
}
