package city.heze.peony.ops;

import city.heze.peony.broker.BrokerStartException;
import city.heze.peony.ops.bench.BenchCommand;
import city.heze.peony.ops.catalog.CatalogCommand;
import city.heze.peony.ops.schemas.SchemasCommand;
import city.heze.peony.ops.security.SignedIn;
import city.heze.peony.ops.status.StatusCommand;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The {@code peony} command: the entry point of every subcommand. */
@Command(
        name = "peony",
        // -h/--help and -V/--version on every subcommand too, so that a new one cannot miss them.
        scope = CommandLine.ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = PeonyCommand.Version.class,
        description = "Peony: a streaming data-sharing backbone for the departments of a city, on Apache Kafka.",
        subcommands = {
            UpCommand.class,
            RegistryCommand.class,
            CatalogCommand.class,
            SchemasCommand.class,
            StatusCommand.class,
            BenchCommand.class,
            city.heze.peony.ops.share.ShareCommand.class,
            city.heze.peony.ops.share.RatesCommand.class,
            city.heze.peony.ops.opendata.OpenCommand.class,
            city.heze.peony.ops.publish.PublishCommand.class,
            city.heze.peony.ops.simulate.SimulateCommand.class,
            city.heze.peony.ops.validation.ValidateCommand.class,
            city.heze.peony.ops.validation.QualityCommand.class,
            city.heze.peony.ops.validation.DlqCommand.class,
            city.heze.peony.ops.security.DepartmentCommand.class,
            city.heze.peony.ops.security.AccessCommand.class,
            city.heze.peony.ops.linkage.LinkageCommand.class,
            CommandLine.HelpCommand.class
        })
public final class PeonyCommand implements Runnable {

    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Errors Kafka recovers from by itself become one WARN line each (see the class).
        city.heze.peony.ops.logging.RecoveredKafkaErrors.install();
        System.exit(execute(args));
    }

    /** Runs the command line on the process's stdout and stderr and returns the exit code. */
    public static int execute(String... args) {
        CommandLine cli = commandLine();
        try {
            return cli.execute(args);
        } finally {
            // PrintWriter#print does not flush, and System.exit would lose what is buffered.
            cli.getOut().flush();
            cli.getErr().flush();
        }
    }

    /**
     * Runs the command line writing to {@code out} and {@code err} (tests capture them this way);
     * every command prints through {@code spec.commandLine().getOut()/getErr()}, not System.out.
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The whole command tree with Peony's handlers of usage errors and failures. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PeonyCommand());
        cli.setExecutionExceptionHandler(PeonyCommand::handleFailure);
        cli.setParameterExceptionHandler(PeonyCommand::handleUsageError);
        return cli;
    }

    /** {@code peony} without a subcommand prints the usage and fails like any usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }

    /** A wrong command line: what was wrong, a suggestion where picocli has one, then the usage. */
    private static int handleUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println(cli.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        cli.usage(err);
        return UserException.USAGE;
    }

    /**
     * A user's mistake is one line on stderr and a non-zero exit code; only a bug shows a stack
     * trace.
     */
    private static int handleFailure(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        // First: whatever the command was doing, a registry that does not answer is the one thing to say.
        Optional<SchemaRegistryException> registry = UnreachableRegistry.in(e);
        if (registry.isPresent()) {
            err.println(cli.getCommandSpec().qualifiedName() + ": the schema registry at " + registryUrl(cli)
                    + " cannot be reached (" + UnreachableRegistry.reason(registry.get()) + ")");
            return UserException.USAGE;
        }
        if (e instanceof UserException user) {
            err.println(cli.getCommandSpec().qualifiedName() + ": " + user.getMessage());
            return user.exitCode();
        }
        // Then: a client that could not sign in, or was refused, whatever it was doing.
        Optional<Throwable> signIn = causeOf(e, SaslAuthenticationException.class);
        if (signIn.isPresent()) {
            String who = clusterOptions(cli)
                    .flatMap(c -> SignedIn.of(c.clientProperties()).user())
                    .map(u -> "User:" + u)
                    .orElse("a client without credentials");
            err.println(cli.getCommandSpec().qualifiedName() + ": cannot sign in to " + bootstrapServers(cli) + " as "
                    + who + ": " + signIn.get().getMessage() + " (wrong password, or no such department)");
            return UserException.USAGE;
        }
        Optional<Throwable> denied = causeOf(e, AuthorizationException.class);
        if (denied.isPresent()) {
            err.println(cli.getCommandSpec().qualifiedName() + ": not allowed on " + bootstrapServers(cli) + ": "
                    + denied.get().getMessage() + " (peony access check tells why)");
            return 1;
        }
        if (e instanceof BrokerStartException broker) {
            err.println(cli.getCommandSpec().qualifiedName() + ": " + broker.getMessage());
            return UserException.USAGE;
        }
        err.println(cli.getCommandSpec().qualifiedName() + ": unexpected error (a bug; please report it):");
        e.printStackTrace(err);
        return 70; // EX_SOFTWARE
    }

    private static Optional<Throwable> causeOf(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static Optional<ClusterOptions> clusterOptions(CommandLine cli) {
        for (CommandLine.Model.CommandSpec mixin : cli.getCommandSpec().mixins().values()) {
            if (mixin.userObject() instanceof ClusterOptions cluster) {
                return Optional.of(cluster);
            }
        }
        return Optional.empty();
    }

    private static String bootstrapServers(CommandLine cli) {
        return clusterOptions(cli).map(ClusterOptions::bootstrapServers).orElse("the cluster");
    }

    /** The registry URL the command used: its --registry-url, or the client-config file's. */
    private static String registryUrl(CommandLine cli) {
        return clusterOptions(cli)
                .map(c -> c.clientProperties().getProperty("schema.registry.url", c.registryUrl()))
                .orElse("(see --registry-url)");
    }

    /** Peony's version (the Maven project version), with the Kafka client version beside it. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"peony " + peonyVersion(), "Apache Kafka " + kafkaVersion()};
        }

        /**
         * From peony-version.properties, which Maven filters, so it is right from target/classes as
         * well as from the jar; the jar manifest's Implementation-Version is the fallback.
         */
        static String peonyVersion() {
            String filtered = versionIn("/peony-version.properties");
            if (filtered != null && !filtered.startsWith("${")) {
                return filtered;
            }
            String manifest = PeonyCommand.class.getPackage().getImplementationVersion();
            return manifest == null ? "unknown" : manifest;
        }

        /** Read from the clients jar itself, so it is the Kafka this process really runs. */
        private static String kafkaVersion() {
            String version = versionIn("/kafka/kafka-version.properties");
            return version == null ? "unknown" : version;
        }

        private static String versionIn(String resource) {
            try (InputStream in = PeonyCommand.class.getResourceAsStream(resource)) {
                Properties props = new Properties();
                if (in != null) {
                    props.load(in);
                }
                return props.getProperty("version");
            } catch (IOException e) {
                return null;
            }
        }
    }
}
