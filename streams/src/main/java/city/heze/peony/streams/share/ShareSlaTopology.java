package city.heze.peony.streams.share;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareOutcome;
import city.heze.peony.avro.ShareRequest;
import city.heze.peony.avro.TimelyShareRate;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Share applications against their deadlines, and the timely-share rate (及时共享率) they add up to.
 *
 * <pre>
 * peony.share.requests  --+                                     +--> peony.share.outcomes (one per application)
 * peony.share.decisions --+--> share-sla-pairing ---------------+--> peony.rejected
 *             (bytes)            | share-sla-applications        |
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

    private final ShareSlaSettings settings;
    private final ShareMeters meters;
    private final PeonySerdes serdes;

    /**
     * @param settings deadlines, calendar and punctuation intervals
     * @param serdeConfigs configs of the Avro serdes ({@code schema.registry.url}, ...)
     * @param meters where the share meters are registered
     */
    public ShareSlaTopology(ShareSlaSettings settings, Map<String, ?> serdeConfigs, ShareMeters meters) {
        this.settings = settings;
        this.meters = meters;
        this.serdes = new PeonySerdes(serdeConfigs);
    }

    /** The same, with configs taken from client properties. */
    public ShareSlaTopology(ShareSlaSettings settings, Properties clientProperties, ShareMeters meters) {
        this(settings, ClientConfigs.toMap(clientProperties), meters);
    }

    public ShareMeters meters() {
        return meters;
    }

    /** A topology of this alone. */
    public Topology build(Properties streamsConfig) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder);
        return builder.build(streamsConfig);
    }

    /** Adds the share topology to {@code builder} (which may hold other topologies). */
    public void addTo(StreamsBuilder builder) {
        Serde<String> keys = PeonySerdes.key();
        Serde<CatalogEntry> catalogSerde = serdes.catalogEntry();
        Serde<ShareRequest> requestSerde = serdes.shareRequest();
        Serde<ShareDecision> decisionSerde = serdes.shareDecision();
        Serde<ShareOutcome> outcomeSerde = serdes.shareOutcome();
        Serde<Rejection> rejectionSerde = serdes.rejection();
        Serde<TimelyShareRate> rateSerde = serdes.timelyShareRate();

        builder.globalTable(
                Topics.CATALOG.name(),
                Consumed.with(keys, catalogSerde).withName("share-sla-catalog-source"),
                Materialized.<String, CatalogEntry, KeyValueStore<Bytes, byte[]>>as(CATALOG_STORE)
                        .withKeySerde(keys)
                        .withValueSerde(catalogSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(APPLICATIONS_STORE), keys, ApplicationState.serde())
                .withCachingEnabled());
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RATED_STORE), keys, RatedOutcome.serde())
                        .withCachingEnabled());
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTS_STORE), keys, RateCounts.serde())
                        .withCachingEnabled());

        String requestsTopic = Topics.SHARE_REQUESTS.name();
        KStream<String, SpecificRecord> paired = builder.stream(
                        List.of(requestsTopic, Topics.SHARE_DECISIONS.name()),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("share-sla-events"))
                .process(
                        () -> new ShareApplicationProcessor(
                                requestsTopic,
                                requestSerde.deserializer(),
                                decisionSerde.deserializer(),
                                settings,
                                meters),
                        Named.as("share-sla-pairing"),
                        APPLICATIONS_STORE);

        Map<String, KStream<String, SpecificRecord>> branches = paired.split(Named.as("share-sla-"))
                .branch((k, v) -> v instanceof ShareOutcome, Branched.as("outcomes"))
                .defaultBranch(Branched.as("rejections"));

        KStream<String, ShareOutcome> outcomes =
                branches.get("share-sla-outcomes").mapValues(v -> (ShareOutcome) v, Named.as("share-sla-as-outcome"));
        outcomes.to(
                Topics.SHARE_OUTCOMES.name(), Produced.with(keys, outcomeSerde).withName("share-sla-outcomes-sink"));
        branches.get("share-sla-rejections")
                .mapValues(v -> (Rejection) v, Named.as("share-sla-as-rejection"))
                .to(Topics.REJECTED.name(), Produced.with(keys, rejectionSerde).withName("share-sla-rejected-sink"));

        outcomes.map(
                        (applicationId, o) -> KeyValue.pair(o.getProviderDepartment(), RatedOutcome.of(o)),
                        Named.as("share-rates-key-by-provider"))
                .repartition(Repartitioned.with(keys, RatedOutcome.serde()).withName(BY_PROVIDER_TOPIC))
                .process(
                        () -> new TimelyShareRateProcessor(settings, meters),
                        Named.as("share-rates"),
                        RATED_STORE,
                        COUNTS_STORE)
                .to(Topics.SHARE_RATES.name(), Produced.with(keys, rateSerde).withName("share-rates-sink"));
    }
}
