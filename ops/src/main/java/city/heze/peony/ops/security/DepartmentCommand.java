package city.heze.peony.ops.security;

import city.heze.peony.access.Department;
import city.heze.peony.access.DepartmentClientFile;
import city.heze.peony.access.DepartmentCredentials;
import city.heze.peony.access.DepartmentDirectory;
import city.heze.peony.access.PublicReader;
import city.heze.peony.ops.CityTimes;
import city.heze.peony.ops.ClusterCommand;
import city.heze.peony.ops.Listing;
import city.heze.peony.ops.OutputFormat;
import city.heze.peony.ops.TopicProvisioner;
import city.heze.peony.ops.UserException;
import city.heze.peony.ops.catalog.CatalogProvisioning;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code peony department add|list|remove}: departments as Kafka principals ({@code User:<code>})
 * on a secured Peony. What each may do follows from the catalogs and the approved share
 * applications (docs/security.md); these commands only say who exists.
 */
@Command(
        name = "department",
        description = "Add, list and remove the departments that sign in to a secured Peony (peony up --secure).",
        subcommands = {
            DepartmentCommand.Add.class,
            DepartmentCommand.ListDepartments.class,
            DepartmentCommand.Remove.class
        })
public final class DepartmentCommand {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private DepartmentCommand() {}

    @Command(
            name = "add",
            description = "Create the department's SCRAM credential, its share topics and its client properties file"
                    + " (the password is written only there, never printed). Its ACLs follow within seconds.")
    static final class Add extends ClusterCommand {
        @Parameters(paramLabel = "CODE", description = "The department's code, as in its catalogs, e.g. mz.")
        String code;

        @Option(names = "--name", required = true, paramLabel = "名称", description = "Its name, e.g. 菏泽市民政局.")
        String name;

        @Option(
                names = "--client-file",
                paramLabel = "FILE",
                description = "Where to write the department's client properties (default CODE.properties here).")
        Path clientFile;

        @Option(
                names = "--new-password",
                description = "The department exists: give it a new password and rewrite its client file; the old"
                        + " password stops working.")
        boolean newPassword;

        @Override
        public Integer call() {
            requireCode(code);
            if (name.isBlank()) {
                throw new UserException("--name is empty: expected the department's name, e.g. 菏泽市民政局");
            }
            Path file = clientFile != null ? clientFile : Path.of(code + ".properties");
            Properties admin = cluster.clientProperties();
            DepartmentDirectory directory = new DepartmentDirectory(admin);
            try (Admin kafka = Admin.create(ClientConfigs.kafkaOnly(admin))) {
                SecuredCluster.require(kafka, cluster.bootstrapServers());
                Department existing = directory.readAll().get(code);
                if (existing != null && !newPassword) {
                    throw new UserException("department " + code + " (" + existing.name() + ") exists since "
                            + CityTimes.iso(existing.addedAt())
                            + "; --new-password gives it a new password and client file");
                }
                if (existing == null && newPassword) {
                    throw new UserException("--new-password: department " + code + " does not exist; add it first");
                }
                String password = DepartmentCredentials.newPassword();
                Properties client = DepartmentClientFile.properties(
                        code,
                        password,
                        cluster.bootstrapServers(),
                        admin.getProperty("security.protocol", "SASL_PLAINTEXT"),
                        cluster.registryUrl());
                // The file first: a credential nobody has the password of would be useless.
                try {
                    DepartmentClientFile.write(file, code, client, newPassword);
                } catch (IllegalStateException e) {
                    throw new UserException("--client-file: " + e.getMessage());
                }
                new DepartmentCredentials(kafka, TIMEOUT).upsert(code, password);
                new TopicProvisioner(kafka, CatalogProvisioning.defaultReplicationFactor(kafka))
                        .ensure(Topics.shareIngressTopicsOf(code));
                if (existing == null) {
                    directory.add(new Department(code, name, Instant.now()));
                }
            }
            String what = newPassword ? "New password for department " + code : "Department " + code + " added";
            out().println(what + ": principal User:" + code + ", client properties in " + file.toAbsolutePath()
                    + " (the password is only there). Its ACLs follow within seconds: peony access list --department "
                    + code);
            return 0;
        }
    }

    @Command(name = "list", description = "The departments that may sign in.")
    static final class ListDepartments extends ClusterCommand {
        @Mixin
        OutputFormat format;

        @Override
        public Integer call() {
            Properties admin = cluster.clientProperties();
            List<Department> departments =
                    new ArrayList<>(new DepartmentDirectory(admin).readAll().values());
            Map<String, Boolean> signsIn = new LinkedHashMap<>();
            try (Admin kafka = Admin.create(ClientConfigs.kafkaOnly(admin))) {
                SecuredCluster.require(kafka, cluster.bootstrapServers());
                DepartmentCredentials credentials = new DepartmentCredentials(kafka, TIMEOUT);
                for (Department d : departments) {
                    signsIn.put(d.code(), credentials.exists(d.code()));
                }
            }
            if (format.json()) {
                Listing.json(out(), departments, d -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("code", d.code());
                    m.put("name", d.name());
                    m.put("principal", d.principal());
                    m.put("addedAt", CityTimes.iso(d.addedAt()));
                    m.put("credential", signsIn.get(d.code()));
                    return m;
                });
                return 0;
            }
            Listing table = Listing.table(
                    out(), "%-8s %-30s %-12s %-29s %s%n", "CODE", "NAME", "PRINCIPAL", "ADDED", "CREDENTIAL");
            for (Department d : departments) {
                table.row(
                        d.code(),
                        d.name(),
                        d.principal(),
                        CityTimes.iso(d.addedAt()),
                        signsIn.get(d.code()) ? "yes" : "MISSING");
            }
            return 0;
        }
    }

    @Command(
            name = "remove",
            description = "Delete the department's credential and entry; its ACLs are removed within seconds. Its"
                    + " topics and data stay.")
    static final class Remove extends ClusterCommand {
        @Parameters(paramLabel = "CODE", description = "The department's code.")
        String code;

        @Override
        public Integer call() {
            requireCode(code);
            Properties admin = cluster.clientProperties();
            DepartmentDirectory directory = new DepartmentDirectory(admin);
            try (Admin kafka = Admin.create(ClientConfigs.kafkaOnly(admin))) {
                SecuredCluster.require(kafka, cluster.bootstrapServers());
                DepartmentCredentials credentials = new DepartmentCredentials(kafka, TIMEOUT);
                boolean listed = directory.readAll().containsKey(code);
                boolean credential = credentials.exists(code);
                if (!listed && !credential) {
                    throw new UserException("department " + code + " does not exist (peony department list)", 1);
                }
                if (credential) {
                    credentials.delete(code);
                }
                if (listed) {
                    directory.remove(code);
                }
            }
            out().println("Department " + code + " removed: it can no longer sign in, and its ACLs are removed"
                    + " within seconds. Its topics and data stay.");
            return 0;
        }
    }

    static void requireCode(String code) {
        try {
            Topics.requireDepartmentCode(code);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        if (code.equals(SignedIn.SUPER_USER)) {
            throw new UserException("department code " + code + " is Peony's own principal; choose another");
        }
        if (PublicReader.isReserved(code)) {
            throw new UserException("department code " + code + " is the public reader of open data; choose another");
        }
    }
}
