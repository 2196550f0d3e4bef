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
 * peony.rejected}: timed over a steady window ({@link StreamsStopwatch#steady}). That the
 * split is right is for the validation tests to prove, not for a bench.
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
     * Validates the {@code records} records of the catalog's raw topic, timed over the window; each
     * ends up in {@code shared.<catalog>} or {@code peony.rejected}, one output record per input.
     */
    static StreamsStopwatch.Timing run(
            BenchCluster cluster,
            String applicationId,
            String guarantee,
            String catalogId,
            long records,
            SteadyWindow window,
            Path stateDir) {
        String raw = Topics.raw(catalogId);
        boolean transactional = StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee);
        return StreamsStopwatch.steady(
                cluster,
                applicationId,
                List.of(Topics.shared(catalogId), Topics.REJECTED.name()),
                transactional,
                records,
                window,
                () -> running(start(cluster, applicationId, guarantee, stateDir, raw)));
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
