package city.heze.peony.streams.opendata;

import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.PeonyStreamsConfig;
import city.heze.peony.streams.topology.StreamsTopics;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Open data: the records of OPEN catalogs, masked, checked and published on {@code open.<catalog>}.
 *
 * <pre>
 * peony.catalog --(global store, open-data-catalog-updater)--> OpenCatalogs (open schemas, maskings)
 * shared.* (bytes) --> open-data-open --> open.&lt;catalog&gt;        (TopicNameExtractor)
 *                                    |-> peony.open.withheld     (with the reasons)
 *                                    '-> open-rates-outcomes-out
 *                                          --> open-rates-by-department (repartition)
 *                                          --> open-rates --> peony.open.rates
 *                                              open-rates-counts
 * </pre>
 *
 * Every processor, store and internal topic is named. Shared records are read as bytes, so nothing
 * fails to deserialize before the opener judges it.
 */
public final class OpenDataTopology {
    /** The global-store processor of {@code peony.catalog}. */
    public static final String CATALOG_UPDATER = "open-data-catalog-updater";

    public static final String CATALOG_STORE = "open-data-catalog";
    public static final String SHARED_SOURCE = "open-data-shared-source";
    public static final String OPENER = "open-data-open";
    public static final String OPEN_SINK = "open-data-open-sink";
    public static final String WITHHELD_SINK = "open-data-withheld-sink";
    /** The opener's child that outcomes go to, in front of the repartition. */
    public static final String OUTCOMES = "open-rates-outcomes-out";
    /** Names the internal topic {@code <application.id>-open-rates-by-department-repartition}. */
    public static final String BY_DEPARTMENT = "open-rates-by-department";

    public static final String RATES = "open-rates";
    public static final String RATES_SINK = "open-rates-sink";
    public static final String COUNTS_STORE = "open-rates-counts";

    private OpenDataTopology() {}

    /** Adds the open-data topology to {@code builder}. */
    public static void addTo(StreamsBuilder builder, OpenDataContext ctx) {
        StreamsTopics topics = ctx.topics();
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(CATALOG_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                topics.catalog.name(),
                topics.catalog.withByteValues().consumed(CATALOG_UPDATER),
                () -> new OpenCatalogUpdater(ctx));

        // The opener forwards each record to exactly one of its sinks and its outcome to OUTCOMES.
        KStream<byte[], byte[]> routed = builder.stream(
                        Topics.SHARED_PATTERN,
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SHARED_SOURCE))
                .process(() -> new OpenRecordOpener(ctx), Named.as(OPENER));
        routed.to(
                new OpenTopicExtractor(),
                Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(OPEN_SINK));
        topics.openWithheld.asBytes().to(routed, WITHHELD_SINK);

        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(COUNTS_STORE), PeonySerdes.key(), OpenRateCounts.serde())
                .withCachingEnabled());
        KStream<byte[], byte[]> outcomes = routed.mapValues(outcome -> outcome, Named.as(OUTCOMES));
        topics.openRates.to(
                outcomes.repartition(Repartitioned.with(Serdes.ByteArray(), Serdes.ByteArray())
                                .withName(BY_DEPARTMENT))
                        .process(() -> new OpenRatesProcessor(ctx), Named.as(RATES), COUNTS_STORE),
                RATES_SINK);
    }

    /** The topology alone, checked against {@code streamsProperties} (explicit naming included). */
    public static Topology build(OpenDataContext ctx, Properties streamsProperties) {
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(streamsProperties)));
        addTo(builder, ctx);
        return builder.build(streamsProperties);
    }

    /**
     * The properties open data runs with: {@link PeonyStreamsConfig} (explicit naming, the
     * guarantee); deserialization cannot fail on data (sources are bytes; an unreadable catalog
     * entry becomes an unusable catalog), so a failure there is a bug and fails rather than drops.
     */
    public static Properties streamsProperties(
            Properties clientProperties, String applicationId, String guarantee, Path stateDir) {
        Properties props = PeonyStreamsConfig.of(clientProperties, applicationId, guarantee, stateDir);
        props.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndFailExceptionHandler.class.getName());
        // A newly registered catalog's shared topic joins the pattern subscription within 30 s.
        props.putIfAbsent(StreamsConfig.mainConsumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG), 30_000);
        return props;
    }
}
