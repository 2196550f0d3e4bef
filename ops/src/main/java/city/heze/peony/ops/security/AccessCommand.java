package city.heze.peony.ops.security;

import city.heze.peony.access.AccessCheck;
import city.heze.peony.access.AccessPolicy;
import city.heze.peony.access.AclReconciler;
import city.heze.peony.access.Department;
import city.heze.peony.access.DepartmentDirectory;
import city.heze.peony.access.Permission;
import city.heze.peony.access.Permission.Operation;
import city.heze.peony.access.Permission.ResourceKind;
import city.heze.peony.access.PublicReader;
import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.ShareGrant;
import city.heze.peony.ops.ClusterCommand;
import city.heze.peony.ops.Listing;
import city.heze.peony.ops.OutputFormat;
import city.heze.peony.ops.TopicSnapshot;
import city.heze.peony.ops.UserException;
import city.heze.peony.producers.CatalogTopic;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.serialization.Serde;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code peony access list|check}: what each department may do, and why, computed exactly as the
 * access reconciler computes it (from the catalogs, the departments and the share grants), beside
 * what the broker's ACLs say now.
 */
@Command(
        name = "access",
        description = "Show what departments may read and write on a secured Peony, and why.",
        subcommands = {AccessCommand.ListAccess.class, AccessCommand.Check.class})
public final class AccessCommand {
    private AccessCommand() {}

    /** The reconciler's inputs as they are on the cluster now. */
    record Inputs(
            Collection<CatalogEntry> catalogs, Map<String, Department> departments, Collection<ShareGrant> grants) {
        static Inputs read(Properties client) {
            Map<String, CatalogEntry> catalogs = new CatalogTopic(client).readAll();
            Map<String, Department> departments = new DepartmentDirectory(client).readAll();
            try (Serde<ShareGrant> serde = new PeonySerdes(ClientConfigs.toMap(client)).value(ShareGrant.class)) {
                TopicSnapshot.Latest<ShareGrant> grants =
                        TopicSnapshot.latest(client, Topics.SHARE_GRANTS.name(), serde.deserializer());
                return new Inputs(
                        catalogs.values(), departments, grants.values().values());
            }
        }

        List<Permission> permissions(Instant now) {
            return AccessPolicy.withPublicReader(catalogs, departments.values(), grants, now);
        }
    }

    @Command(
            name = "list",
            description = "Every permission of every department (or one), with the rule or application that gives it"
                    + " and whether the broker's ACLs have it yet.")
    static final class ListAccess extends ClusterCommand {
        @Option(names = "--department", paramLabel = "CODE", description = "Only this department.")
        String department;

        @Mixin
        OutputFormat format;

        @Override
        public Integer call() {
            Properties client = cluster.clientProperties();
            Set<AclBinding> present = new HashSet<>();
            try (Admin admin = Admin.create(ClientConfigs.kafkaOnly(client))) {
                present.addAll(SecuredCluster.require(admin, cluster.bootstrapServers()));
            }
            Inputs inputs = Inputs.read(client);
            if (department != null
                    && !PublicReader.isReserved(department)
                    && !inputs.departments().containsKey(department)) {
                throw new UserException("--department " + department + ": no such department (peony department list)");
            }
            List<Permission> permissions = inputs.permissions(Instant.now()).stream()
                    .filter(p -> department == null || p.department().equals(department))
                    .toList();
            Map<AclBinding, Permission> bindings = AclReconciler.bindings(permissions);
            Set<Permission> inEffect = new HashSet<>();
            bindings.forEach((binding, permission) -> {
                if (present.contains(binding)) {
                    inEffect.add(permission);
                }
            });
            if (format.json()) {
                Listing.json(out(), permissions, p -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("department", p.department());
                    m.put("operation", p.operation().name());
                    m.put("resource", resource(p));
                    m.put("pattern", p.pattern().name());
                    m.put("inEffect", effect(p, inEffect));
                    m.put("because", p.because());
                    return m;
                });
                return 0;
            }
            Listing table = Listing.table(
                    out(),
                    "%-6s %-9s %-46s %-9s %-9s %s%n",
                    "DEPT",
                    "OPERATION",
                    "RESOURCE",
                    "PATTERN",
                    "IN-EFFECT",
                    "BECAUSE");
            for (Permission p : permissions) {
                table.row(p.department(), p.operation(), resource(p), p.pattern(), effect(p, inEffect), p.because());
            }
            return 0;
        }

        /** Subjects are the registry's to enforce; a topic or group permission is in effect once its ACL exists. */
        private static String effect(Permission p, Set<Permission> inEffect) {
            if (p.kind() == ResourceKind.SUBJECT) {
                return "registry";
            }
            return inEffect.contains(p) ? "yes" : "pending";
        }

        private static String resource(Permission p) {
            return p.kind() == ResourceKind.TOPIC
                    ? p.name()
                    : p.kind().name().toLowerCase(Locale.ROOT) + ":" + p.name();
        }
    }

    @Command(
            name = "check",
            description = "May department D do OPERATION on RESOURCE? Prints allowed or denied with the reason; exit"
                    + " code 0 when allowed, 1 when denied.")
    static final class Check extends ClusterCommand {
        @Parameters(index = "0", paramLabel = "D", description = "The department's code.")
        String department;

        @Parameters(
                index = "1",
                paramLabel = "RESOURCE",
                description = "A topic name, group:NAME or subject:NAME, e.g. shared.mz.social-assistance.")
        String resource;

        @Parameters(index = "2", paramLabel = "OPERATION", description = "READ, WRITE or DESCRIBE.")
        String operation;

        @Override
        public Integer call() {
            Operation op = operation(operation);
            AccessCheck.Resource target;
            try {
                target = AccessCheck.Resource.parse(resource);
            } catch (IllegalArgumentException e) {
                throw new UserException("RESOURCE " + e.getMessage());
            }
            Properties client = cluster.clientProperties();
            Inputs inputs = Inputs.read(client);
            AccessCheck.Verdict verdict =
                    new AccessCheck(inputs.catalogs()).check(department, target, op, inputs.permissions(Instant.now()));
            out().println((verdict.allowed() ? "allowed: " : "denied: ") + department + " " + op + " " + target + ": "
                    + verdict.reason());
            return verdict.allowed() ? 0 : 1;
        }

        private static Operation operation(String text) {
            try {
                return Operation.valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserException("OPERATION " + text + ": expected READ, WRITE or DESCRIBE");
            }
        }
    }
}
