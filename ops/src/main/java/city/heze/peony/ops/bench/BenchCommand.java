package city.heze.peony.ops.bench;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.bench.BenchCluster;
import city.heze.peony.bench.BenchFailure;
import city.heze.peony.bench.BenchHarness;
import city.heze.peony.bench.BenchReport;
import city.heze.peony.bench.BenchResults;
import city.heze.peony.bench.BenchSetupException;
import city.heze.peony.bench.BusinessRegistrations;
import city.heze.peony.ops.ClusterOptions;
import city.heze.peony.ops.PeonyCommand;
import city.heze.peony.ops.TopicProvisioner;
import city.heze.peony.ops.UserException;
import city.heze.peony.ops.catalog.CatalogFile;
import city.heze.peony.ops.catalog.CatalogFileException;
import city.heze.peony.schemas.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code peony bench}: Peony's throughput and latency as ratios against the limits of the Kafka it
 * runs on, measured side by side in one run (see {@link BenchHarness}). It never fails on a
 * timing: the exit code is 0 unless a measurement broke.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure Peony against the limits of the Kafka it runs on, side by side in one run: the raw producer (P),"
                    + " a Streams byte passthrough (S), the DepartmentPublisher and peony publish, validation with"
                    + " at_least_once and exactly_once_v2, the share topology, the serde against raw Avro, and"
                    + " publish-to-shared latency beside a plain round trip.",
            "Each figure is the median of the runs after a warm-up, with min and max, and the ratios publish/P,"
                    + " validate/S, share/S, serde/raw and the latency ratios are shown against their targets."
                    + " A bench never fails on a timing."
        })
public final class BenchCommand implements Callable<Integer> {
    static final String CATALOG_FILE = "scjg.business-registration.yaml";

    @Mixin
    ClusterOptions cluster;

    @Option(
            names = "--records",
            paramLabel = "N",
            defaultValue = "200000",
            description = "Records of the rows timed over a count (peony publish's file, share, serde, latency) and"
                    + " the distinct records the timed rows cycle through (default ${DEFAULT-VALUE}).")
    int records;

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "Seconds of steady state each producer, publisher, passthrough and validation row is timed"
                    + " over, after a settling time of 30 %% of it (at most 3 s) (default ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(
            names = "--runs",
            paramLabel = "K",
            defaultValue = "3",
            description = "Runs; each figure is the median of them (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(
            names = "--warmup-records",
            paramLabel = "N",
            description = "Records per measurement in the warm-up run, whose figures are dropped; 0 for none"
                    + " (default: a quarter of --records, at least 1000).")
    Integer warmupRecords;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            defaultValue = "3",
            description = "Partitions of every topic the bench creates (default ${DEFAULT-VALUE}, as peony up).")
    int partitions;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Option(
            names = "--external",
            description = "Measure the cluster and registry of --bootstrap-servers and --registry-url instead of an"
                    + " embedded broker. The bench creates and deletes its own topics and catalogs there, and writes"
                    + " test records to peony.rejected, peony.quality and peony.share.*: use a test cluster.")
    boolean external;

    @Option(
            names = "--catalog-dir",
            paramLabel = "DIR",
            description = "Folder holding " + CATALOG_FILE + ", the catalog the bench's records belong to"
                    + " (default: ops/catalog of this Peony).")
    Path catalogDir;

    @Option(
            names = "--catalogs",
            paramLabel = "N",
            defaultValue = "0",
            description = "Also measure N generated catalogs against 12 (registration time, validation throughput,"
                    + " start time, heap and files per catalog); 0 for none (default).")
    int catalogs;

    @Option(
            names = "--secure",
            description = "Also measure publish and validation on a second embedded broker secured as peony up --secure"
                    + " secures it (SCRAM, ACLs, registry sign-in), the publisher signed in as a department, each"
                    + " next to its plain row: the ratios publish secure/plain and validate secure/plain.")
    boolean secure;

    @Option(
            names = "--catalogs-only",
            description = "With --catalogs: measure only the catalog-scale row, not the Kafka-relative rows before it.")
    boolean catalogsOnly;

    @Override
    public Integer call() throws Exception {
        if (records < 1_000) {
            throw new UserException(
                    "--records " + records + ": expected 1000 or more, so that a run lasts long enough to time");
        }
        if (!(durationSeconds >= 0.5) || durationSeconds > 3600) {
            throw new UserException("--duration " + durationSeconds + ": expected seconds from 0.5 to 3600");
        }
        if (runs < 1) {
            throw new UserException("--runs " + runs + ": expected 1 or more");
        }
        int warmup = warmupRecords != null ? warmupRecords : Math.max(1_000, records / 4);
        if (warmup < 0) {
            throw new UserException("--warmup-records " + warmup + ": expected 0 or more");
        }
        if (partitions < 1) {
            throw new UserException("--partitions " + partitions + ": expected 1 or more");
        }
        if (catalogs < 0) {
            throw new UserException("--catalogs " + catalogs + ": expected 0 or more");
        }
        if (catalogsOnly && catalogs == 0) {
            throw new UserException("--catalogs-only: expected --catalogs N as well (N of 1 or more)");
        }
        if (secure && external) {
            throw new UserException("--secure: expected no --external; the secured side is an embedded broker, and so"
                    + " is the plain side it is compared with");
        }
        if (secure && catalogsOnly) {
            throw new UserException("--secure: expected no --catalogs-only, which measures no publish or validation");
        }
        CatalogEntry catalog = loadCatalog();
        PrintStream progress = System.err;
        Path work = Files.createTempDirectory("peony-bench-work");
        long started = System.nanoTime();
        try (BenchCluster kafka = external
                        ? BenchCluster.external(cluster.clientProperties())
                        : BenchCluster.embedded(BenchCommand::createSystemTopics);
                BenchCluster secured = secure ? BenchCluster.embeddedSecured(BenchCommand::createSystemTopics) : null) {
            if (catalogsOnly) {
                progress.println("peony bench: " + kafka.description() + "; only the catalog-scale row");
                Path scaleState = Files.createDirectories(work.resolve("catalog-scale"));
                if (json != null) {
                    // A report of its own: not merged into an older file of that name.
                    Files.deleteIfExists(json);
                }
                CatalogScaleRow.run(kafka, catalogs, records, runs, partitions, catalogFolder(), scaleState, json);
                return 0;
            }
            if (secured != null) {
                progress.println("peony bench: --secure: also " + secured.description());
            }
            progress.println("peony bench: " + kafka.description() + "; " + durationSeconds + " s windows, " + records
                    + " records x " + runs + " runs after a warm-up of " + warmup);
            BenchHarness harness = new BenchHarness(
                    kafka,
                    secured,
                    new BenchHarness.Settings(
                            records,
                            Duration.ofMillis(Math.round(durationSeconds * 1000)),
                            runs,
                            warmup,
                            partitions,
                            catalog,
                            work,
                            progress,
                            peonyCommandLine()));
            BenchResults results = harness.run();
            double minutes = (System.nanoTime() - started) / 60e9;
            BenchReport report = new BenchReport(results, context(kafka, secured, harness, catalog, warmup, minutes));
            System.out.print(report.table());
            System.out.flush();
            if (json != null) {
                try {
                    report.writeJson(json);
                } catch (IOException e) {
                    throw new UserException("--json " + json + ": cannot write it: " + e.getMessage(), 1);
                }
            }
            if (catalogs > 0) {
                // In the work folder, so it is deleted with it.
                Path scaleState = Files.createDirectories(work.resolve("catalog-scale"));
                CatalogScaleRow.run(kafka, catalogs, records, runs, partitions, catalogFolder(), scaleState, json);
            }
            return harness.anyFailed() ? 1 : 0;
        } catch (BenchSetupException e) {
            throw new UserException(e.getMessage(), e.exitCode());
        } catch (BenchFailure e) {
            // The cluster refused what every measurement needs (a topic, a catalog): no figure at all.
            throw new UserException("cannot run the bench: " + e.getMessage(), 1, e);
        } finally {
            deleteTree(work);
        }
    }

    private static void createSystemTopics(Admin admin) {
        new TopicProvisioner(admin, (short) 1).ensure(Topics.SYSTEM_TOPICS);
    }

    private BenchReport.Context context(
            BenchCluster kafka,
            BenchCluster secured,
            BenchHarness harness,
            CatalogEntry catalog,
            int warmup,
            double minutes) {
        String recordType = new Schema.Parser().parse(catalog.getSchema$()).getName();
        int cores = Runtime.getRuntime().availableProcessors();
        long maxHeapMiB = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        long memoryMiB = physicalMemoryMiB();
        String kafkaVersion = kafkaVersion();
        String description = String.format(
                Locale.ROOT,
                "peony bench: %.1f s windows after %.1f s settling, %,d records x %d runs after a %,d-record"
                        + " warm-up; catalog %s (%s, %.0f bytes of Avro per record, %d %% invalid); %.1f minutes",
                durationSeconds,
                BenchHarness.settleOf(Duration.ofMillis(Math.round(durationSeconds * 1000)))
                                .toMillis()
                        / 1000.0,
                records,
                runs,
                warmup,
                catalog.getId(),
                recordType,
                harness.averageAvroBytes(),
                100 / BusinessRegistrations.INVALID_EVERY,
                minutes);
        String environment = String.format(
                Locale.ROOT,
                "%s; %d cores, %,d MiB memory, max heap %,d MiB; Java %s; Kafka %s; %d partitions per topic",
                kafka.description()
                        + (secured != null ? " and " + secured.description() : "")
                        + (external ? "" : " in the bench's JVM"),
                cores,
                memoryMiB,
                maxHeapMiB,
                System.getProperty("java.version"),
                kafkaVersion,
                partitions);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("records", records);
        facts.put("durationSeconds", durationSeconds);
        facts.put("runs", runs);
        facts.put("warmupRecords", warmup);
        facts.put("partitions", partitions);
        facts.put("catalog", catalog.getId());
        facts.put("averageAvroBytes", harness.averageAvroBytes());
        facts.put("cluster", kafka.description());
        facts.put("external", external);
        facts.put("secure", secure);
        facts.put("cores", cores);
        facts.put("memoryMiB", memoryMiB);
        facts.put("maxHeapMiB", maxHeapMiB);
        facts.put("java", System.getProperty("java.version"));
        facts.put("kafka", kafkaVersion);
        facts.put("minutes", minutes);
        return new BenchReport.Context(description, environment, facts);
    }

    /**
     * How to start this Peony's command line in a new JVM (for {@code peony validate} in its own
     * JVM): the same java and class path, {@link PeonyCommand}'s main. Relative class path entries
     * are made absolute, since the child runs in the same directory but is not bound to.
     */
    static List<String> peonyCommandLine() {
        String javaBinary = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        return List.of(javaBinary, "-cp", classPath, PeonyCommand.class.getName());
    }

    private CatalogEntry loadCatalog() {
        Path file = catalogFolder().resolve(CATALOG_FILE);
        try {
            return CatalogFile.load(file);
        } catch (CatalogFileException e) {
            throw new UserException("the bench's catalog " + e.getMessage());
        }
    }

    /** The folder holding the bench's catalog: --catalog-dir, or Peony's own ops/catalog. */
    private Path catalogFolder() {
        List<Path> candidates = new ArrayList<>();
        if (catalogDir != null) {
            candidates.add(catalogDir);
        } else {
            String home = System.getProperty("peony.home");
            if (home != null) {
                candidates.add(Path.of(home, "ops", "catalog"));
            }
            candidates.add(Path.of("ops", "catalog"));
            candidates.add(Path.of("catalog"));
        }
        for (Path dir : candidates) {
            if (Files.isRegularFile(dir.resolve(CATALOG_FILE))) {
                return dir;
            }
        }
        throw new UserException("no " + CATALOG_FILE + " in " + candidates
                + "; expected Peony's catalog folder (give it with --catalog-dir)");
    }

    private static long physicalMemoryMiB() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize() / (1024 * 1024);
        }
        return -1;
    }

    private static String kafkaVersion() {
        try (InputStream in = BenchCommand.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            Properties props = new Properties();
            if (in != null) {
                props.load(in);
            }
            return props.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("peony bench: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
