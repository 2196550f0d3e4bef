package city.heze.peony.ops.schemas;

import city.heze.peony.ops.ClusterCommand;
import city.heze.peony.ops.UserException;
import city.heze.peony.schemas.registry.CompatibilityReport;
import city.heze.peony.schemas.registry.RegisteredSchema;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code peony schemas register|list|show|check}: the schema registry at {@code --registry-url},
 * which may be Peony's own or any Confluent-compatible one.
 */
@Command(
        name = "schemas",
        description = "Register, list, show and check schemas in any Confluent-compatible schema registry.",
        subcommands = {
            SchemasCommand.Register.class,
            SchemasCommand.ListSubjects.class,
            SchemasCommand.Show.class,
            SchemasCommand.Check.class
        })
public final class SchemasCommand {

    /** Shared by the subcommands: a client for the registry the options name. */
    abstract static class RegistryCommand extends ClusterCommand {

        @Override
        public final Integer call() {
            try (SchemaRegistryClient registry = SchemaRegistryClients.fromConfig(cluster.clientConfigs())) {
                return run(registry, spec.commandLine().getOut());
            } catch (SchemaRegistryException e) {
                throw new UserException("registry " + cluster.registryUrl() + ": " + e.getMessage(), 1, e);
            }
        }

        abstract int run(SchemaRegistryClient registry, PrintWriter out);

        static String readSchema(Path file) {
            try {
                String text = Files.readString(file);
                new Schema.Parser().parse(text);
                return text;
            } catch (NoSuchFileException e) {
                throw new UserException(file + ": no such file");
            } catch (IOException e) {
                throw new UserException(file + ": cannot read it: " + e.getMessage());
            } catch (SchemaParseException e) {
                throw new UserException(file + ": not a valid Avro schema: " + e.getMessage(), 1);
            }
        }
    }

    @Command(name = "register", description = "Register an .avsc file under a subject; prints its id and version.")
    static final class Register extends RegistryCommand {
        @Parameters(index = "0", paramLabel = "SUBJECT", description = "e.g. raw.mz.social-assistance-value")
        String subject;

        @Parameters(index = "1", paramLabel = "FILE", description = "The Avro schema (.avsc).")
        Path file;

        @Override
        int run(SchemaRegistryClient registry, PrintWriter out) {
            String text = readSchema(file);
            int id = registry.register(subject, text);
            RegisteredSchema version = registry.lookup(subject, text, false);
            out.println(subject + " version " + version.version() + " id " + id);
            return 0;
        }
    }

    @Command(name = "list", description = "List subjects with their latest version and schema id.")
    static final class ListSubjects extends RegistryCommand {
        @Option(names = "--deleted", description = "Include soft-deleted subjects.")
        boolean deleted;

        @Override
        int run(SchemaRegistryClient registry, PrintWriter out) {
            out.printf("%-48s %7s %5s  %s%n", "SUBJECT", "VERSION", "ID", "SCHEMA");
            var subjects = registry.subjects(deleted);
            for (String subject : subjects) {
                try {
                    RegisteredSchema latest = registry.latest(subject);
                    out.printf(
                            "%-48s %7d %5d  %s%n",
                            subject,
                            latest.version(),
                            latest.id(),
                            latest.avroSchema().getFullName());
                } catch (SchemaRegistryException e) {
                    out.printf("%-48s %7s %5s  (%s)%n", subject, "-", "-", e.registryMessage());
                }
            }
            out.println(subjects.size() + " subject(s)");
            return 0;
        }
    }

    @Command(name = "show", description = "Print a subject's schema (latest or --schema-version).")
    static final class Show extends RegistryCommand {
        @Parameters(paramLabel = "SUBJECT")
        String subject;

        // Not --version: that prints Peony's version, on every command.
        @Option(names = "--schema-version", paramLabel = "N", description = "A version number (default: latest).")
        Integer version;

        @Override
        int run(SchemaRegistryClient registry, PrintWriter out) {
            RegisteredSchema schema = version == null ? registry.latest(subject) : registry.version(subject, version);
            out.println("# " + schema.subject() + " version " + schema.version() + " id " + schema.id());
            out.println(schema.avroSchema().toString(true));
            return 0;
        }
    }

    @Command(
            name = "check",
            description = "Test an .avsc file against a subject under its compatibility level; exit 1 if incompatible.")
    static final class Check extends RegistryCommand {
        @Parameters(index = "0", paramLabel = "SUBJECT")
        String subject;

        @Parameters(index = "1", paramLabel = "FILE")
        Path file;

        @Option(names = "--schema-version", paramLabel = "N", description = "Test against one version only.")
        Integer version;

        @Override
        int run(SchemaRegistryClient registry, PrintWriter out) {
            String text = readSchema(file);
            CompatibilityReport report = version == null
                    ? registry.testCompatibility(subject, text)
                    : registry.testCompatibility(subject, version, text);
            if (report.compatible()) {
                out.println(file + " is compatible with " + subject);
                return 0;
            }
            out.println(file + " is NOT compatible with " + subject + ":");
            report.messages().forEach(m -> out.println("  " + m));
            return 1;
        }
    }
}
