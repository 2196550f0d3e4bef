package city.heze.peony.bench;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.producers.CatalogRegistrar;
import city.heze.peony.producers.simulate.RecordGenerator;
import city.heze.peony.schemas.CatalogKeys;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.validation.ValidationApp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The catalog-scale row of {@code peony bench --catalogs N}: what N catalogs cost against the 12
 * the other rows use. It registers 12 catalogs (one per shipped template), then N generated ones
 * in one batch (timed), and measures, side by side in one run:
 *
 * <ul>
 *   <li>validation (at_least_once) throughput with the records spread over the 12, and with the
 *       same number of records spread over the N, interleaved per run (the ratio N/12);
 *   <li>the validation application's time from start to RUNNING over 12 and over 12+N catalogs;
 *   <li>heap after a full GC and open file descriptors of this process with a running, idle
 *       validation application over 12 and over 12+N catalogs; the difference over N is the cost
 *       per catalog, and the class histogram's difference says which objects make it.
 * </ul>
 *
 * The process holds the broker too when it is embedded, so the per-catalog figures include the
 * broker's cost of the catalogs' partitions (its log files are counted apart).
 */
public final class CatalogScaleBench {
    /** How many distinct record bodies per template; records cycle through them. */
    private static final int BODIES_PER_TEMPLATE = 2_000;

    private static final int HISTOGRAM_ROWS = 8;

    public record Settings(
            int catalogs,
            int records,
            int runs,
            int partitions,
            List<CatalogEntry> templates,
            Path stateDir,
            PrintStream progress) {}

    /** One validation measurement: records/s over a set of catalogs. */
    public record Throughput(double small, double large) {
        double ratio() {
            return large / small;
        }
    }

    /** A class whose live bytes grew with the catalogs. */
    public record Growth(String className, double bytesPerCatalog) {}

    /** Everything the row measured. */
    public record Result(
            int catalogs,
            int baseCatalogs,
            int partitions,
            double registerSeconds,
            int registerFailures,
            String firstRegisterFailure,
            double startSecondsSmall,
            double startSecondsLarge,
            double smallAloneRecordsPerSecond,
            List<Throughput> runs,
            double heapKibPerCatalog,
            Map<String, Double> descriptorsPerCatalog,
            double descriptorsTotalPerCatalog,
            List<Growth> largestGrowth) {

        /** The median ratio N/12 over the runs, with min and max. */
        double[] ratio() {
            double[] r = runs.stream().mapToDouble(Throughput::ratio).sorted().toArray();
            return new double[] {r[r.length / 2], r[0], r[r.length - 1]};
        }

        double median(boolean large) {
            double[] r = runs.stream()
                    .mapToDouble(t -> large ? t.large() : t.small())
                    .sorted()
                    .toArray();
            return r[r.length / 2];
        }

        /** The row as text, for the bench's table. */
        public String table() {
            StringBuilder b = new StringBuilder();
            double[] ratio = ratio();
            b.append(String.format(
                    "%ncatalog scale: %,d generated catalogs (copies of %d templates over %d departments), %d"
                            + " partitions per topic, against %d%n",
                    catalogs, baseCatalogs, GeneratedCatalogs.DEPARTMENTS, partitions, baseCatalogs, baseCatalogs));
            b.append(String.format(
                    "  %-46s %10.1f s   (goal < 120 s for 2,000)%s%n",
                    "register " + String.format("%,d", catalogs) + " catalogs (one batch)",
                    registerSeconds,
                    registerFailures == 0 ? "" : "; " + registerFailures + " failed, first: " + firstRegisterFailure));
            b.append(String.format(
                    "  %-46s %10.1f s / %.1f s%n",
                    "validation start to RUNNING, " + baseCatalogs + " / " + (catalogs + baseCatalogs) + " catalogs",
                    startSecondsSmall,
                    startSecondsLarge));
            b.append(String.format(
                    "  %-46s %,10.0f records/s (%,.0f before the %,d were registered)%n",
                    "validate alos, records over " + baseCatalogs,
                    median(false),
                    smallAloneRecordsPerSecond,
                    catalogs));
            b.append(String.format(
                    "  %-46s %,10.0f records/s%n", "validate alos, records over " + catalogs, median(true)));
            b.append(String.format(
                    "  %-46s %10.2f   min %.2f max %.2f over %d run(s) (goal >= 0.80)%n",
                    "ratio " + catalogs + "/" + baseCatalogs, ratio[0], ratio[1], ratio[2], runs.size()));
            b.append(String.format("  %-46s %10.1f KiB%n", "heap after GC per catalog", heapKibPerCatalog));
            StringBuilder kinds = new StringBuilder();
            descriptorsPerCatalog.forEach((k, v) -> kinds.append(String.format("%s %.2f, ", k, v)));
            b.append(String.format(
                    "  %-46s %10.2f   (%s)%n",
                    "open file descriptors per catalog",
                    descriptorsTotalPerCatalog,
                    kinds.length() == 0 ? "no /proc/self/fd" : kinds.substring(0, kinds.length() - 2)));
            if (!largestGrowth.isEmpty()) {
                b.append("  largest heap growth per catalog (class histogram after GC):\n");
                for (Growth g : largestGrowth) {
                    b.append(String.format("    %10.0f B  %s%n", g.bytesPerCatalog(), g.className()));
                }
            }
            return b.toString();
        }
    }

    private final BenchCluster cluster;
    private final Settings settings;
    private final Map<Integer, byte[][]> bodies = new HashMap<>();
    private final Map<Integer, byte[][]> keys = new HashMap<>();
    private final Map<String, Integer> schemaIds = new HashMap<>();
    private int measurement;

    private CatalogScaleBench(BenchCluster cluster, Settings settings) {
        this.cluster = cluster;
        this.settings = settings;
    }

    public static Result run(BenchCluster cluster, Settings settings) {
        return new CatalogScaleBench(cluster, settings).run();
    }

    private Result run() {
        PrintStream progress = settings.progress();
        List<CatalogEntry> templates = settings.templates();
        prepareBodies(templates);

        List<GeneratedCatalogs.Generated> base =
                GeneratedCatalogs.generate(templates, templates.size(), cluster.tag(), "base");
        register(base);
        Startup small = startIdle(base.size());
        ProcessFootprint before = small.footprint();
        double smallAlone = validate(base, "base-alone");

        progress.printf("peony bench: catalog scale: registering %,d catalogs%n", settings.catalogs());
        List<GeneratedCatalogs.Generated> many =
                GeneratedCatalogs.generate(templates, settings.catalogs(), cluster.tag(), "s");
        long t0 = System.nanoTime();
        CatalogRegistrar.BatchResult batch = register(many);
        double registerSeconds = (System.nanoTime() - t0) / 1e9;
        progress.printf("peony bench: catalog scale: registered in %.1f s%n", registerSeconds);
        List<GeneratedCatalogs.Generated> registered =
                many.stream().filter(g -> schemaIds.containsKey(g.id())).toList();

        Startup large = startIdle(base.size() + registered.size());
        ProcessFootprint after = large.footprint();

        List<Throughput> runs = new ArrayList<>();
        for (int r = 0; r < settings.runs(); r++) {
            double s = validate(base, "base-" + r);
            double l = validate(registered, "many-" + r);
            runs.add(new Throughput(s, l));
            progress.printf(
                    "peony bench: catalog scale run %d: %,.0f records/s over %d catalogs, %,.0f over %,d%n",
                    r + 1, s, base.size(), l, registered.size());
        }

        int n = Math.max(1, registered.size());
        Map<String, Double> perKind = new LinkedHashMap<>();
        for (String kind : ProcessFootprint.DESCRIPTOR_KINDS) {
            if (after.descriptors().containsKey(kind)) {
                perKind.put(
                        kind,
                        (after.descriptors().get(kind) - before.descriptors().getOrDefault(kind, 0)) / (double) n);
            }
        }
        List<Growth> growth = after.histogram().entrySet().stream()
                .map(e -> new Growth(
                        e.getKey(), (e.getValue() - before.histogram().getOrDefault(e.getKey(), 0L)) / (double) n))
                .sorted(Comparator.comparingDouble(Growth::bytesPerCatalog).reversed())
                .limit(HISTOGRAM_ROWS)
                .toList();
        return new Result(
                settings.catalogs(),
                base.size(),
                settings.partitions(),
                registerSeconds,
                batch.failed().size(),
                batch.failed().isEmpty() ? null : batch.failed().get(0).message(),
                small.seconds(),
                large.seconds(),
                smallAlone,
                runs,
                (after.heapBytes() - before.heapBytes()) / 1024.0 / n,
                perKind,
                (after.totalDescriptors() - before.totalDescriptors()) / (double) n,
                growth);
    }

    private CatalogRegistrar.BatchResult register(List<GeneratedCatalogs.Generated> catalogs) {
        CatalogRegistrar.BatchResult batch = cluster.registerCatalogs(
                catalogs.stream().map(GeneratedCatalogs.Generated::entry).toList(), settings.partitions());
        batch.registered().forEach(r -> schemaIds.put(r.catalogId(), r.schemaId()));
        if (batch.registered().isEmpty()) {
            throw new BenchFailure("catalog scale: no catalog could be registered; first failure: "
                    + batch.failed().get(0).message());
        }
        return batch;
    }

    /** Record bodies per template, encoded once: Avro's binary form is the same under every copy's name. */
    private void prepareBodies(List<CatalogEntry> templates) {
        Random random = new Random(20_261_207L);
        long now = 1_765_000_000_000L;
        for (int t = 0; t < templates.size(); t++) {
            CatalogEntry template = templates.get(t);
            Schema schema = new Schema.Parser().parse(template.getSchema$());
            RecordGenerator generator = RecordGenerator.forCatalog(template, schema);
            String keyField = CatalogKeys.keyField(template);
            AvroBodyWriter writer = new AvroBodyWriter(schema);
            byte[][] b = new byte[BODIES_PER_TEMPLATE][];
            byte[][] k = new byte[BODIES_PER_TEMPLATE][];
            for (int i = 0; i < BODIES_PER_TEMPLATE; i++) {
                GenericRecord record = generator.nextRecord(random, now);
                b[i] = writer.body(record);
                k[i] = String.valueOf(record.get(keyField)).getBytes(StandardCharsets.UTF_8);
            }
            bodies.put(t, b);
            keys.put(t, k);
        }
    }

    private record Startup(double seconds, ProcessFootprint footprint) {}

    /**
     * Starts a validation application over every registered catalog, waits until it runs, takes the
     * process's footprint while it runs idle, and stops it.
     */
    private Startup startIdle(int catalogs) {
        String applicationId = cluster.applicationId("scale-idle-" + catalogs);
        cluster.startGroupAtEnd(
                applicationId, name -> Topics.RAW_PATTERN.matcher(name).matches());
        long t0 = System.nanoTime();
        ValidationApp app = startApp(applicationId);
        try {
            ValidationBench.awaitRunning(app);
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Startup(seconds, ProcessFootprint.take(settings.stateDir()));
        } finally {
            app.close();
        }
    }

    private ValidationApp startApp(String applicationId) {
        Properties client = cluster.clientProperties();
        FirstPollProbe.install(client);
        return ValidationApp.start(
                client,
                ValidationApp.Options.defaults(settings.stateDir().resolve(applicationId))
                        .withApplicationId(applicationId)
                        .withGuarantee(StreamsConfig.AT_LEAST_ONCE),
                new SimpleMeterRegistry());
    }

    /**
     * Validates {@code settings.records()} new records spread round-robin over the catalogs: the
     * application's group starts at the end of every raw topic, then the records are written, then
     * it starts; timed from its first poll to the last output ({@link StreamsStopwatch}).
     */
    private double validate(List<GeneratedCatalogs.Generated> catalogs, String label) {
        String applicationId = cluster.applicationId("scale-" + label + "-" + (measurement++));
        cluster.startGroupAtEnd(
                applicationId, name -> Topics.RAW_PATTERN.matcher(name).matches());
        produce(catalogs);
        List<String> outputs = new ArrayList<>();
        catalogs.forEach(c -> outputs.add(Topics.shared(c.id())));
        outputs.add(Topics.REJECTED.name());
        long records = settings.records();
        StreamsStopwatch.Timing timing = StreamsStopwatch.time(
                cluster,
                applicationId,
                outputs,
                false,
                records,
                catalogs.size(),
                records,
                () -> ValidationBench.running(startApp(applicationId)));
        return timing.recordsPerSecond();
    }

    private void produce(List<GeneratedCatalogs.Generated> catalogs) {
        Properties props = cluster.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < settings.records(); i++) {
                GeneratedCatalogs.Generated c = catalogs.get(i % catalogs.size());
                int which = (i / catalogs.size() + i) % BODIES_PER_TEMPLATE;
                byte[] body = bodies.get(c.template())[which];
                byte[] framed = AvroBodyWriter.framed(schemaIds.get(c.id()), body);
                producer.send(
                        new ProducerRecord<>(Topics.raw(c.id()), keys.get(c.template())[which], framed),
                        (metadata, e) -> {
                            if (e != null) {
                                failed.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new BenchFailure(
                    "catalog scale: cannot write the records: " + failed.get().getMessage(), failed.get());
        }
    }
}
