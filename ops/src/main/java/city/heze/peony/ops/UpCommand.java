package city.heze.peony.ops;

import city.heze.peony.ops.metrics.MetricsOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peony up}: runs the whole stack in this process until Ctrl-C or SIGTERM. */
@Command(
        name = "up",
        description = "Start Peony in this process (embedded Kafka broker, Peony's topics, the schema registry and"
                + " the catalogs) and run until Ctrl-C or SIGTERM. Data survives a restart in the data directory.")
final class UpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = ".peony",
            description = "Where the broker keeps its data (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--kafka-port",
            paramLabel = "N",
            defaultValue = "9092",
            description = "Kafka listener port on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(
            names = "--registry-port",
            paramLabel = "N",
            defaultValue = "8081",
            description = "Schema registry port on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int registryPort;

    @Mixin
    MetricsOptions metrics;

    @Option(
            names = "--catalog-dir",
            paramLabel = "DIR",
            description = "Catalog files to register on start (default: ops/catalog of this Peony).")
    Path catalogDir;

    @Option(
            names = "--simulate",
            description = "Feed the stack with the city simulator: records of every catalog (with deliberate"
                    + " defects) and share applications.")
    boolean simulate;

    @Option(
            names = "--simulate-rate",
            paramLabel = "N",
            defaultValue = "50",
            description = "Records per second the simulator publishes (default ${DEFAULT-VALUE}).")
    double simulateRate;

    @Option(
            names = "--simulate-applications",
            paramLabel = "N",
            defaultValue = "1",
            description = "Share applications per second the simulator submits (default ${DEFAULT-VALUE}).")
    double simulateApplications;

    @Option(
            names = "--simulate-count",
            paramLabel = "N",
            description = "Stop the simulator after N records (default: run until Peony stops).")
    Long simulateCount;

    @Option(names = "--simulate-seed", paramLabel = "N", description = "Seed of the simulator, for a repeatable city.")
    Long simulateSeed;

    @Option(
            names = "--simulate-people",
            paramLabel = "N",
            defaultValue = "2000",
            description = "Residents of the linked population the simulator publishes first, once per data directory,"
                    + " with planted linkage cases (docs/linkage.md); 0 for none (default ${DEFAULT-VALUE}).")
    int simulatePeople;

    @Option(
            names = "--secure",
            description = "Departments sign in: SASL/SCRAM-SHA-512 only, Kafka ACLs kept in step with the catalogs and"
                    + " approved share applications, registry basic auth; Peony's own client properties are written"
                    + " to DATA-DIR/admin.properties, and the public reader's (open.* only, not a secret) to"
                    + " DATA-DIR/public.properties (README, Security).")
    boolean secure;

    @Override
    public Integer call() throws Exception {
        if (kafkaPort < 0 || kafkaPort > 65535) {
            throw new UserException("--kafka-port " + kafkaPort + " is not a port number (0..65535)");
        }
        if (registryPort < 0 || registryPort > 65535) {
            throw new UserException("--registry-port " + registryPort + " is not a port number (0..65535)");
        }
        if (simulatePeople < 0 || simulatePeople > 2_000_000) {
            throw new UserException("--simulate-people " + simulatePeople + ": expected 0 to 2000000");
        }
        Path catalogs = catalogDir != null ? catalogDir : defaultCatalogDir();
        ShutdownSignal signal = new ShutdownSignal();
        PrintWriter out = spec.commandLine().getOut();
        try (PeonyStack stack = PeonyStack.start(new PeonyStack.Settings(
                dataDir,
                kafkaPort,
                registryPort,
                metrics.metricsPort(),
                catalogs,
                simulate
                        ? new PeonyStack.Simulation(
                                simulateRate, simulateApplications, simulateCount, simulateSeed, simulatePeople)
                        : null,
                secure,
                out))) {
            out.println(stack.upLine());
            out.flush();
            String name = signal.await();
            out.println("Peony is stopping (" + name + ") ...");
        }
        out.println("Peony stopped.");
        return 0;
    }

    /** {@code ops/catalog} beside the {@code peony} script that started us. */
    private static Path defaultCatalogDir() {
        String home = System.getProperty("peony.home");
        return home == null ? null : Path.of(home, "ops", "catalog");
    }
}
