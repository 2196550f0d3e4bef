package city.heze.peony.ops.publish;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.ops.ClusterCommand;
import city.heze.peony.ops.UserException;
import city.heze.peony.producers.CatalogTopic;
import city.heze.peony.producers.DepartmentPublisher;
import city.heze.peony.producers.PublisherSetupException;
import city.heze.peony.producers.convert.FileFormat;
import city.heze.peony.producers.convert.InputFileException;
import city.heze.peony.producers.convert.RecordConverter;
import city.heze.peony.producers.convert.RecordSource;
import city.heze.peony.producers.file.FilePublication;
import city.heze.peony.producers.file.PublicationReport;
import city.heze.peony.producers.file.RejectsFile;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peony publish --catalog ID --file FILE}: a department's file of records (JSON Lines or CSV
 * with a header, UTF-8) converted to the catalog's Avro schema and published to {@code raw.<id>}
 * through a {@link DepartmentPublisher}. Bad lines are reported and written to {@code FILE.rejects};
 * the exit code is 1 if any line was not published.
 */
@Command(
        name = "publish",
        description = {
            "Publish a file of records (JSON Lines, or CSV with a header row; UTF-8) to a catalog's raw.<id> topic.",
            "Each line is converted to the catalog's Avro schema; a bad line is not published, is reported as"
                    + " FILE:LINE: field 'x': reason and is written to FILE.rejects beside the input.",
            "Exit codes: 0 every line published, 1 some line not published, 2 nothing could start (unknown"
                    + " catalog, missing file, unreachable cluster)."
        })
public final class PublishCommand extends ClusterCommand {

    @Option(
            names = "--catalog",
            required = true,
            paramLabel = "ID",
            description = "The catalog, e.g. mz.social-assistance.")
    String catalogId;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The file of records.")
    Path file;

    @Option(
            names = "--format",
            paramLabel = "jsonl|csv",
            description = "The file's format; by default from its extension (.jsonl, .ndjson, .json, .csv).")
    String format;

    @Option(
            names = "--all-or-nothing",
            description = "Publish the file in one Kafka transaction: a read_committed consumer sees every record or"
                    + " none. Any bad line aborts it; the rest of the file is still checked and reported.")
    boolean allOrNothing;

    @Option(names = "--dry-run", description = "Convert and report, publish nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new UserException(
                    "--file " + file + ": " + (Files.exists(file) ? "not a readable file" : "no such file"));
        }
        FileFormat fileFormat;
        try {
            fileFormat = format == null ? FileFormat.ofFile(file) : FileFormat.named(format);
        } catch (IllegalArgumentException e) {
            throw new UserException((format == null ? "--file " : "--format ") + e.getMessage());
        }
        Properties client = cluster.clientProperties();
        requireReachable(client);
        CatalogEntry catalog = lookUp(client);

        DepartmentPublisher publisher = null;
        Schema schema;
        try {
            if (dryRun) {
                schema = registeredSchema();
            } else {
                DepartmentPublisher.Builder builder =
                        DepartmentPublisher.builder(client).catalog(catalog);
                if (allOrNothing) {
                    // Under the provider's prefix, the only transactional ids a secured cluster lets it use.
                    builder.transactionalId(
                            catalog.getDepartment() + ".publish-" + catalog.getId() + "-" + UUID.randomUUID());
                }
                publisher = builder.build();
                schema = publisher.schema();
            }
        } catch (PublisherSetupException e) {
            throw new UserException(e.getMessage());
        } catch (KafkaException e) {
            throw new UserException("cannot start publishing to " + Topics.raw(catalog.getId()) + " on "
                    + cluster.bootstrapServers() + ": " + e.getMessage());
        }
        try (DepartmentPublisher closing = publisher) {
            return publish(catalog, fileFormat, schema, closing);
        }
    }

    private int publish(CatalogEntry catalog, FileFormat fileFormat, Schema schema, DepartmentPublisher publisher)
            throws IOException {
        RecordConverter converter = RecordConverter.forSchema(schema);
        long lines = countLines(file) - (fileFormat == FileFormat.CSV ? 1 : 0);
        PublicationReport report;
        PrintWriter err = spec.commandLine().getErr();
        try (RecordSource source =
                        RecordSource.readAhead(RecordSource.open(file, fileFormat, converter), file.toString());
                RejectsFile rejects = new RejectsFile(file, fileFormat, err)) {
            FilePublication publication =
                    new FilePublication(catalog.getId(), file.toString(), source, publisher, rejects, err);
            try (PublishProgress progress = PublishProgress.forConsole(
                    (dryRun ? "check " : "publish ") + catalog.getId(), lines, publication::acknowledged, err)) {
                report = publication.run(progress);
            }
        } catch (InputFileException e) {
            // A CSV header that does not fit the schema: nothing was read.
            throw new UserException(e.getMessage(), UserException.USAGE);
        }
        spec.commandLine().getOut().println(report.summary());
        return report.exitCode();
    }

    /** One clear line rather than a client that retries for a minute when the cluster is not there. */
    private void requireReachable(Properties client) {
        Properties admin = new Properties();
        admin.putAll(client);
        admin.put("request.timeout.ms", "8000");
        admin.put("default.api.timeout.ms", "8000");
        try (Admin a = Admin.create(admin)) {
            a.describeCluster(new DescribeClusterOptions().timeoutMs(8_000))
                    .clusterId()
                    .get(12, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new UserException("cannot reach Kafka at " + cluster.bootstrapServers() + ": " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted while connecting to " + cluster.bootstrapServers());
        }
    }

    private CatalogEntry lookUp(Properties client) {
        Map<String, CatalogEntry> catalogs;
        try {
            catalogs = new CatalogTopic(client).readAll();
        } catch (KafkaException | IllegalStateException e) {
            throw new UserException(
                    "cannot read the catalogs from " + Topics.CATALOG.name() + " on " + cluster.bootstrapServers()
                            + ": " + e.getMessage(),
                    UserException.USAGE,
                    e);
        }
        CatalogEntry catalog = catalogs.get(catalogId);
        if (catalog == null) {
            throw new UserException("no catalog '" + catalogId + "' on " + cluster.bootstrapServers()
                    + (catalogs.isEmpty()
                            ? " (none is registered: peony catalog register)"
                            : "; known: " + String.join(", ", catalogs.keySet())));
        }
        return catalog;
    }

    private Schema registeredSchema() {
        String subject = Topics.rawValueSubject(catalogId);
        try (SchemaRegistryClient registry = SchemaRegistryClients.fromConfig(cluster.clientConfigs())) {
            return registry.latest(subject).avroSchema();
        } catch (SchemaRegistryException e) {
            if (e.isAccessDenied()) {
                throw new UserException("catalog '" + catalogId + "': the schema registry at " + cluster.registryUrl()
                        + " refused access to subject " + subject + ": " + e.getMessage()
                        + "; check basic.auth.user.info in --client-config");
            }
            throw new UserException("catalog '" + catalogId + "': cannot find its schema under subject " + subject
                    + " in the schema registry at " + cluster.registryUrl() + ": " + e.getMessage());
        }
    }

    /** Lines in the file, counted on the bytes: for the progress total, so it costs no decoding. */
    static long countLines(Path file) throws IOException {
        long lines = 0;
        int last = '\n';
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                last = buffer[n - 1];
            }
        }
        return last == '\n' ? lines : lines + 1;
    }
}
