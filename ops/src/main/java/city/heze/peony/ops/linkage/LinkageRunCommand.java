package city.heze.peony.ops.linkage;

import city.heze.peony.ops.ClusterCommand;
import city.heze.peony.ops.ShutdownSignal;
import city.heze.peony.ops.UserException;
import city.heze.peony.ops.metrics.MetricsOptions;
import city.heze.peony.ops.metrics.MetricsServer;
import city.heze.peony.ops.security.SignedIn;
import city.heze.peony.schemas.LinkageScenario;
import city.heze.peony.streams.linkage.LinkageApp;
import city.heze.peony.streams.linkage.LinkageSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code peony linkage run NAME}: one scenario as an application of its own, until Ctrl-C or
 * SIGTERM, with its own {@code /metrics} and {@code /-/healthy}. Instances with the same
 * application id share the work. Signed in as the owner department, it runs under the department's
 * own application id and reads other departments' shared topics only as far as approved
 * applications allow.
 */
@Command(
        name = "run",
        description = "Run one linkage scenario as its own application until Ctrl-C or SIGTERM; more instances with the"
                + " same --application-id share the work.")
final class LinkageRunCommand extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "SCENARIO", description = "social-assistance-review or pension-certification")
    String scenarioId;

    @Mixin
    MetricsOptions metrics;

    @Option(
            names = "--application-id",
            paramLabel = "ID",
            description =
                    "Kafka Streams application.id (default: peony-linkage-<scenario>, or <owner>.linkage.<scenario>"
                            + " when signed in as the owner department).")
    String applicationId;

    @Option(
            names = "--guarantee",
            paramLabel = "exactly_once_v2|at_least_once",
            defaultValue = StreamsConfig.EXACTLY_ONCE_V2,
            description = "Processing guarantee (default ${DEFAULT-VALUE}).")
    String guarantee;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = "${sys:java.io.tmpdir}/peony-linkage",
            description = "Where the scenario's stores live; rebuilt from their changelogs when lost (default"
                    + " ${DEFAULT-VALUE}).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        LinkageScenario scenario = LinkageCommand.scenario(scenarioId);
        if (!guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) && !guarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
            throw new UserException("--guarantee " + guarantee + ": expected " + StreamsConfig.EXACTLY_ONCE_V2 + " or "
                    + StreamsConfig.AT_LEAST_ONCE);
        }
        Properties client = cluster.clientProperties();
        SignedIn signedIn = SignedIn.of(client);
        signedIn.requireMayActAs("scenario " + scenario.id() + " of", scenario.owner());
        String id = applicationId != null
                ? applicationId
                : signedIn.department().isPresent() ? scenario.departmentApplicationId() : scenario.applicationId();
        LinkageSettings settings;
        try {
            settings = LinkageSettings.fromProperties(client);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        ShutdownSignal signal = new ShutdownSignal();
        PrintWriter out = out();
        try (MetricsServer server = metrics.start();
                LinkageApp app = start(scenario, client, id, settings, server)) {
            server.bindKafkaStreams(app.kafkaStreams(), id);
            server.addHealthCheck(scenario.id(), () -> app.state() == KafkaStreams.State.RUNNING);
            CompletableFuture<Object> first = CompletableFuture.anyOf(
                    CompletableFuture.supplyAsync(() -> awaitRunning(app)), signal.received(), app.stopped());
            Object outcome = first.join();
            if (outcome instanceof Boolean running && running) {
                out.println("Linkage " + scenario.id() + " is running: application.id=" + id + " guarantee=" + guarantee
                        + " bootstrap.servers=" + cluster.bootstrapServers() + " output="
                        + scenario.outputs().get(0).name() + " metrics=" + server.url());
                out.flush();
                outcome = CompletableFuture.anyOf(signal.received(), app.stopped())
                        .join();
            }
            if (!(outcome instanceof String name)) {
                throw new UserException(
                        "linkage " + scenario.id() + " (" + id + ") stopped by itself in state " + app.state()
                                + "; the reason is logged above",
                        1);
            }
            out.println("Linkage " + scenario.id() + " is stopping (" + name + ") ...");
        }
        out.println("Linkage " + scenario.id() + " stopped.");
        return 0;
    }

    private LinkageApp start(
            LinkageScenario scenario, Properties client, String id, LinkageSettings settings, MetricsServer server) {
        try {
            return LinkageApp.start(scenario, client, id, guarantee, stateDir.resolve(id), settings, server.registry());
        } catch (IllegalStateException e) {
            throw new UserException(e.getMessage(), 1, e);
        }
    }

    private static boolean awaitRunning(LinkageApp app) {
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
}
