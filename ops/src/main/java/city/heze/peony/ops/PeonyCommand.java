package city.heze.peony.ops;

import city.heze.peony.broker.BrokerStartException;
import city.heze.peony.ops.bench.BenchCommand;
import city.heze.peony.ops.catalog.CatalogCommand;
import city.heze.peony.ops.schemas.SchemasCommand;
import city.heze.peony.ops.status.StatusCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The {@code peony} command: the entry point of every subcommand. */
@Command(
        name = "peony",
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
            city.heze.peony.ops.publish.PublishCommand.class,
            city.heze.peony.ops.simulate.SimulateCommand.class,
            city.heze.peony.ops.validation.ValidateCommand.class,
            city.heze.peony.ops.validation.QualityCommand.class,
            city.heze.peony.ops.validation.DlqCommand.class,
            CommandLine.HelpCommand.class
        })
public final class PeonyCommand implements Runnable {

    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this directly). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new PeonyCommand());
        cli.setExecutionExceptionHandler(PeonyCommand::handleFailure);
        cli.setParameterExceptionHandler(PeonyCommand::handleUsageError);
        return cli.execute(args);
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
        if (e instanceof UserException user) {
            err.println(cli.getCommandSpec().qualifiedName() + ": " + user.getMessage());
            return user.exitCode();
        }
        if (e instanceof BrokerStartException broker) {
            err.println(cli.getCommandSpec().qualifiedName() + ": " + broker.getMessage());
            return UserException.USAGE;
        }
        err.println(cli.getCommandSpec().qualifiedName() + ": unexpected error (a bug; please report it):");
        e.printStackTrace(err);
        return 70; // EX_SOFTWARE
    }

    /** The version from the jar's manifest, with the Kafka client version beside it. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String own = PeonyCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "peony " + (own == null ? "(development build)" : own), "Apache Kafka " + kafkaVersion()
            };
        }

        /** Read from the clients jar itself, so it is the Kafka this process really runs. */
        private static String kafkaVersion() {
            try (InputStream in = PeonyCommand.class.getResourceAsStream("/kafka/kafka-version.properties")) {
                Properties props = new Properties();
                if (in != null) {
                    props.load(in);
                }
                return props.getProperty("version", "unknown");
            } catch (IOException e) {
                return "unknown";
            }
        }
    }
}
