package city.heze.peony.streams.opendata;

import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.streams.PeonyStreamsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open-data topology as a Kafka Streams application ({@code application.id} {@value
 * #DEFAULT_APPLICATION_ID} by default): what {@code peony up} starts beside validation and share.
 * Rate counts live in a changelogged store, so a restarted instance carries on where it stopped.
 */
public final class OpenDataApp implements AutoCloseable {
    public static final String DEFAULT_APPLICATION_ID = "peony-open-data";

    private static final Logger log = LoggerFactory.getLogger(OpenDataApp.class);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final OpenDataContext context;

    private OpenDataApp(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics, OpenDataContext context) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.context = context;
    }

    /** Starts the application with the default id and {@code exactly_once_v2}. */
    public static OpenDataApp start(Properties clientProperties, Path stateDir, MeterRegistry registry) {
        return start(
                clientProperties,
                DEFAULT_APPLICATION_ID,
                PeonyStreamsConfig.DEFAULT_GUARANTEE,
                stateDir,
                OpenDataContext.Settings.of(clientProperties, registry));
    }

    /** The same with an application id, guarantee and settings of the caller's choice. */
    public static OpenDataApp start(
            Properties clientProperties,
            String applicationId,
            String guarantee,
            Path stateDir,
            OpenDataContext.Settings settings) {
        Properties client = ClientConfigs.kafkaOnly(clientProperties);
        Properties config = OpenDataTopology.streamsProperties(client, applicationId, guarantee, stateDir);
        OpenDataContext context = OpenDataContext.of(settings);
        KafkaStreams streams = new KafkaStreams(OpenDataTopology.build(context, config), config);
        streams.setUncaughtExceptionHandler(e -> {
            // A bug, a registry that does not answer, or a cluster fault: carry on in a new thread from the last
            // commit.
            log.error("open-data stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(settings.meterRegistry());
        streams.start();
        return new OpenDataApp(streams, streamsMetrics, context);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Waits until the application is RUNNING; false on timeout or error. */
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

    public OpenMeters meters() {
        return context.meters();
    }

    public OpenCatalogs catalogs() {
        return context.catalogs();
    }

    /** The Kafka Streams instance, for the stack's health checks. */
    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        streamsMetrics.close();
        context.close();
    }
}
