package city.heze.peony.ops.catalog;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.ops.ClusterCommand;
import city.heze.peony.ops.Listing;
import city.heze.peony.ops.OutputFormat;
import city.heze.peony.ops.UserException;
import city.heze.peony.producers.CatalogRegistrar;
import city.heze.peony.producers.CatalogRegistrationException;
import city.heze.peony.producers.CatalogTopic;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code peony catalog register|list|show}: the data catalog (目录) kept on {@code peony.catalog}. */
@Command(
        name = "catalog",
        description = "Register, list and show catalog entries (目录).",
        subcommands = {CatalogCommand.Register.class, CatalogCommand.ListEntries.class, CatalogCommand.Show.class})
public final class CatalogCommand {

    @Command(
            name = "register",
            description = "Check catalog files, register their schemas under raw.<id>-value, create raw.<id> and"
                    + " shared.<id>, and publish the entries. Registering an unchanged entry changes nothing.")
    static final class Register extends ClusterCommand {
        @Parameters(
                paramLabel = "FILE",
                arity = "1..*",
                description = "Catalog files (YAML or JSON), or folders of them.")
        List<Path> files;

        @Option(
                names = "--partitions",
                defaultValue = "3",
                description = "Partitions of new catalog topics whose file has no 'partitions:' (default"
                        + " ${DEFAULT-VALUE}, Peony's default, not the broker's num.partitions).")
        int partitions;

        @Option(
                names = "--replication-factor",
                description = "Replication factor of new catalog topics (default: the number of brokers, at most 3).")
        Short replicationFactor;

        @Override
        public Integer call() throws Exception {
            List<CatalogRegistrar.Request> requests = new ArrayList<>();
            for (Path f : files) {
                List<Path> expanded = java.nio.file.Files.isDirectory(f) ? CatalogFile.filesIn(f) : List.of(f);
                for (Path file : expanded) {
                    try {
                        requests.add(CatalogFile.loadRequest(file));
                    } catch (CatalogFileException e) {
                        throw new UserException(e.getMessage(), 1);
                    }
                }
            }
            if (partitions < 1) {
                throw new UserException("--partitions " + partitions + ": expected 1 or more");
            }
            try (Admin admin = Admin.create(cluster.clientProperties());
                    SchemaRegistryClient registry = SchemaRegistryClients.fromConfig(cluster.clientConfigs())) {
                short rf = replicationFactor != null
                        ? replicationFactor
                        : CatalogProvisioning.defaultReplicationFactor(admin);
                CatalogTopic topic = new CatalogTopic(cluster.clientProperties());
                CatalogRegistrar registrar =
                        new CatalogRegistrar(registry, admin, topic, partitions, rf, Clock.systemUTC());
                Map<String, CatalogEntry> current = topic.readAll();
                PrintWriter out = out();
                CatalogRegistrar.BatchResult batch;
                try {
                    batch = registrar.registerAll(requests, current);
                } catch (CatalogRegistrationException e) {
                    throw new UserException(e.getMessage(), 1);
                }
                for (CatalogRegistrar.Result result : batch.registered()) {
                    out.printf("%-32s %-9s schema id %d%n", result.catalogId(), result.outcome(), result.schemaId());
                }
                for (CatalogRegistrar.Failure failure : batch.failed()) {
                    err().println("peony catalog register: " + failure.message());
                }
                int failed = batch.failed().size();
                return failed == 0 ? 0 : 1;
            }
        }
    }

    @Command(name = "list", description = "List the registered catalogs.")
    static final class ListEntries extends ClusterCommand {
        @Mixin
        OutputFormat output;

        @Override
        public Integer call() throws Exception {
            Map<String, CatalogEntry> entries = new CatalogTopic(cluster.clientProperties()).readAll();
            PrintWriter out = out();
            if (output.json()) {
                Listing.json(out, entries.values(), e -> CatalogJson.of(e, false));
                return 0;
            }
            Listing table = Listing.table(
                    out,
                    "%-32s %-6s %-14s %-9s %5s %8s  %s%n",
                    "ID",
                    "DEPT",
                    "SHARE",
                    "CYCLE",
                    "RULES",
                    "DEADLINE",
                    "NAME");
            for (CatalogEntry e : entries.values()) {
                table.row(
                        e.getId(),
                        e.getDepartment(),
                        e.getShareType(),
                        e.getUpdateCycle(),
                        e.getFieldRules().size(),
                        e.getShareDeadlineWorkingDays() == null ? "-" : e.getShareDeadlineWorkingDays() + "d",
                        e.getName());
            }
            out.println(entries.size() + " catalog(s)");
            return 0;
        }
    }

    @Command(name = "show", description = "Show one catalog entry with its rules and schema.")
    static final class Show extends ClusterCommand {
        @Mixin
        OutputFormat output;

        @Parameters(paramLabel = "ID", description = "The catalog id, e.g. mz.social-assistance.")
        String id;

        @Override
        public Integer call() throws Exception {
            Map<String, CatalogEntry> entries = new CatalogTopic(cluster.clientProperties()).readAll();
            CatalogEntry e = entries.get(id);
            if (e == null) {
                throw new UserException(
                        "no catalog '" + id + "' on " + cluster.bootstrapServers() + "; known: "
                                + String.join(", ", entries.keySet()),
                        1);
            }
            PrintWriter out = out();
            if (output.json()) {
                Listing.json(out, CatalogJson.of(e, true));
                return 0;
            }
            out.println(e.getId() + "  " + e.getName());
            out.println("  department      " + e.getDepartment()
                    + (e.getDepartmentName() == null ? "" : " (" + e.getDepartmentName() + ")"));
            out.println("  resource code   " + e.getResourceCode());
            out.println("  share type      " + e.getShareType()
                    + (e.getShareCondition() == null ? "" : " — " + e.getShareCondition()));
            out.println("  open type       " + e.getOpenType());
            out.println("  update cycle    " + e.getUpdateCycle());
            out.println("  share deadline  "
                    + (e.getShareDeadlineWorkingDays() == null
                            ? "default for the share type"
                            : e.getShareDeadlineWorkingDays() + " working days"));
            out.println("  published at    " + e.getPublishedAt());
            if (e.getDescription() != null) {
                out.println("  " + e.getDescription());
            }
            out.println("  rules:");
            for (FieldRule r : e.getFieldRules()) {
                out.printf(
                        "    %-24s %-22s %-8s %s %s%n",
                        r.getRuleId(),
                        r.getKind(),
                        r.getSeverity(),
                        r.getField() == null ? "" : r.getField(),
                        r.getParameters().isEmpty() ? "" : r.getParameters());
            }
            out.println("  schema: "
                    + new org.apache.avro.Schema.Parser().parse(e.getSchema$()).getFullName());
            return 0;
        }
    }
}
