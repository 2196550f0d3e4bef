package city.heze.peony.streams.validation;

import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.PeonyStreamsConfig;
import city.heze.peony.streams.topology.StreamsTopics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
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
 * The validation topology: every record of every {@code raw.<catalog>} is checked against its
 * catalog and goes, byte for byte, to {@code shared.<catalog>} or, in a {@code Rejection}
 * envelope, to {@code peony.rejected}; quality scorecards go to {@code peony.quality}.
 *
 * <pre>
 * peony.catalog --(global store, CatalogDirectoryUpdater)--> CatalogDirectory (compiled rules)
 * raw.* (bytes) --> validation-validate --> shared.&lt;catalog&gt;  (TopicNameExtractor)
 *                                       |-> peony.rejected
 *                                       '-> validation-scorecard-partials-out
 *                                              --> validation-scorecard-partials (repartition, 1 partition)
 *                                              --> quality-scorecards --> peony.quality
 * </pre>
 *
 * <p>Build it from a {@link ValidationContext} with {@link #addTo} or {@link #build}, run it with
 * the properties of {@link #streamsProperties} (or add {@link #configureErrorHandling} to your own),
 * and close the context after the Kafka Streams instance: it owns the registry client. This is the
 * worked example of docs/topologies.md.
 */
public final class ValidationTopology {
    /** The global-store processor of {@code peony.catalog} (its source is {@code <name>-source}). */
    public static final String CATALOG_UPDATER = "validation-catalog-updater";

    public static final String CATALOG_STORE = "validation-catalog";
    public static final String RAW_SOURCE = "validation-raw-source";
    public static final String VALIDATOR = "validation-validate";
    public static final String SHARED_SINK = "validation-shared-sink";
    public static final String REJECTED_SINK = "validation-rejected-sink";
    public static final String TALLY_STORE = "validation-scorecard-tally";
    /** Names the internal topic {@code <application.id>-validation-scorecard-partials-repartition}. */
    public static final String PARTIALS_REPARTITION = "validation-scorecard-partials";
    /** The validator's child that partials are forwarded to, in front of the repartition. */
    public static final String PARTIALS = "validation-scorecard-partials-out";

    public static final String QUALITY_PROCESSOR = "quality-scorecards";
    public static final String QUALITY_SINK = "quality-sink";
    public static final String WINDOWS_STORE = "quality-scorecard-windows";
    public static final String LAST_SEEN_STORE = "quality-last-seen";

    /**
     * What the topology needs from its host.
     *
     * @param registryConfigs serde and registry settings under Confluent's names ({@code
     *     schema.registry.url}, basic auth, ...); the client properties will do
     * @param meterRegistry where the {@code peony.*} meters go
     * @param clock tells the date rules which day it is
     * @param partialsInterval how often (wall clock) each validation task sends its changed hour tallies
     * @param reportInterval how often (wall clock) scorecards are reported and silent catalogs checked
     * @param scorecardRetention how long hour windows are kept (and late records still counted)
     */
    public record Settings(
            Map<String, ?> registryConfigs,
            MeterRegistry meterRegistry,
            Clock clock,
            Duration partialsInterval,
            Duration reportInterval,
            Duration scorecardRetention) {
        public static final Duration DEFAULT_PARTIALS_INTERVAL = Duration.ofSeconds(5);
        public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofSeconds(30);
        public static final Duration DEFAULT_RETENTION = Duration.ofHours(48);

        public Settings {
            Objects.requireNonNull(registryConfigs, "registryConfigs");
            Objects.requireNonNull(meterRegistry, "meterRegistry");
            Objects.requireNonNull(clock, "clock");
            if (scorecardRetention.compareTo(Duration.ofDays(1)) < 0) {
                throw new IllegalArgumentException("scorecardRetention " + scorecardRetention
                        + " is too short: a DAY scorecard sums the day's hour windows, so keep at least 1 day");
            }
            registryConfigs = Map.copyOf(registryConfigs);
        }

        /** Defaults: system clock, partials every 5 s, reports every 30 s, 48 hours of hour windows. */
        public static Settings of(Map<String, ?> registryConfigs, MeterRegistry meterRegistry) {
            return new Settings(
                    registryConfigs,
                    meterRegistry,
                    Clock.systemUTC(),
                    DEFAULT_PARTIALS_INTERVAL,
                    DEFAULT_REPORT_INTERVAL,
                    DEFAULT_RETENTION);
        }

        /** The same from Kafka client properties (which hold {@code schema.registry.url}). */
        public static Settings of(Properties clientProperties, MeterRegistry meterRegistry) {
            return of(ClientConfigs.toMap(clientProperties), meterRegistry);
        }

        public Settings withClock(Clock clock) {
            return new Settings(
                    registryConfigs, meterRegistry, clock, partialsInterval, reportInterval, scorecardRetention);
        }

        public Settings withIntervals(Duration partialsInterval, Duration reportInterval) {
            return new Settings(
                    registryConfigs, meterRegistry, clock, partialsInterval, reportInterval, scorecardRetention);
        }
    }

    private ValidationTopology() {}

    /** Adds the validation topology to {@code builder} (which may hold other topologies). */
    public static void addTo(StreamsBuilder builder, ValidationContext ctx) {
        StreamsTopics topics = ctx.topics();
        // In memory, so that Kafka Streams rebuilds it at every start by running the updater over
        // the whole (compacted, small) topic: the directory is then complete before validation starts.
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(CATALOG_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                topics.catalog.name(),
                topics.catalog.withByteValues().consumed(CATALOG_UPDATER),
                () -> new CatalogDirectoryUpdater(ctx));

        // Counted in memory, one changelog record per changed tally and commit, inside the transaction.
        builder.addStateStore(ScorecardTallyStore.builder(TALLY_STORE));
        // Raw records are read as bytes: nothing can fail to deserialize, the original bytes are
        // what goes on, and a poison pill is a value the validator judges, not a crash. The validator
        // forwards each record to one of its three named children below, never to all.
        KStream<byte[], byte[]> routed = builder.stream(
                        Topics.RAW_PATTERN,
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(RAW_SOURCE))
                .process(() -> new RecordValidator(ctx), Named.as(VALIDATOR), TALLY_STORE);
        routed.to(
                new SharedTopicExtractor(),
                Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SHARED_SINK));
        topics.rejected.asBytes().to(routed, REJECTED_SINK);

        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(WINDOWS_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(LAST_SEEN_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled());
        // The partials' own named node, so that the validator addresses a name of this topology and
        // not the first node the DSL generates for the repartition. Partials are a few records per
        // interval, so the extra hop costs nothing on the per-record path.
        KStream<byte[], byte[]> partials = routed.mapValues(partial -> partial, Named.as(PARTIALS));
        topics.quality
                .withByteValues()
                .to(
                        partials.repartition(Repartitioned.with(Serdes.ByteArray(), Serdes.ByteArray())
                                        .withName(PARTIALS_REPARTITION)
                                        .withNumberOfPartitions(1))
                                .process(
                                        () -> new QualityScorecards(ctx),
                                        Named.as(QUALITY_PROCESSOR),
                                        WINDOWS_STORE,
                                        LAST_SEEN_STORE),
                        QUALITY_SINK);
    }

    /** The topology alone, checked against {@code streamsProperties} (explicit naming included). */
    public static Topology build(ValidationContext ctx, Properties streamsProperties) {
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(streamsProperties)));
        addTo(builder, ctx);
        return builder.build(streamsProperties);
    }

    /**
     * The Kafka Streams properties validation runs with: {@link PeonyStreamsConfig} (explicit naming,
     * the guarantee) plus {@link #configureErrorHandling}.
     */
    public static Properties streamsProperties(
            Properties clientProperties, String applicationId, String guarantee, Path stateDir) {
        Properties props = PeonyStreamsConfig.of(clientProperties, applicationId, guarantee, stateDir);
        configureErrorHandling(props);
        // A new catalog's raw topic joins the pattern subscription at the consumer's next metadata
        // refresh: every 30 s rather than Kafka's 5 minutes (unless the caller chose otherwise).
        props.putIfAbsent(StreamsConfig.mainConsumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG), 30_000);
        return props;
    }

    /**
     * The error handling validation relies on, chosen rather than defaulted:
     *
     * <ul>
     *   <li>{@code deserialization.exception.handler}: log and fail. Every source of this
     *       topology is read as bytes (or UTF-8 keys), so deserialization cannot fail on data; if it
     *       ever does it is a bug, and failing loses nothing under exactly_once_v2, where
     *       continuing would drop the record.
     *   <li>{@code processing.exception.handler}: {@link ValidationProcessingExceptionHandler}: a
     *       registry that does not answer fails the thread (it is replaced and the record retried);
     *       any other unexpected failure on a raw record sends it to {@code peony.rejected} (kind
     *       UNKNOWN, rule {@code peony.processing-error}) and processing goes on. Enabled for the
     *       global thread too ({@code processing.exception.handler.global.enabled}), where it
     *       fails: a catalog entry is never skipped.
     *   <li>{@code production.exception.handler}: {@link ValidationProductionExceptionHandler}:
     *       retriable errors are retried, anything else fails the thread rather than drop a record.
     * </ul>
     *
     * Kafka's own {@code errors.dead.letter.queue.topic.name} is left unset: its records carry no
     * {@code Rejection} envelope, and {@code peony.rejected} holds envelopes only.
     */
    // The global flag is deprecated only because Kafka 5.0 will turn it on by default.
    @SuppressWarnings("deprecation")
    public static void configureErrorHandling(Properties props) {
        props.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndFailExceptionHandler.class.getName());
        props.put(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                ValidationProcessingExceptionHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(
                StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                ValidationProductionExceptionHandler.class.getName());
    }
}
