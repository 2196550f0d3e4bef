package city.heze.peony.streams.share;

import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.streams.PeonyStreamsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The share topology running as a Kafka Streams application ({@code application.id}
 * {@value #DEFAULT_APPLICATION_ID} by default): what {@code peony up} starts in-process, and what a
 * real deployment scales out by starting more instances with the same id. Pending applications live
 * in changelogged stores, so a restarted instance carries on where it stopped.
 */
public final class ShareSlaApp implements AutoCloseable {
    public static final String DEFAULT_APPLICATION_ID = "peony-share-sla";

    /** How soon the ingress notices a department's share topics created while it runs. */
    public static final Duration METADATA_MAX_AGE = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(ShareSlaApp.class);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final ShareSlaContext context;

    private ShareSlaApp(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics, ShareSlaContext context) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.context = context;
    }

    /**
     * Starts the application with the default id and {@code exactly_once_v2}.
     *
     * @param clientProperties Kafka client properties with {@code schema.registry.url}; {@code peony.*}
     *     keys in them are Peony's settings and are not passed to Kafka
     * @param stateDir where the state stores live (keep it across restarts to avoid a full restore)
     * @param settings deadlines, calendar, punctuation intervals ({@link ShareSlaSettings#fromProperties})
     * @param registry where Peony's share meters and the Kafka Streams metrics are registered
     */
    public static ShareSlaApp start(
            Properties clientProperties, Path stateDir, ShareSlaSettings settings, MeterRegistry registry) {
        return start(
                clientProperties,
                DEFAULT_APPLICATION_ID,
                PeonyStreamsConfig.DEFAULT_GUARANTEE,
                stateDir,
                settings,
                registry);
    }

    /** The same with an application id and a processing guarantee of the caller's choice. */
    public static ShareSlaApp start(
            Properties clientProperties,
            String applicationId,
            String guarantee,
            Path stateDir,
            ShareSlaSettings settings,
            MeterRegistry registry) {
        Properties client = ClientConfigs.kafkaOnly(clientProperties);
        Properties config = streamsConfig(client, applicationId, guarantee, stateDir);
        ShareSlaContext context = ShareSlaContext.of(settings, client, registry);
        KafkaStreams streams = new KafkaStreams(ShareSlaTopology.build(context, config), config);
        streams.setUncaughtExceptionHandler(e -> {
            // A bug or a cluster fault: log it and carry on in a new thread from the last commit.
            log.error("share SLA stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.start();
        return new ShareSlaApp(streams, streamsMetrics, context);
    }

    /** The Kafka Streams configuration the application runs with (tests use it for their drivers). */
    @SuppressWarnings("deprecation") // the global-handler switch: deprecated, yet Kafka 4.4 warns without it
    public static Properties streamsConfig(
            Properties clientProperties, String applicationId, String guarantee, Path stateDir) {
        Properties config =
                PeonyStreamsConfig.of(ClientConfigs.kafkaOnly(clientProperties), applicationId, guarantee, stateDir);
        // Inputs are read as bytes and bad ones rejected by the topology; only peony.catalog is
        // decoded by Kafka Streams, and one unreadable catalog entry must not stop the application.
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // The ingress subscribes to peony.share.*.<dept> by pattern; the consumer sees a department's
        // topics created after start only when it refreshes its metadata (5 min by default). 5 s lets
        // a new department submit at once, for one small metadata request per client every 5 s.
        config.put(CommonClientConfigs.METADATA_MAX_AGE_CONFIG, (int) METADATA_MAX_AGE.toMillis());
        return config;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Waits until the application is RUNNING (state restored, tasks assigned); false on timeout or error. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    public ShareMeters meters() {
        return context.meters();
    }

    /** The Kafka Streams instance, for the stack's health checks. */
    public KafkaStreams streams() {
        return streams;
    }

    /**
     * Stops the application (committing what it processed) and unregisters its Kafka Streams
     * metrics. It leaves its consumer group, so that a restarted or remaining instance takes its
     * tasks over at once instead of after the session timeout (45 s).
     */
    @Override
    public void close() {
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        streamsMetrics.close();
        context.close();
    }
}
