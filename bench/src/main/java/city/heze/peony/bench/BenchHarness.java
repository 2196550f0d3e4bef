package city.heze.peony.bench;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.bench.BenchResults.Bound;
import city.heze.peony.bench.BenchResults.Ratio;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.validation.ValidationTopology;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Runs every measurement of {@code peony bench}, interleaved: each run measures P, S, publish,
 * validate, share, serde and latency once, in that order, on fresh topics, so that noise on the
 * machine falls on all of them alike; a warm-up run (discarded) comes first. A measurement that
 * breaks is reported as not measured, with the reason, and the others go on.
 */
public final class BenchHarness {
    public static final String PRODUCER = "producer";
    public static final String STREAMS_ALOS = "streams.alos";
    public static final String STREAMS_EOS = "streams.eos";
    public static final String PUBLISH = "publish";
    public static final String PUBLISH_FILE = "publish.file";
    public static final String VALIDATE_ALOS = "validate.alos";
    public static final String VALIDATE_EOS = "validate.eos";
    public static final String SHARE = "share";
    public static final String SERDE_PEONY = "serde.peony";
    public static final String SERDE_RAW = "serde.raw";
    public static final String LATENCY_RATE_ALOS = "latency.rate.alos";
    public static final String LATENCY_RATE_EOS = "latency.rate.eos";
    public static final String LATENCY_PLAIN_P50 = "latency.plain.p50";
    public static final String LATENCY_PLAIN_P99 = "latency.plain.p99";
    public static final String LATENCY_ALOS_P50 = "latency.validate.alos.p50";
    public static final String LATENCY_ALOS_P99 = "latency.validate.alos.p99";
    public static final String LATENCY_EOS_P50 = "latency.validate.eos.p50";
    public static final String LATENCY_EOS_P99 = "latency.validate.eos.p99";
    public static final String HEAP_STREAMS_ALOS = "heap.streams.alos";
    public static final String HEAP_STREAMS_EOS = "heap.streams.eos";
    public static final String HEAP_VALIDATE_ALOS = "heap.validate.alos";
    public static final String HEAP_VALIDATE_EOS = "heap.validate.eos";
    public static final String HEAP_SHARE = "heap.share";

    /** Seconds of paced sending in a latency measurement (fewer records if the bench has fewer). */
    static final double LATENCY_SECONDS = 5;

    private static final String ALOS = StreamsConfig.AT_LEAST_ONCE;
    private static final String EOS = StreamsConfig.EXACTLY_ONCE_V2;
    private static final String SHARE_GUARANTEE = EOS;

    /** The figures measured once per processing guarantee, and the suffix of their application ids. */
    private record Guarantee(
            String config,
            String suffix,
            String streams,
            String heapStreams,
            String validate,
            String heapValidate,
            String latencyRate,
            String latencyP50,
            String latencyP99) {}

    private static final Guarantee AT_LEAST_ONCE = new Guarantee(
            ALOS,
            "alos",
            STREAMS_ALOS,
            HEAP_STREAMS_ALOS,
            VALIDATE_ALOS,
            HEAP_VALIDATE_ALOS,
            LATENCY_RATE_ALOS,
            LATENCY_ALOS_P50,
            LATENCY_ALOS_P99);
    private static final Guarantee EXACTLY_ONCE = new Guarantee(
            EOS,
            "eos",
            STREAMS_EOS,
            HEAP_STREAMS_EOS,
            VALIDATE_EOS,
            HEAP_VALIDATE_EOS,
            LATENCY_RATE_EOS,
            LATENCY_EOS_P50,
            LATENCY_EOS_P99);
    /** In the order the bench measures them. */
    private static final List<Guarantee> GUARANTEES = List.of(AT_LEAST_ONCE, EXACTLY_ONCE);

    /**
     * What to run.
     *
     * @param catalog the catalog the records belong to ({@code scjg.business-registration}); the
     *     bench registers copies of it under its own ids
     * @param workDir where state stores and the JSON Lines file go
     * @param progress where a line per measurement goes as it finishes
     */
    public record Settings(
            int records,
            int runs,
            int warmupRecords,
            int partitions,
            CatalogEntry catalog,
            Path workDir,
            PrintStream progress) {}

    /** Figures a measurement yields besides its main one: they are not measured when it is not. */
    private static final Map<String, List<String>> ALSO = Map.of(
            STREAMS_ALOS, List.of(HEAP_STREAMS_ALOS),
            STREAMS_EOS, List.of(HEAP_STREAMS_EOS),
            VALIDATE_ALOS, List.of(HEAP_VALIDATE_ALOS),
            VALIDATE_EOS, List.of(HEAP_VALIDATE_EOS),
            SHARE, List.of(HEAP_SHARE),
            SERDE_PEONY, List.of(SERDE_RAW),
            LATENCY_PLAIN_P99, List.of(LATENCY_PLAIN_P50),
            LATENCY_ALOS_P99, List.of(LATENCY_RATE_ALOS, LATENCY_ALOS_P50),
            LATENCY_EOS_P99, List.of(LATENCY_RATE_EOS, LATENCY_EOS_P50));

    private final BenchCluster cluster;
    private final Settings settings;
    private final BenchResults declared;
    private final long eosCommitIntervalMs;
    private boolean anyFailed;
    private BenchData data;

    public BenchHarness(BenchCluster cluster, Settings settings) {
        this.cluster = cluster;
        this.settings = settings;
        // The commit interval validation really runs with under exactly_once_v2 (Kafka's default
        // unless Peony sets one): the latency target allows for it.
        Properties eos = ValidationTopology.streamsProperties(
                cluster.clientProperties(), "peony-bench", EOS, settings.workDir());
        this.eosCommitIntervalMs = new StreamsConfig(eos).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        this.declared = declare();
    }

    /** Every row of the table, in order, with the ratios and their targets. */
    BenchResults declare() {
        String thr = "Throughput";
        String lat = "Latency at half of validation's measured throughput";
        String heap = "Streams application heap: peak live after GC, above the pre-run baseline";
        BenchResults r = new BenchResults()
                .figure(PRODUCER, thr, "P         Kafka producer, raw bytes, acks=all", Unit.RECORDS_PER_SECOND)
                .figure(STREAMS_ALOS, thr, "S         Streams byte passthrough, at_least_once", Unit.RECORDS_PER_SECOND)
                .figure(
                        STREAMS_EOS,
                        thr,
                        "S eos     Streams byte passthrough, exactly_once_v2",
                        Unit.RECORDS_PER_SECOND)
                .figure(PUBLISH, thr, "publish   DepartmentPublisher", Unit.RECORDS_PER_SECOND)
                .figure(PUBLISH_FILE, thr, "publish   peony publish, JSON Lines file", Unit.RECORDS_PER_SECOND)
                .figure(VALIDATE_ALOS, thr, "validate  ValidationApp, at_least_once", Unit.RECORDS_PER_SECOND)
                .figure(VALIDATE_EOS, thr, "validate  ValidationApp, exactly_once_v2", Unit.RECORDS_PER_SECOND)
                .figure(SHARE, thr, "share     ShareSlaApp, " + SHARE_GUARANTEE + ", events", Unit.RECORDS_PER_SECOND)
                .figure(SERDE_PEONY, thr, "serde     Peony serializer+deserializer", Unit.RECORDS_PER_SECOND)
                .figure(SERDE_RAW, thr, "raw       Avro GenericDatumWriter+Reader", Unit.RECORDS_PER_SECOND)
                .figure(LATENCY_RATE_ALOS, lat, "offered rate, at_least_once", Unit.RECORDS_PER_SECOND)
                .figure(LATENCY_PLAIN_P50, lat, "plain produce->consume p50", Unit.MILLISECONDS)
                .figure(LATENCY_PLAIN_P99, lat, "plain produce->consume p99", Unit.MILLISECONDS)
                .figure(LATENCY_ALOS_P50, lat, "publish->shared p50, at_least_once", Unit.MILLISECONDS)
                .figure(LATENCY_ALOS_P99, lat, "publish->shared p99, at_least_once", Unit.MILLISECONDS)
                .figure(LATENCY_RATE_EOS, lat, "offered rate, exactly_once_v2", Unit.RECORDS_PER_SECOND)
                .figure(LATENCY_EOS_P50, lat, "publish->shared p50, exactly_once_v2", Unit.MILLISECONDS)
                .figure(LATENCY_EOS_P99, lat, "publish->shared p99, exactly_once_v2", Unit.MILLISECONDS)
                .figure(HEAP_STREAMS_ALOS, heap, "S, at_least_once", Unit.MEBIBYTES)
                .figure(HEAP_STREAMS_EOS, heap, "S, exactly_once_v2", Unit.MEBIBYTES)
                .figure(HEAP_VALIDATE_ALOS, heap, "validate, at_least_once", Unit.MEBIBYTES)
                .figure(HEAP_VALIDATE_EOS, heap, "validate, exactly_once_v2", Unit.MEBIBYTES)
                .figure(HEAP_SHARE, heap, "share, " + SHARE_GUARANTEE, Unit.MEBIBYTES);
        double nan = Double.NaN;
        return r.ratio(new Ratio("publish/P", "publish/P", PUBLISH, PRODUCER, 0, Bound.AT_LEAST, 0.5))
                .ratio(new Ratio("publish.file/P", "publish file/P", PUBLISH_FILE, PRODUCER, 0, Bound.AT_LEAST, nan))
                .ratio(new Ratio(
                        "validate.alos/S",
                        "validate/S, at_least_once",
                        VALIDATE_ALOS,
                        STREAMS_ALOS,
                        0,
                        Bound.AT_LEAST,
                        0.75))
                .ratio(new Ratio(
                        "validate.eos/S",
                        "validate eos/S (S at_least_once)",
                        VALIDATE_EOS,
                        STREAMS_ALOS,
                        0,
                        Bound.AT_LEAST,
                        0.6))
                .ratio(new Ratio("share/S", "share/S (S at_least_once)", SHARE, STREAMS_ALOS, 0, Bound.AT_LEAST, 0.25))
                .ratio(new Ratio("serde/raw", "serde/raw", SERDE_PEONY, SERDE_RAW, 0, Bound.AT_LEAST, 0.9))
                .ratio(new Ratio(
                        "latency.alos.p99/plain.p99",
                        "validate p99 / plain p99, at_least_once",
                        LATENCY_ALOS_P99,
                        LATENCY_PLAIN_P99,
                        0,
                        Bound.AT_MOST,
                        3))
                .ratio(new Ratio(
                        "latency.eos.p99/plain.p99",
                        "(validate p99 - " + eosCommitIntervalMs + " ms commit) / plain p99, eos",
                        LATENCY_EOS_P99,
                        LATENCY_PLAIN_P99,
                        eosCommitIntervalMs,
                        Bound.AT_MOST,
                        3));
    }

    /** Whether any measurement broke (its row then says why). */
    public boolean anyFailed() {
        return anyFailed;
    }

    /** Average Avro body size of the records, once {@link #run} prepared them. */
    public double averageAvroBytes() {
        return data == null ? Double.NaN : data.averageAvroBytes();
    }

    public BenchResults run() {
        BenchResults results = declare();
        CatalogEntry base = cluster.registerCatalog(settings.catalog(), catalogId("base"), settings.partitions());
        // Share applications are tracked for conditionally shared catalogs only.
        CatalogEntry conditional = cluster.registerCatalog(
                CatalogEntry.newBuilder(settings.catalog())
                        .setShareType(ShareType.CONDITIONAL)
                        .setShareCondition("仅用于共享申请基准测试")
                        .setShareDeadlineWorkingDays(10)
                        .build(),
                catalogId("conditional"),
                settings.partitions());
        int schemaId =
                cluster.registry().latest(Topics.raw(base.getId()) + "-value").id();
        int most = Math.max(settings.records(), settings.warmupRecords());
        data = BenchData.prepare(base, schemaId, most);
        settings.progress()
                .printf(
                        Locale.ROOT,
                        "peony bench: %,d records of %s prepared, %.0f bytes of Avro on average, %d invalid%n",
                        most,
                        settings.catalog().getId(),
                        data.averageAvroBytes(),
                        most - data.valid(most));
        if (settings.warmupRecords() > 0) {
            runOnce(0, "warm-up", settings.warmupRecords(), conditional, null);
        }
        for (int k = 1; k <= settings.runs(); k++) {
            runOnce(k, "run " + k + "/" + settings.runs(), settings.records(), conditional, results);
        }
        return results;
    }

    private String catalogId(String what) {
        return "scjg.bench-" + cluster.tag() + "-" + what;
    }

    /** One interleaved run; {@code results} null for the warm-up (run 0), whose figures are dropped. */
    private void runOnce(int number, String name, int n, CatalogEntry shareCatalog, BenchResults results) {
        String run = number == 0 ? "w" : "r" + number;
        Map<String, Double> f = new HashMap<>();
        Path state = settings.workDir().resolve("state");
        Path jsonLines = settings.workDir().resolve("records-" + n + ".jsonl");
        if (!jsonLines.toFile().exists()) {
            FilePublishBench.writeJsonLines(data, n, jsonLines);
        }
        String prefix = "bench." + cluster.tag() + "." + run;
        String plain = prefix + ".plain";
        String passAlos = prefix + ".passthrough-alos";
        String passEos = prefix + ".passthrough-eos";
        String latencyTopic = prefix + ".latency";
        int parts = settings.partitions();
        cluster.createTopics(parts, plain, passAlos, passEos, latencyTopic);

        measure(name, results, f, PRODUCER, () -> f.put(PRODUCER, ProducerBaseline.run(cluster, data, n, plain)));
        for (Guarantee g : GUARANTEES) {
            String output = g == AT_LEAST_ONCE ? passAlos : passEos;
            measure(name, results, f, g.streams(), () -> {
                var t = StreamsPassthrough.run(
                        cluster, cluster.applicationId(run + "-s-" + g.suffix()), g.config(), plain, output, n, state);
                f.put(g.streams(), t.recordsPerSecond());
                f.put(g.heapStreams(), t.peakHeapMebibytes());
            });
        }
        CatalogEntry catalog = cluster.registerCatalog(settings.catalog(), catalogId(run), parts);
        measure(name, results, f, PUBLISH, () -> f.put(PUBLISH, PublisherBench.run(cluster, catalog, data, n)));
        measure(name, results, f, PUBLISH_FILE, () -> {
            CatalogEntry fileCatalog = cluster.registerCatalog(settings.catalog(), catalogId(run + "-file"), parts);
            f.put(PUBLISH_FILE, FilePublishBench.run(cluster, fileCatalog, jsonLines, n));
        });
        boolean published = f.containsKey(PUBLISH);
        for (Guarantee g : GUARANTEES) {
            measureIf(published, "publish failed", name, results, f, g.validate(), () -> {
                var t = ValidationBench.run(
                        cluster,
                        cluster.applicationId(run + "-validate-" + g.suffix()),
                        g.config(),
                        catalog.getId(),
                        n,
                        data.valid(n),
                        state);
                f.put(g.validate(), t.recordsPerSecond());
                f.put(g.heapValidate(), t.peakHeapMebibytes());
            });
        }
        measure(name, results, f, SHARE, () -> {
            var t = ShareBench.run(
                    cluster,
                    cluster.applicationId(run + "-share"),
                    SHARE_GUARANTEE,
                    shareCatalog.getId(),
                    shareCatalog.getDepartment(),
                    Math.max(1, n / 2),
                    "SQ-" + cluster.tag() + "-" + run + "-",
                    state);
            f.put(SHARE, t.recordsPerSecond());
            f.put(HEAP_SHARE, t.peakHeapMebibytes());
        });
        measure(name, results, f, SERDE_PEONY, () -> {
            SerdeBench.Result serde = SerdeBench.run(cluster, data, n, Topics.raw(catalog.getId()));
            f.put(SERDE_PEONY, serde.peony());
            f.put(SERDE_RAW, serde.raw());
        });
        Double alos = f.get(VALIDATE_ALOS);
        measureIf(
                alos != null, "validation at_least_once was not measured", name, results, f, LATENCY_PLAIN_P99, () -> {
                    double rate = alos / 2;
                    int count = LatencyBench.sampleSize(rate, LATENCY_SECONDS, n);
                    LatencyBench.Latency l = LatencyBench.plain(cluster, data, count, rate, latencyTopic);
                    f.put(LATENCY_PLAIN_P50, l.p50());
                    f.put(LATENCY_PLAIN_P99, l.p99());
                });
        for (Guarantee g : GUARANTEES) {
            Double validated = f.get(g.validate());
            String otherwise = "validation " + g.config() + " was not measured";
            measureIf(validated != null, otherwise, name, results, f, g.latencyP99(), () -> {
                double rate = validated / 2;
                int count = LatencyBench.sampleSize(rate, LATENCY_SECONDS, n);
                LatencyBench.Latency l = LatencyBench.validation(
                        cluster,
                        cluster.applicationId(run + "-latency-" + g.suffix()),
                        g.config(),
                        catalog,
                        data,
                        count,
                        rate,
                        state);
                f.put(g.latencyRate(), rate);
                f.put(g.latencyP50(), l.p50());
                f.put(g.latencyP99(), l.p99());
            });
        }
        cluster.cleanUpRun();
        if (results != null) {
            f.forEach((key, value) -> results.add(key, number, value));
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private void measureIf(
            boolean possible,
            String otherwise,
            String run,
            BenchResults results,
            Map<String, Double> f,
            String key,
            Step step) {
        if (possible) {
            measure(run, results, f, key, step);
        } else {
            fail(run, results, key, otherwise);
        }
    }

    /** Runs one measurement; a failure marks its row as not measured and the bench goes on. */
    private void measure(String run, BenchResults results, Map<String, Double> f, String key, Step step) {
        long start = System.nanoTime();
        try {
            step.run();
            BenchResults.Figure figure = declared.get(key);
            Double value = f.get(key);
            settings.progress()
                    .printf(
                            Locale.ROOT,
                            "peony bench: %s: %s %s %s (%.1f s)%n",
                            run,
                            key,
                            figure.unit().format(value),
                            figure.unit().symbol(),
                            (System.nanoTime() - start) / 1e9);
        } catch (RuntimeException e) {
            fail(run, results, key, e.getMessage() != null ? e.getMessage() : e.toString());
            if (!(e instanceof BenchFailure)) {
                e.printStackTrace(settings.progress());
            }
        } catch (Exception e) {
            fail(run, results, key, e.toString());
        }
    }

    private void fail(String run, BenchResults results, String key, String why) {
        anyFailed = true;
        settings.progress().println("peony bench: " + run + ": " + key + " not measured: " + why);
        if (results != null) {
            results.notMeasured(key, why);
            ALSO.getOrDefault(key, List.of()).forEach(k -> results.notMeasured(k, why));
        }
    }
}
