package city.heze.peony.ops.validation;

import city.heze.peony.ops.ClusterCommand;
import city.heze.peony.ops.ShutdownSignal;
import city.heze.peony.ops.UserException;
import city.heze.peony.ops.metrics.MetricsOptions;
import city.heze.peony.ops.metrics.MetricsServer;
import city.heze.peony.streams.validation.ValidationApp;
import city.heze.peony.streams.validation.ValidationTopology;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code peony validate}: runs the validation topology against a cluster until Ctrl-C or SIGTERM,
 * printing one line once it is RUNNING. Instances with the same {@code --application-id} share the
 * raw partitions, so starting more of them scales validation out.
 */
@Command(
        name = "validate",
        description = "Validate every raw.<catalog> record against its catalog: valid records to shared.<catalog>,"
                + " the others to peony.rejected, scorecards to peony.quality. Runs until Ctrl-C or SIGTERM.")
public final class ValidateCommand extends ClusterCommand {

    @Mixin
    MetricsOptions metrics;

    @Option(
            names = "--application-id",
            paramLabel = "ID",
            defaultValue = ValidationApp.DEFAULT_APPLICATION_ID,
            description = "Kafka Streams application.id; instances with the same one share the work"
                    + " (default ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(
            names = "--guarantee",
            paramLabel = "exactly_once_v2|at_least_once",
            defaultValue = StreamsConfig.EXACTLY_ONCE_V2,
            description = "Processing guarantee (default ${DEFAULT-VALUE}: no record lost or duplicated).")
    String guarantee;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = "${sys:java.io.tmpdir}/peony-streams",
            description = "Where the scorecard stores live; rebuilt from their changelogs when lost"
                    + " (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(
            names = "--report-interval",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "How often scorecards are sent to peony.quality and silent catalogs checked, by wall clock"
                    + " (default ${DEFAULT-VALUE}).")
    int reportIntervalSeconds;

    @Override
    public Integer call() throws Exception {
        if (!guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) && !guarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
            throw new UserException("--guarantee " + guarantee + ": expected " + StreamsConfig.EXACTLY_ONCE_V2 + " or "
                    + StreamsConfig.AT_LEAST_ONCE);
        }
        if (applicationId.isBlank()) {
            throw new UserException("--application-id must not be blank");
        }
        if (reportIntervalSeconds < 1) {
            throw new UserException("--report-interval " + reportIntervalSeconds + ": expected 1 second or more");
        }
        Duration reportInterval = Duration.ofSeconds(reportIntervalSeconds);
        // Tallies go to the aggregator a few times per report, so that a report is at most one interval late.
        Duration partialsInterval = ValidationTopology.Settings.DEFAULT_PARTIALS_INTERVAL.compareTo(reportInterval) < 0
                ? ValidationTopology.Settings.DEFAULT_PARTIALS_INTERVAL
                : Duration.ofMillis(Math.max(100, reportInterval.toMillis() / 2));
        ShutdownSignal signal = new ShutdownSignal();
        PrintWriter out = spec.commandLine().getOut();
        ValidationApp.Options options = ValidationApp.Options.defaults(stateDir)
                .withApplicationId(applicationId)
                .withGuarantee(guarantee)
                .withIntervals(partialsInterval, reportInterval);
        try (MetricsServer server = metrics.start();
                ValidationApp app = start(server, options)) {
            server.bindKafkaStreams(app.kafkaStreams(), applicationId);
            server.addHealthCheck("validation", () -> app.state() == KafkaStreams.State.RUNNING);
            // Wait for RUNNING, a signal, or validation stopping by itself, whichever comes first.
            CompletableFuture<Object> first = CompletableFuture.anyOf(
                    CompletableFuture.supplyAsync(() -> awaitRunning(app)), signal.received(), app.stopped());
            Object outcome = first.join();
            if (outcome instanceof Boolean running && running) {
                out.println("Validation is running: application.id=" + applicationId + " guarantee=" + guarantee
                        + " bootstrap.servers=" + cluster.bootstrapServers() + " catalogs=" + app.catalogCount()
                        + " metrics=" + server.url());
                out.flush();
                outcome = CompletableFuture.anyOf(signal.received(), app.stopped())
                        .join();
            }
            if (!(outcome instanceof String name)) {
                throw new UserException(
                        "validation (" + applicationId + ") stopped by itself in state " + app.state()
                                + "; the reason is logged above",
                        1);
            }
            out.println("Validation is stopping (" + name + ") ...");
        }
        out.println("Validation stopped.");
        return 0;
    }

    /** True once RUNNING; false if the application stopped first. */
    private static boolean awaitRunning(ValidationApp app) {
        try {
            while (!app.awaitRunning(Duration.ofSeconds(1))) {
                if (app.stopped().isDone()) {
                    return false;
                }
            }
            return !app.stopped().isDone();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ValidationApp start(MetricsServer server, ValidationApp.Options options) {
        try {
            return ValidationApp.start(cluster.clientProperties(), options, server.registry());
        } catch (IllegalStateException e) {
            throw new UserException(e.getMessage(), 1, e);
        }
    }
}
