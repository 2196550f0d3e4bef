package city.heze.peony.streams.validation;

import city.heze.peony.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validation topology as a running application: what {@code peony validate} runs until
 * Ctrl-C, and what {@code peony up} runs in-process. Start it, wait for RUNNING, close it; Peony's
 * {@code peony.*} meters go to the registry it is given. Kafka Streams' own metrics are the host's
 * to bind ({@code KafkaStreamsMetrics} on {@link #kafkaStreams()}), so that a host running several
 * applications binds them all alike.
 *
 * <pre>{@code
 * try (ValidationApp app = ValidationApp.start(clientProps, ValidationApp.Options.defaults(stateDir), registry)) {
 *     app.awaitRunning(Duration.ofSeconds(60));
 *     ...
 * }
 * }</pre>
 */
public final class ValidationApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ValidationApp.class);
    public static final String DEFAULT_APPLICATION_ID = "peony-validation";

    /**
     * How to run.
     *
     * @param applicationId instances with the same one share the raw partitions
     * @param guarantee {@code exactly_once_v2} (default) or {@code at_least_once}
     * @param stateDir where the scorecard stores live (they are rebuilt from changelogs if lost)
     */
    public record Options(
            String applicationId, String guarantee, Path stateDir, Duration partialsInterval, Duration reportInterval) {
        public Options {
            Objects.requireNonNull(applicationId, "applicationId");
            Objects.requireNonNull(stateDir, "stateDir");
            if (!guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) && !guarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
                throw new IllegalArgumentException("processing guarantee '" + guarantee + "': expected "
                        + StreamsConfig.EXACTLY_ONCE_V2 + " or " + StreamsConfig.AT_LEAST_ONCE);
            }
        }

        public static Options defaults(Path stateDir) {
            return new Options(
                    DEFAULT_APPLICATION_ID,
                    StreamsConfig.EXACTLY_ONCE_V2,
                    stateDir,
                    ValidationTopology.Settings.DEFAULT_PARTIALS_INTERVAL,
                    ValidationTopology.Settings.DEFAULT_REPORT_INTERVAL);
        }

        public Options withApplicationId(String applicationId) {
            return new Options(applicationId, guarantee, stateDir, partialsInterval, reportInterval);
        }

        public Options withGuarantee(String guarantee) {
            return new Options(applicationId, guarantee, stateDir, partialsInterval, reportInterval);
        }

        public Options withIntervals(Duration partialsInterval, Duration reportInterval) {
            return new Options(applicationId, guarantee, stateDir, partialsInterval, reportInterval);
        }
    }

    /** Topics validation writes to or reads whole; it cannot create them (auto-creation is off). */
    static final List<String> REQUIRED_TOPICS =
            List.of(Topics.CATALOG.name(), Topics.REJECTED.name(), Topics.QUALITY.name());

    private final ValidationContext context;
    private final KafkaStreams streams;
    private final Options options;
    private final CompletableFuture<KafkaStreams.State> running = new CompletableFuture<>();
    private final CompletableFuture<KafkaStreams.State> stopped = new CompletableFuture<>();

    private ValidationApp(ValidationContext context, KafkaStreams streams, Options options) {
        this.context = context;
        this.streams = streams;
        this.options = options;
    }

    /**
     * Checks the topics it needs and starts validating.
     *
     * @throws IllegalStateException naming the missing topics, or the cluster that did not answer
     */
    public static ValidationApp start(Properties clientProperties, Options options, MeterRegistry meterRegistry) {
        requireTopics(clientProperties);
        ValidationContext context = ValidationContext.of(ValidationTopology.Settings.of(clientProperties, meterRegistry)
                .withIntervals(options.partialsInterval(), options.reportInterval()));
        try {
            Properties props = ValidationTopology.streamsProperties(
                    clientProperties, options.applicationId(), options.guarantee(), options.stateDir());
            KafkaStreams streams = new KafkaStreams(ValidationTopology.build(context, props), props);
            streams.setUncaughtExceptionHandler(
                    new ThreadFailurePolicy(10, Duration.ofMinutes(10).toMillis()));
            ValidationApp app = new ValidationApp(context, streams, options);
            streams.setStateListener((now, before) -> app.stateChanged(now));
            streams.start();
            return app;
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    private void stateChanged(KafkaStreams.State state) {
        log.info("validation ({}) is {}", options.applicationId(), state);
        if (state == KafkaStreams.State.RUNNING) {
            running.complete(state);
        } else if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
            running.complete(state);
            stopped.complete(state);
        }
    }

    private static void requireTopics(Properties clientProperties) {
        Properties adminProps = new Properties();
        adminProps.putAll(clientProperties);
        adminProps.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        String bootstrap = String.valueOf(clientProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        try (Admin admin = Admin.create(adminProps)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> missing = new ArrayList<>();
            for (String topic : REQUIRED_TOPICS) {
                if (!existing.contains(topic)) {
                    missing.add(topic);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException(
                        "the cluster at " + bootstrap + " has no topic " + String.join(", ", missing)
                                + "; validation needs " + REQUIRED_TOPICS + " (peony up creates them)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the topics of " + bootstrap, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException(
                    "cannot list the topics of the cluster at " + bootstrap + ": " + cause, cause);
        }
    }

    /** Waits until the application is RUNNING; false if it stopped or the time ran out first. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        try {
            return running.get(timeout.toMillis(), TimeUnit.MILLISECONDS) == KafkaStreams.State.RUNNING;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Completes with ERROR or NOT_RUNNING when the application stops by itself or is closed. */
    public CompletableFuture<KafkaStreams.State> stopped() {
        return stopped;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public String applicationId() {
        return options.applicationId();
    }

    public String guarantee() {
        return options.guarantee();
    }

    /** The Kafka Streams instance, for interactive queries or metrics. */
    public KafkaStreams kafkaStreams() {
        return streams;
    }

    /** Catalogs known to the running topology. */
    public int catalogCount() {
        return context.catalogCount();
    }

    /**
     * Stops processing (committing what was processed) and leaves the consumer group, so that a
     * restarted instance, or the other instances, take the partitions over at once rather than
     * after the session timeout; then releases the registry client.
     */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60)));
        context.close();
        stopped.complete(streams.state());
    }
}
