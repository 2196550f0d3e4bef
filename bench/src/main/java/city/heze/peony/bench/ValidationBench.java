package city.heze.peony.bench;

import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.validation.ValidationApp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * validate: Peony's {@link ValidationApp} (the validation topology as {@code peony up} runs it)
 * over the {@code raw.<catalog>} topic the publisher filled, with a fresh {@code application.id}
 * whose consumer group starts at the end of every other raw topic, so it reads exactly that
 * catalog's records. Every record ends up either in {@code shared.<catalog>} or in {@code
 * peony.rejected}: the measurement ends when all of them are there (timed as {@link
 * StreamsStopwatch} says), and checks that the split matches the bench's own judgement of the
 * records.
 */
final class ValidationBench {

    private ValidationBench() {}

    /**
     * Starts a validation application whose consumer group begins at the current end of every raw
     * topic but {@code keep} (read from its beginning; null keeps none), with the first-poll probe.
     */
    static ValidationApp start(
            BenchCluster cluster, String applicationId, String guarantee, Path stateDir, String keep) {
        cluster.startGroupAtEnd(
                applicationId, name -> Topics.RAW_PATTERN.matcher(name).matches() && !name.equals(keep));
        Properties client = cluster.clientProperties();
        FirstPollProbe.install(client);
        return ValidationApp.start(
                client,
                ValidationApp.Options.defaults(stateDir.resolve(applicationId))
                        .withApplicationId(applicationId)
                        .withGuarantee(guarantee),
                new SimpleMeterRegistry());
    }

    /**
     * Validates the {@code records} records of the catalog's raw topic.
     *
     * @param valid how many of them pass the catalog's blocking rules
     */
    static StreamsStopwatch.Timing run(
            BenchCluster cluster,
            String applicationId,
            String guarantee,
            String catalogId,
            long records,
            long valid,
            Path stateDir) {
        String raw = Topics.raw(catalogId);
        String shared = Topics.shared(catalogId);
        boolean transactional = StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee);
        StreamsStopwatch.Timing timing = StreamsStopwatch.time(
                cluster,
                applicationId,
                List.of(shared, Topics.REJECTED.name()),
                transactional,
                records,
                records,
                () -> running(start(cluster, applicationId, guarantee, stateDir, raw)));
        long sharedCount = timing.delivered().get(shared);
        if (sharedCount != valid) {
            System.err.println("peony bench: validation (" + guarantee + ") shared " + sharedCount + " of " + records
                    + " records of " + raw + " and rejected "
                    + timing.delivered().get(Topics.REJECTED.name())
                    + "; the bench's own judgement was " + valid + " valid");
        }
        return timing;
    }

    static StreamsStopwatch.RunningApp running(ValidationApp app) {
        return StreamsStopwatch.RunningApp.of("validation", app::state, app::close, app.kafkaStreams());
    }

    /** Waits until the application runs; a failure to start is a {@link BenchFailure}. */
    static void awaitRunning(ValidationApp app) {
        try {
            if (!app.awaitRunning(Duration.ofSeconds(120))) {
                throw new BenchFailure("validation " + app.applicationId()
                        + " did not reach RUNNING within 120 s; it is " + app.state());
            }
        } catch (InterruptedException e) {
            throw BenchCluster.interrupted(e);
        }
    }
}
