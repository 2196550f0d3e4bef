package city.heze.peony.bench;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.bench.BenchResults.Bound;
import city.heze.peony.bench.BenchResults.Ratio;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.PeonyStreamsConfig;
import city.heze.peony.streams.validation.ValidationTopology;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Runs every measurement of {@code peony bench}, interleaved: each run measures P, publish, S,
 * validate, share, serde and latency once, on fresh topics, so that noise on the machine falls on
 * all of them alike; a warm-up run (discarded) comes first. The throughputs of P, publish, S and
 * validate are taken over a {@link SteadyWindow} of {@code duration} after a settling time, and
 * each numerator runs next to its denominator, in the opposite order in every other run. A
 * measurement that breaks is reported as not measured, with the reason, and the others go on.
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
    /** The social-assistance review over a population written to its shared topics (issue 13). */
    public static final String LINKAGE = "linkage";
    /** Open data (issue 16): the bench's records masked and checked, shared.* to open.* or withheld. */
    public static final String OPEN = "open";
    /** Its state directory after the run, scaled to a million residents. */
    public static final String LINKAGE_STATE = "linkage.state";

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
    public static final String LATENCY_OWN_ALOS_P50 = "latency.validate.own.alos.p50";
    public static final String LATENCY_OWN_ALOS_P99 = "latency.validate.own.alos.p99";
    public static final String LATENCY_OWN_EOS_P50 = "latency.validate.own.eos.p50";
    public static final String LATENCY_OWN_EOS_P99 = "latency.validate.own.eos.p99";
    public static final String HEAP_STREAMS_ALOS = "heap.streams.alos";
    public static final String HEAP_STREAMS_EOS = "heap.streams.eos";
    public static final String HEAP_VALIDATE_ALOS = "heap.validate.alos";
    public static final String HEAP_VALIDATE_EOS = "heap.validate.eos";
    public static final String HEAP_SHARE = "heap.share";
    public static final String HEAP_LINKAGE = "heap.linkage";
    public static final String HEAP_OPEN = "heap.open";
    /** DepartmentPublisher signed in as a department on the secured broker ({@code --secure} only). */
    public static final String PUBLISH_SECURE = "publish.secure";
    /** Validation as peony up --secure runs it, exactly_once_v2, on the secured broker ({@code --secure} only). */
    public static final String VALIDATE_SECURE = "validate.secure";
    /** What {@code peony bench --secure} asks of the secured rows against the plain ones (issue 12). */
    static final double SECURE_TARGET = 0.9;

    /** Seconds of paced sending in a latency measurement (fewer records if the bench has fewer). */
    static final double LATENCY_SECONDS = 5;

    private static final String ALOS = StreamsConfig.AT_LEAST_ONCE;
    private static final String EOS = StreamsConfig.EXACTLY_ONCE_V2;
    private static final String SHARE_GUARANTEE = EOS;
    /** As peony up runs the open-data application. */
    private static final String OPEN_GUARANTEE = PeonyStreamsConfig.DEFAULT_GUARANTEE;

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
            String latencyP99,
            String latencyOwnP50,
            String latencyOwnP99) {}

    private static final Guarantee AT_LEAST_ONCE = new Guarantee(
            ALOS,
            "alos",
            STREAMS_ALOS,
            HEAP_STREAMS_ALOS,
            VALIDATE_ALOS,
            HEAP_VALIDATE_ALOS,
            LATENCY_RATE_ALOS,
            LATENCY_ALOS_P50,
            LATENCY_ALOS_P99,
            LATENCY_OWN_ALOS_P50,
            LATENCY_OWN_ALOS_P99);
    private static final Guarantee EXACTLY_ONCE = new Guarantee(
            EOS,
            "eos",
            STREAMS_EOS,
            HEAP_STREAMS_EOS,
            VALIDATE_EOS,
            HEAP_VALIDATE_EOS,
            LATENCY_RATE_EOS,
            LATENCY_EOS_P50,
            LATENCY_EOS_P99,
            LATENCY_OWN_EOS_P50,
            LATENCY_OWN_EOS_P99);
    /** In the order the bench measures them. */
    private static final List<Guarantee> GUARANTEES = List.of(AT_LEAST_ONCE, EXACTLY_ONCE);

    /**
     * What to run.
     *
     * @param records records of the rows that still run over a record count (the JSON Lines file,
     *     share, serde, latency), and the distinct records the windowed rows cycle through
     * @param duration the steady-state window of every windowed row (P, publish, S, validate),
     *     after a settling time of {@link #settleOf} it
     * @param catalog the catalog the records belong to ({@code scjg.business-registration}); the
     *     bench registers copies of it under its own ids
     * @param workDir where state stores and the JSON Lines file go
     * @param progress where a line per measurement goes as it finishes
     * @param validateCommand the program and arguments that run Peony's command line, for the
     *     latency of {@code peony validate} in its own JVM; null leaves those rows not measured
     */
    public record Settings(
            int records,
            Duration duration,
            int runs,
            int warmupRecords,
            int partitions,
            CatalogEntry catalog,
            Path workDir,
            PrintStream progress,
            List<String> validateCommand) {}

    /** Figures a measurement yields besides its main one: they are not measured when it is not. */
    private static final Map<String, List<String>> ALSO = Map.ofEntries(
            Map.entry(STREAMS_ALOS, List.of(HEAP_STREAMS_ALOS)),
            Map.entry(STREAMS_EOS, List.of(HEAP_STREAMS_EOS)),
            Map.entry(VALIDATE_ALOS, List.of(HEAP_VALIDATE_ALOS)),
            Map.entry(VALIDATE_EOS, List.of(HEAP_VALIDATE_EOS)),
            Map.entry(SHARE, List.of(HEAP_SHARE)),
            Map.entry(OPEN, List.of(HEAP_OPEN)),
            Map.entry(SERDE_PEONY, List.of(SERDE_RAW)),
            Map.entry(LATENCY_PLAIN_P99, List.of(LATENCY_PLAIN_P50)),
            Map.entry(LATENCY_ALOS_P99, List.of(LATENCY_RATE_ALOS, LATENCY_ALOS_P50)),
            Map.entry(LATENCY_EOS_P99, List.of(LATENCY_RATE_EOS, LATENCY_EOS_P50)),
            Map.entry(LATENCY_OWN_ALOS_P99, List.of(LATENCY_OWN_ALOS_P50)),
            Map.entry(LATENCY_OWN_EOS_P99, List.of(LATENCY_OWN_EOS_P50)));

    private final BenchCluster cluster;
    /** The secured broker of {@code --secure}, or null: the secured rows are then not declared. */
    private final BenchCluster secure;

    private final Settings settings;
    private final BenchResults declared;
    private final long eosCommitIntervalMs;
    private boolean anyFailed;
    /** The highest rate each figure reached in any run so far, the warm-up included: sizes the inputs. */
    private final Map<String, Double> fastest = new HashMap<>();

    private BenchData data;
    /** The department the secured publisher signs in as; created when {@link #run} starts. */
    private BenchDepartment department;

    /** The settling time before a window opens: start-up, JIT and the first batches fall in it. */
    public static Duration settleOf(Duration duration) {
        return Duration.ofMillis(Math.max(200, Math.min(3_000, duration.toMillis() * 3 / 10)));
    }

    public BenchHarness(BenchCluster cluster, Settings settings) {
        this(cluster, null, settings);
    }

    /**
     * With {@code secure} (from {@link BenchCluster#embeddedSecured}), every run also measures
     * publish and validation on that secured broker, each next to its plain counterpart, for the
     * ratios {@code publish secure/plain} and {@code validate secure/plain}.
     */
    public BenchHarness(BenchCluster cluster, BenchCluster secure, Settings settings) {
        if (secure != null && !secure.secured()) {
            throw new IllegalArgumentException("not a secured cluster: " + secure.description());
        }
        this.cluster = cluster;
        this.secure = secure;
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
                .figure(
                        OPEN,
                        thr,
                        "open      OpenDataApp, " + OPEN_GUARANTEE + ", masking and checks",
                        Unit.RECORDS_PER_SECOND)
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
                .figure(LATENCY_OWN_ALOS_P50, lat, "publish->shared p50, at_least_once, own JVM", Unit.MILLISECONDS)
                .figure(LATENCY_OWN_ALOS_P99, lat, "publish->shared p99, at_least_once, own JVM", Unit.MILLISECONDS)
                .figure(LATENCY_OWN_EOS_P50, lat, "publish->shared p50, exactly_once_v2, own JVM", Unit.MILLISECONDS)
                .figure(LATENCY_OWN_EOS_P99, lat, "publish->shared p99, exactly_once_v2, own JVM", Unit.MILLISECONDS)
                .figure(HEAP_STREAMS_ALOS, heap, "S, at_least_once", Unit.MEBIBYTES)
                .figure(HEAP_STREAMS_EOS, heap, "S, exactly_once_v2", Unit.MEBIBYTES)
                .figure(HEAP_VALIDATE_ALOS, heap, "validate, at_least_once", Unit.MEBIBYTES)
                .figure(HEAP_VALIDATE_EOS, heap, "validate, exactly_once_v2", Unit.MEBIBYTES)
                .figure(HEAP_SHARE, heap, "share, " + SHARE_GUARANTEE, Unit.MEBIBYTES)
                .figure(HEAP_OPEN, heap, "open, " + OPEN_GUARANTEE, Unit.MEBIBYTES);
        if (cluster.embedded()) {
            // The linkage row writes test residents to the real shared.* topic names the scenario
            // reads: on the bench's own broker only, never on a city's cluster (--external).
            r.figure(
                            LINKAGE,
                            "Linkage (the bench's own broker only)",
                            "linkage   social-assistance review, " + SHARE_GUARANTEE + ", input records",
                            Unit.RECORDS_PER_SECOND)
                    .figure(HEAP_LINKAGE, heap, "linkage, " + SHARE_GUARANTEE, Unit.MEBIBYTES)
                    .figure(
                            LINKAGE_STATE,
                            "Linkage (the bench's own broker only)",
                            "linkage   state directory per million residents",
                            Unit.MEBIBYTES);
        }
        if (secure != null) {
            String sec = "Throughput on the secured broker (SCRAM + ACLs, as peony up --secure)";
            r.figure(
                            PUBLISH_SECURE,
                            sec,
                            "publish   DepartmentPublisher, signed in as a department",
                            Unit.RECORDS_PER_SECOND)
                    .figure(
                            VALIDATE_SECURE,
                            sec,
                            "validate  ValidationApp, exactly_once_v2, as the super user",
                            Unit.RECORDS_PER_SECOND);
        }
        double nan = Double.NaN;
        r.ratio(new Ratio("publish/P", "publish/P", PUBLISH, PRODUCER, 0, Bound.AT_LEAST, 0.5))
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
                .ratio(new Ratio("open/S", "open/S (S at_least_once)", OPEN, STREAMS_ALOS, 0, Bound.AT_LEAST, 0.5))
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
                        3))
                .ratio(new Ratio(
                        "latency.own.alos.p99/plain.p99",
                        "validate p99 / plain p99, alos, own JVM",
                        LATENCY_OWN_ALOS_P99,
                        LATENCY_PLAIN_P99,
                        0,
                        Bound.AT_MOST,
                        3))
                .ratio(new Ratio(
                        "latency.own.eos.p99/plain.p99",
                        "(validate p99 - " + eosCommitIntervalMs + " ms commit) / plain p99, eos, own JVM",
                        LATENCY_OWN_EOS_P99,
                        LATENCY_PLAIN_P99,
                        eosCommitIntervalMs,
                        Bound.AT_MOST,
                        3));
        if (cluster.embedded()) {
            r.ratio(new Ratio(
                    "linkage/S", "linkage/S (S at_least_once)", LINKAGE, STREAMS_ALOS, 0, Bound.AT_LEAST, 0.3));
        }
        if (secure != null) {
            r.ratio(new Ratio(
                            "publish.secure/plain",
                            "publish secure/plain",
                            PUBLISH_SECURE,
                            PUBLISH,
                            0,
                            Bound.AT_LEAST,
                            SECURE_TARGET))
                    .ratio(new Ratio(
                            "validate.secure/plain",
                            "validate secure/plain, exactly_once_v2",
                            VALIDATE_SECURE,
                            VALIDATE_EOS,
                            0,
                            Bound.AT_LEAST,
                            SECURE_TARGET));
        }
        return r;
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
        if (secure != null) {
            // The department of the bench's catalog provides the secured copies of it, so the access
            // policy gives it exactly a provider's rights on them.
            department = BenchDepartment.create(secure, settings.catalog().getDepartment());
        }
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
                cluster.registry().latest(Topics.rawValueSubject(base.getId())).id();
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
        Duration duration = settings.duration();
        SteadyWindow window = new SteadyWindow(settleOf(duration), duration);
        if (settings.warmupRecords() > 0) {
            // Half a window is enough to compile the hot paths; its figures are dropped.
            Duration half = duration.dividedBy(2);
            runOnce(0, "warm-up", settings.warmupRecords(), new SteadyWindow(settleOf(half), half), conditional, null);
        }
        for (int k = 1; k <= settings.runs(); k++) {
            runOnce(k, "run " + k + "/" + settings.runs(), settings.records(), window, conditional, results);
        }
        return results;
    }

    private String catalogId(String what) {
        return "scjg.bench-" + cluster.tag() + "-" + what;
    }

    /** One interleaved run; {@code results} null for the warm-up (run 0), whose figures are dropped. */
    private void runOnce(
            int number, String name, int n, SteadyWindow window, CatalogEntry shareCatalog, BenchResults results) {
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

        // Numerators and denominators are measured next to each other, and in the opposite order in
        // every other run (A B, then B A), so that neither side of a ratio always gets the warmer or
        // the quieter moment of the machine.
        boolean reversed = number % 2 == 0;
        CatalogEntry catalog = cluster.registerCatalog(settings.catalog(), catalogId(run), parts);
        long[] plainRecords = {0};
        long[] rawRecords = {0};
        Runnable producer = () -> measure(name, results, f, PRODUCER, () -> {
            ProducerBaseline.Sent sent = ProducerBaseline.run(cluster, data, window, plain);
            plainRecords[0] = sent.records();
            f.put(PRODUCER, sent.rate().recordsPerSecond());
        });
        Runnable publisher = () -> measure(name, results, f, PUBLISH, () -> {
            ProducerBaseline.Sent sent = PublisherBench.run(cluster, catalog, data, window);
            rawRecords[0] = sent.records();
            f.put(PUBLISH, sent.rate().recordsPerSecond());
        });
        CatalogEntry secureCatalog = null;
        long[] secureRawRecords = {0};
        if (secure == null) {
            inOrder(reversed, producer, publisher);
        } else {
            secureCatalog = secure.registerCatalog(settings.catalog(), catalogId(run), parts);
            department.grant(List.of(secureCatalog));
            CatalogEntry signedIn = secureCatalog;
            Runnable publisherSecure = () -> measure(name, results, f, PUBLISH_SECURE, () -> {
                ProducerBaseline.Sent sent = PublisherBench.run(department.clientProperties(), signedIn, data, window);
                secureRawRecords[0] = sent.records();
                f.put(PUBLISH_SECURE, sent.rate().recordsPerSecond());
            });
            // The publisher sits between its two ratios' other sides: P publish publish-secure, then reversed.
            inOrder(reversed, producer, publisher, publisherSecure);
        }
        measure(name, results, f, PUBLISH_FILE, () -> {
            CatalogEntry fileCatalog = cluster.registerCatalog(settings.catalog(), catalogId(run + "-file"), parts);
            f.put(PUBLISH_FILE, FilePublishBench.run(cluster, fileCatalog, jsonLines, n));
        });
        // A passthrough or validation faster than the producer or publisher before it would run out of
        // input inside its window: top the topics up to what the fastest earlier run would read.
        plainRecords[0] += topUp(window, plain, plainRecords[0], STREAMS_ALOS, STREAMS_EOS);
        rawRecords[0] += topUp(window, Topics.raw(catalog.getId()), rawRecords[0], VALIDATE_ALOS, VALIDATE_EOS);
        if (secureCatalog != null) {
            // As the super user, whose registry gives the records the secured registry's schema ids.
            CatalogEntry filled = secureCatalog;
            secureRawRecords[0] += topUp(
                    window,
                    secureRawRecords[0],
                    (from, count) -> PublisherBench.fill(secure.clientProperties(), filled, data, from, count),
                    VALIDATE_SECURE,
                    VALIDATE_EOS);
        }
        List<Runnable> streams = new java.util.ArrayList<>();
        for (Guarantee g : GUARANTEES) {
            String output = g == AT_LEAST_ONCE ? passAlos : passEos;
            Runnable passthrough = () ->
                    measureIf(f.containsKey(PRODUCER), "the producer failed", name, results, f, g.streams(), () -> {
                        var t = StreamsPassthrough.run(
                                cluster,
                                cluster.applicationId(run + "-s-" + g.suffix()),
                                g.config(),
                                plain,
                                output,
                                plainRecords[0],
                                window,
                                state);
                        noteCutShort(name, g.streams(), t);
                        f.put(g.streams(), t.recordsPerSecond());
                        f.put(g.heapStreams(), t.peakHeapMebibytes());
                    });
            Runnable validation =
                    () -> measureIf(f.containsKey(PUBLISH), "publish failed", name, results, f, g.validate(), () -> {
                        var t = ValidationBench.run(
                                cluster,
                                cluster.applicationId(run + "-validate-" + g.suffix()),
                                g.config(),
                                catalog.getId(),
                                rawRecords[0],
                                window,
                                state);
                        noteCutShort(name, g.validate(), t);
                        f.put(g.validate(), t.recordsPerSecond());
                        f.put(g.heapValidate(), t.peakHeapMebibytes());
                    });
            // S alos, open, validate alos, validate eos, S eos: each validation, and open data, next to a
            // passthrough (open/S is against S at_least_once).
            if (g == AT_LEAST_ONCE) {
                streams.add(passthrough);
                streams.add(() -> measure(name, results, f, OPEN, () -> {
                    CatalogEntry openCatalog =
                            cluster.registerCatalog(settings.catalog(), catalogId(run + "-open"), parts);
                    // Enough to last beyond the window at the fastest rate seen (as topUp gives the others).
                    long records = Math.max(n, (long) Math.ceil(
                            fastest.getOrDefault(OPEN, 0.0) * window.total().toMillis() / 1000.0 * 1.5));
                    var t = OpenBench.run(
                            cluster,
                            cluster.applicationId(run + "-open"),
                            OPEN_GUARANTEE,
                            openCatalog,
                            data,
                            records,
                            window,
                            state);
                    noteCutShort(name, OPEN, t);
                    f.put(OPEN, t.recordsPerSecond());
                    f.put(HEAP_OPEN, t.peakHeapMebibytes());
                }));
                streams.add(validation);
            } else {
                streams.add(validation);
                if (secureCatalog != null) {
                    // Next to plain validation eos, its denominator, in either order.
                    String secureId = secureCatalog.getId();
                    streams.add(() -> measureIf(
                            f.containsKey(PUBLISH_SECURE),
                            "publish secure failed",
                            name,
                            results,
                            f,
                            VALIDATE_SECURE,
                            () -> {
                                var t = ValidationBench.run(
                                        secure,
                                        secure.applicationId(run + "-validate-secure"),
                                        EOS,
                                        secureId,
                                        secureRawRecords[0],
                                        window,
                                        state);
                                noteCutShort(name, VALIDATE_SECURE, t);
                                f.put(VALIDATE_SECURE, t.recordsPerSecond());
                            }));
                }
                streams.add(passthrough);
            }
        }
        inOrder(reversed, streams.toArray(Runnable[]::new));
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
        if (cluster.embedded()) {
            measure(name, results, f, LINKAGE, () -> {
                var l = LinkageBench.run(
                        cluster,
                        cluster.applicationId(run + "-linkage"),
                        SHARE_GUARANTEE,
                        n,
                        cluster.tag() + run,
                        state);
                f.put(LINKAGE, l.recordsPerSecond());
                f.put(HEAP_LINKAGE, l.peakHeapMebibytes());
                f.put(LINKAGE_STATE, l.stateMebibytesPerMillionResidents());
            });
        }
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
            // The same offered rate through peony validate in a JVM of its own, as it runs in production.
            boolean own = validated != null && settings.validateCommand() != null;
            String ownOtherwise = settings.validateCommand() == null ? "no command to start peony validate" : otherwise;
            measureIf(own, ownOtherwise, name, results, f, g.latencyOwnP99(), () -> {
                double rate = validated / 2;
                int count = LatencyBench.sampleSize(rate, LATENCY_SECONDS, n);
                LatencyBench.Latency l = LatencyBench.validationInOwnJvm(
                        cluster,
                        settings.validateCommand(),
                        cluster.applicationId(run + "-latency-own-" + g.suffix()),
                        g.config(),
                        catalog,
                        data,
                        count,
                        rate,
                        state,
                        settings.workDir());
                f.put(g.latencyOwnP50(), l.p50());
                f.put(g.latencyOwnP99(), l.p99());
            });
        }
        cluster.cleanUpRun();
        if (secure != null) {
            secure.cleanUpRun();
        }
        f.forEach((key, value) -> fastest.merge(key, value, Math::max));
        if (results != null) {
            f.forEach((key, value) -> results.add(key, number, value));
        }
    }

    /**
     * Sends records to {@code topic} until it holds half as many again as the fastest earlier run of
     * its readers would read in a window (settling included), and at least {@code --records};
     * returns how many it sent.
     */
    private long topUp(SteadyWindow window, String topic, long holds, String... readers) {
        return topUp(window, holds, (from, count) -> ProducerBaseline.fill(cluster, data, topic, from, count), readers);
    }

    /** Sends {@code count} records, numbers from {@code from} on, to the topic being topped up. */
    private interface Filler {
        void fill(long from, long count);
    }

    private long topUp(SteadyWindow window, long holds, Filler filler, String... readers) {
        double rate = 0;
        for (String reader : readers) {
            rate = Math.max(rate, fastest.getOrDefault(reader, 0.0));
        }
        long needed = Math.max(
                settings.records(), (long) Math.ceil(rate * window.total().toMillis() / 1000.0 * 1.5));
        if (holds <= 0 || needed <= holds) {
            return 0;
        }
        filler.fill(holds, needed - holds);
        return needed - holds;
    }

    /** Runs the steps in order, or in the opposite order. */
    private static void inOrder(boolean reversed, Runnable... steps) {
        List<Runnable> order = new java.util.ArrayList<>(List.of(steps));
        if (reversed) {
            java.util.Collections.reverse(order);
        }
        order.forEach(Runnable::run);
    }

    private void noteCutShort(String run, String key, StreamsStopwatch.Timing t) {
        if (t.cutShort()) {
            settings.progress()
                    .println("peony bench: " + run + ": " + key + ": the input ran out before the window closed;"
                            + " the rate covers a shorter window");
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
