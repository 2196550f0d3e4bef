package city.heze.peony.streams.linkage;

import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.LinkageScenario;
import city.heze.peony.streams.PeonyStreamsConfig;
import city.heze.peony.streams.validation.ThreadFailurePolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One linkage scenario running as a Kafka Streams application of its own ({@link
 * LinkageScenario#applicationId()} when Peony runs it, {@link
 * LinkageScenario#departmentApplicationId()} when the owner department does), so that each scenario
 * scales, restarts and is granted access on its own. Its stores are changelogged: a restarted
 * instance carries on where it stopped.
 */
public final class LinkageApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinkageApp.class);

    private final LinkageScenario scenario;
    private final String applicationId;
    private final KafkaStreams streams;
    private final LinkageContext context;
    private final Runnable closeMeters;
    private final CompletableFuture<KafkaStreams.State> running = new CompletableFuture<>();
    private final CompletableFuture<KafkaStreams.State> stopped = new CompletableFuture<>();

    private LinkageApp(
            LinkageScenario scenario,
            String applicationId,
            KafkaStreams streams,
            LinkageContext context,
            Runnable closeMeters) {
        this.scenario = scenario;
        this.applicationId = applicationId;
        this.streams = streams;
        this.context = context;
        this.closeMeters = closeMeters;
    }

    /** A scenario's topology and how to unregister the meters it counts on. */
    public record Built(Topology topology, Runnable closeMeters) {}

    /**
     * Checks that the scenario's shared topics exist and starts it.
     *
     * @param clientProperties Kafka client properties with {@code schema.registry.url}; {@code
     *     peony.*} keys are settings and are not passed to Kafka
     * @throws IllegalStateException naming the missing topics, or the cluster that did not answer
     */
    public static LinkageApp start(
            LinkageScenario scenario,
            Properties clientProperties,
            String applicationId,
            String guarantee,
            Path stateDir,
            LinkageSettings settings,
            MeterRegistry registry) {
        Properties client = ClientConfigs.kafkaOnly(clientProperties);
        requireInputs(scenario, client);
        Properties config = streamsConfig(client, applicationId, guarantee, stateDir);
        LinkageContext context = LinkageContext.of(settings, client, registry);
        Built built = null;
        try {
            built = topology(scenario, context, config);
            KafkaStreams streams = new KafkaStreams(built.topology(), config);
            // A bug or a cluster fault: replace the thread from the last commit, up to 10 times in 10 minutes.
            streams.setUncaughtExceptionHandler(
                    new ThreadFailurePolicy(10, Duration.ofMinutes(10).toMillis(), "linkage " + scenario.id()));
            LinkageApp app = new LinkageApp(scenario, applicationId, streams, context, built.closeMeters());
            streams.setStateListener((now, before) -> app.stateChanged(now));
            streams.start();
            return app;
        } catch (RuntimeException e) {
            if (built != null) {
                built.closeMeters().run();
            }
            context.close();
            throw e;
        }
    }

    /** The scenario's topology, with its meters registered on the context's registry. */
    public static Built topology(LinkageScenario scenario, LinkageContext context, Properties streamsConfig) {
        return switch (scenario) {
            case SOCIAL_ASSISTANCE_REVIEW -> {
                ReviewMeters meters = new ReviewMeters(context.meterRegistry());
                yield new Built(SocialAssistanceReviewTopology.build(context, streamsConfig, meters), meters::close);
            }
            case PENSION_CERTIFICATION -> {
                CertificationMeters meters = new CertificationMeters(context.meterRegistry());
                yield new Built(PensionCertificationTopology.build(context, streamsConfig, meters), meters::close);
            }
        };
    }

    /** The Kafka Streams configuration a scenario runs with (tests use it for their drivers). */
    public static Properties streamsConfig(
            Properties clientProperties, String applicationId, String guarantee, Path stateDir) {
        Properties config =
                PeonyStreamsConfig.of(ClientConfigs.kafkaOnly(clientProperties), applicationId, guarantee, stateDir);
        // Inputs are read as bytes and decoded by the topology, which skips and counts what it cannot
        // read; nothing a department writes may stop a scenario.
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        return config;
    }

    private void stateChanged(KafkaStreams.State state) {
        log.info("linkage {} ({}) is {}", scenario.id(), applicationId, state);
        if (state == KafkaStreams.State.RUNNING) {
            running.complete(state);
        } else if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
            running.complete(state);
            stopped.complete(state);
        }
    }

    private static void requireInputs(LinkageScenario scenario, Properties client) {
        Properties adminProps = new Properties();
        adminProps.putAll(client);
        adminProps.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        String bootstrap = String.valueOf(client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        try (Admin admin = Admin.create(adminProps)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> missing = new ArrayList<>();
            for (String topic : scenario.inputTopics()) {
                if (!existing.contains(topic)) {
                    missing.add(topic);
                }
            }
            for (var topic : scenario.outputs()) {
                if (!existing.contains(topic.name())) {
                    missing.add(topic.name());
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("linkage " + scenario.id() + " needs " + String.join(", ", missing)
                        + ", which the cluster at " + bootstrap + " does not have (or does not let this principal"
                        + " see); register the catalogs " + scenario.inputCatalogs()
                        + " (peony catalog register) and start Peony once (peony up creates linkage.*)");
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

    public LinkageScenario scenario() {
        return scenario;
    }

    public String applicationId() {
        return applicationId;
    }

    /** The Kafka Streams instance, for metrics and health checks. */
    public KafkaStreams kafkaStreams() {
        return streams;
    }

    /**
     * Stops processing (committing what was processed) and leaves the consumer group, so that the
     * other instances take the partitions over at once; then unregisters the scenario's meters and
     * releases the registry client.
     */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60)));
        closeMeters.run();
        context.close();
        stopped.complete(streams.state());
    }
}
