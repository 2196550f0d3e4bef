package city.heze.peony.producers.simulate;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.producers.CatalogTopic;
import city.heze.peony.producers.DepartmentPublisher;
import city.heze.peony.producers.PublisherSetupException;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A city of departments at work: each registered catalog's provider publishes realistic records
 * ({@link RecordGenerator}) through its own {@link DepartmentPublisher}, a share of them with one
 * deliberate defect each, and departments apply to use each other's conditional catalogs and get
 * answers, some late, some never ({@link ShareTraffic}).
 *
 * <p><b>Repeatable.</b> Everything is drawn from the seed, and time is simulated: event {@code k}
 * happens at {@code start + k / rate}, whatever the wall clock says, and the wall clock only paces
 * the sends. The same seed, start and catalogs give byte-identical records. With a seed but no start
 * the start is {@link #SEEDED_START}; with neither, the seed is random and the start is now, and the
 * summary prints both so that the run can be repeated.
 *
 * <p>Catalogs are picked by their update cycle (real-time ones most often). A run ends after {@code
 * count} records, after {@code duration} of simulated time, or on {@link #stop()}.
 *
 * <p>Meters: {@code peony.simulator.records} (department, catalog), {@code peony.simulator.defects}
 * (catalog, kind), {@code peony.simulator.share.applications} (provider, fate).
 */
public final class CitySimulator {

    /** Where a seeded run starts unless told: a Monday morning in Heze, fixed so seeds repeat. */
    public static final Instant SEEDED_START =
            OffsetDateTime.parse("2025-06-02T09:00:00+08:00").toInstant();

    private final Properties clientProperties;
    private final Collection<CatalogEntry> givenCatalogs;
    private final Set<String> catalogIds;
    private final long seed;
    private final Instant start;
    private final double rate;
    private final Long count;
    private final Duration duration;
    private final double defectRate;
    private final double openWithholdRate;
    private final double shareRate;
    private final double lateFraction;
    private final double neverFraction;
    private final double withdrawnFraction;
    private final MeterRegistry meters;

    private volatile boolean stopped;
    private volatile Thread runner;

    private CitySimulator(Builder b) {
        this.clientProperties = b.clientProperties;
        this.givenCatalogs = b.catalogs;
        this.catalogIds = b.catalogIds;
        this.seed = b.seed != null ? b.seed : ThreadLocalRandom.current().nextLong();
        this.start = b.start != null
                ? b.start
                : b.seed != null ? SEEDED_START : Instant.ofEpochMilli(System.currentTimeMillis());
        this.rate = b.rate;
        this.count = b.count;
        this.duration = b.duration;
        this.defectRate = b.defectRate;
        this.openWithholdRate = b.openWithholdRate;
        this.shareRate = b.shareRate;
        this.lateFraction = b.lateFraction;
        this.neverFraction = b.neverFraction;
        this.withdrawnFraction = b.withdrawnFraction;
        this.meters = b.meters != null ? b.meters : new SimpleMeterRegistry();
    }

    public static Builder builder(Properties clientProperties) {
        return new Builder(clientProperties);
    }

    public long seed() {
        return seed;
    }

    public Instant start() {
        return start;
    }

    /** Ends a running simulation soon; {@link #run()} then flushes and returns its summary. */
    public void stop() {
        stopped = true;
        Thread t = runner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** One catalog in the run: its generator, its publisher and its meters. */
    private static final class Channel {
        final CatalogEntry catalog;
        final RecordGenerator generator;
        final DepartmentPublisher publisher;
        final Counter records;
        final Counter[] defects = new Counter[DefectKind.values().length];
        long count;

        Channel(CatalogEntry catalog, RecordGenerator generator, DepartmentPublisher publisher, MeterRegistry meters) {
            this.catalog = catalog;
            this.generator = generator;
            this.publisher = publisher;
            this.records = Counter.builder("peony.simulator.records")
                    .description("Records the simulator published, valid or with a planted defect")
                    .tag("department", catalog.getDepartment())
                    .tag("catalog", catalog.getId())
                    .register(meters);
            for (DefectKind kind : generator.defectKinds()) {
                defects[kind.ordinal()] = Counter.builder("peony.simulator.defects")
                        .description("Records the simulator published with a deliberate defect")
                        .tag("catalog", catalog.getId())
                        .tag("kind", kind.label())
                        .register(meters);
            }
        }
    }

    /**
     * Runs the simulation to its end (count, duration or {@link #stop()}), waits until every record
     * is acknowledged or failed, and reports.
     *
     * @throws PublisherSetupException if there are no catalogs, or one has no registered schema
     */
    public SimulationSummary run() {
        runner = Thread.currentThread();
        List<CatalogEntry> catalogs = catalogs();
        Map<String, DepartmentPublisher> publishers = new TreeMap<>();
        KafkaProducer<String, Object> shares = null;
        LongAdder failed = new LongAdder();
        BiConsumer<RecordMetadata, Throwable> onAck = (metadata, error) -> {
            if (error != null) {
                failed.increment();
            }
        };
        try {
            Map<String, List<CatalogEntry>> byDepartment = new TreeMap<>();
            for (CatalogEntry c : catalogs) {
                byDepartment
                        .computeIfAbsent(c.getDepartment(), d -> new ArrayList<>())
                        .add(c);
            }
            for (var e : byDepartment.entrySet()) {
                publishers.put(
                        e.getKey(),
                        DepartmentPublisher.builder(clientProperties)
                                .catalogs(e.getValue())
                                .clientId("peony-simulator-" + e.getKey())
                                .meterRegistry(meters)
                                .build());
            }
            List<Channel> channels = new ArrayList<>();
            for (CatalogEntry c : catalogs) {
                DepartmentPublisher publisher = publishers.get(c.getDepartment());
                channels.add(
                        new Channel(c, RecordGenerator.forCatalog(c, publisher.schema(c.getId())), publisher, meters));
            }
            List<CatalogEntry> conditional = catalogs.stream()
                    .filter(c -> c.getShareType() == ShareType.CONDITIONAL)
                    .toList();
            ShareTraffic traffic = null;
            if (shareRate > 0 && !conditional.isEmpty()) {
                List<String> departments = new ArrayList<>(new TreeSet<>(byDepartment.keySet()));
                if (departments.size() < 2) {
                    departments.add("dsj"); // the big-data bureau applies when no other department exists
                }
                traffic = new ShareTraffic(conditional, departments, lateFraction, neverFraction, withdrawnFraction);
                traffic.requireTopics(existingTopics());
                shares = sharesProducer();
            }
            return simulate(channels, traffic, shares, failed, onAck);
        } finally {
            RuntimeException closing = null;
            for (DepartmentPublisher p : publishers.values()) {
                try {
                    p.close();
                } catch (RuntimeException e) {
                    closing = e;
                }
            }
            if (shares != null) {
                shares.close();
            }
            runner = null;
            if (closing != null) {
                throw closing;
            }
        }
    }

    private SimulationSummary simulate(
            List<Channel> channels,
            ShareTraffic traffic,
            KafkaProducer<String, Object> shares,
            LongAdder failed,
            BiConsumer<RecordMetadata, Throwable> onAck) {
        Random records = new Random(seed);
        // A stream of its own, so that changing the share rate leaves the records as they were.
        Random applications = new Random(Long.rotateLeft(seed, 32) ^ 0x9E37_79B9_7F4A_7C15L);
        double[] cumulative = new double[channels.size()];
        double total = 0;
        for (int i = 0; i < channels.size(); i++) {
            total += weight(channels.get(i).catalog);
            cumulative[i] = total;
        }
        Map<ShareFate, Long> fates = new EnumMap<>(ShareFate.class);
        Map<String, Map<ShareFate, Counter>> byProvider = new HashMap<>();

        long startMillis = start.toEpochMilli();
        long endMillis = duration == null ? Long.MAX_VALUE : startMillis + duration.toMillis();
        double recordInterval = 1000.0 / rate;
        double shareInterval = traffic == null ? Double.POSITIVE_INFINITY : 1000.0 / shareRate;
        long recordCount = 0;
        long shareCount = 0;
        long lastEvent = startMillis;
        long[] defects = new long[DefectKind.values().length];
        // A stream of its own, so that planting for open data leaves the records and defects as they were.
        Random opening = new Random(seed ^ 0x6F70_656E_6461_7461L);
        long[] openPlants = new long[OpenPlantKind.values().length];
        long wallStart = System.nanoTime();

        while (!stopped) {
            double recordAt = startMillis + recordCount * recordInterval;
            // Without share traffic no application is ever due (0 x infinity would be NaN, not "never").
            double shareAt = traffic == null ? Double.POSITIVE_INFINITY : startMillis + shareCount * shareInterval;
            boolean recordNext = recordAt <= shareAt;
            double at = recordNext ? recordAt : shareAt;
            if (count != null && recordCount >= count || at >= endMillis) {
                break;
            }
            pace(wallStart, at - startMillis);
            if (stopped) {
                break;
            }
            long now = (long) at;
            lastEvent = now;
            if (recordNext) {
                Channel channel = channels.get(pick(records, cumulative, total));
                List<DefectKind> kinds = channel.generator.defectKinds();
                DefectKind defect = null;
                if (defectRate > 0 && !kinds.isEmpty() && records.nextDouble() < defectRate) {
                    defect = kinds.get(records.nextInt(kinds.size()));
                }
                GeneratedRecord generated = channel.generator.next(records, now, defect);
                if (defect == null
                        && openWithholdRate > 0
                        && !channel.generator.openPlantFields().isEmpty()
                        && opening.nextDouble() < openWithholdRate) {
                    // Valid, so shared; but an OPEN catalog must withhold it from open.<catalog>.
                    OpenPlantKind kind = OpenPlantKind.values()[opening.nextInt(OpenPlantKind.values().length)];
                    channel.generator.plantOpenWithheld(generated.record(), opening, kind);
                    openPlants[kind.ordinal()]++;
                }
                channel.publisher
                        .send(channel.catalog.getId(), generated.record())
                        .whenComplete(onAck);
                channel.records.increment();
                channel.count++;
                if (defect != null) {
                    defects[defect.ordinal()]++;
                    channel.defects[defect.ordinal()].increment();
                }
                recordCount++;
            } else {
                ShareTraffic.Application application = traffic.next(applications, now);
                String id = application.request().getApplicationId();
                shares.send(
                        new ProducerRecord<>(application.requestTopic(), id, application.request()),
                        (m, e) -> onAck.accept(m, e));
                if (application.decision() != null) {
                    shares.send(
                            new ProducerRecord<>(application.decisionTopic(), id, application.decision()),
                            (m, e) -> onAck.accept(m, e));
                }
                fates.merge(application.fate(), 1L, Long::sum);
                String provider = application.request().getProviderDepartment();
                byProvider
                        .computeIfAbsent(provider, p -> new EnumMap<>(ShareFate.class))
                        .computeIfAbsent(
                                application.fate(),
                                f -> Counter.builder("peony.simulator.share.applications")
                                        .description(
                                                "Share applications the simulator submitted, by what became of them")
                                        .tag("provider", provider)
                                        .tag("fate", f.name().toLowerCase(java.util.Locale.ROOT))
                                        .register(meters))
                        .increment();
                shareCount++;
            }
        }
        for (Channel channel : channels) {
            channel.publisher.flush();
        }
        if (shares != null) {
            shares.flush();
        }
        Map<String, Long> perCatalog = new LinkedHashMap<>();
        channels.forEach(c -> perCatalog.put(c.catalog.getId(), c.count));
        Map<DefectKind, Long> perKind = new EnumMap<>(DefectKind.class);
        for (DefectKind kind : DefectKind.values()) {
            perKind.put(kind, defects[kind.ordinal()]);
        }
        Map<OpenPlantKind, Long> perPlant = new EnumMap<>(OpenPlantKind.class);
        for (OpenPlantKind kind : OpenPlantKind.values()) {
            perPlant.put(kind, openPlants[kind.ordinal()]);
        }
        return new SimulationSummary(
                seed,
                start,
                Instant.ofEpochMilli(lastEvent),
                recordCount,
                perCatalog,
                perKind,
                shareCount,
                fates,
                failed.sum(),
                perPlant);
    }

    /** Waits until the wall clock has caught up with the simulated time of the next event. */
    private void pace(long wallStart, double simulatedOffsetMillis) {
        long due = wallStart + (long) (simulatedOffsetMillis * 1_000_000L);
        long wait;
        while (!stopped && (wait = due - System.nanoTime()) > 100_000L) {
            LockSupport.parkNanos(this, wait);
            if (Thread.interrupted()) {
                stopped = true;
            }
        }
    }

    private static int pick(Random random, double[] cumulative, double total) {
        double u = random.nextDouble() * total;
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    /** How often a catalog publishes relative to others: real-time catalogs most, yearly ones least. */
    private static double weight(CatalogEntry catalog) {
        return switch (catalog.getUpdateCycle()) {
            case REALTIME -> 6;
            case DAILY -> 3;
            case WEEKLY -> 2;
            default -> 1;
        };
    }

    private List<CatalogEntry> catalogs() {
        Collection<CatalogEntry> all = givenCatalogs != null
                ? givenCatalogs
                : new CatalogTopic(clientProperties).readAll().values();
        List<CatalogEntry> chosen = new ArrayList<>();
        Set<String> found = new TreeSet<>();
        for (CatalogEntry c : all) {
            if (catalogIds.isEmpty() || catalogIds.contains(c.getId())) {
                chosen.add(c);
                found.add(c.getId());
            }
        }
        for (String id : catalogIds) {
            if (!found.contains(id)) {
                throw new PublisherSetupException("no catalog '" + id + "' on " + Topics.CATALOG.name()
                        + "; register it first (peony catalog register)");
            }
        }
        if (chosen.isEmpty()) {
            throw new PublisherSetupException("no catalogs to simulate: " + Topics.CATALOG.name()
                    + " is empty; register some first (peony catalog register ops/catalog)");
        }
        // Sorted, so that the same catalogs give the same run whatever order they came in.
        chosen.sort(Comparator.comparing(CatalogEntry::getId));
        return chosen;
    }

    private Set<String> existingTopics() {
        try (Admin admin = Admin.create(ClientConfigs.kafkaOnly(clientProperties))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new PublisherSetupException("could not list the topics on the cluster to check the departments'"
                    + " share topics: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublisherSetupException("interrupted while listing the topics on the cluster");
        }
    }

    private KafkaProducer<String, Object> sharesProducer() {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "peony-simulator-shares");
        props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        Map<String, Object> configs = ClientConfigs.toMap(clientProperties);
        PeonyAvroSerializer serializer = new PeonyAvroSerializer();
        serializer.configure(configs, false);
        return new KafkaProducer<>(props, new StringSerializer(), serializer);
    }

    /** Builds a {@link CitySimulator}; every setting has a default except the client properties. */
    public static final class Builder {
        private final Properties clientProperties;
        private Collection<CatalogEntry> catalogs;
        private final Set<String> catalogIds = new TreeSet<>();
        private Long seed;
        private Instant start;
        private double rate = 100;
        private Long count;
        private Duration duration;
        private double defectRate = 0.02;
        private double openWithholdRate = 0.02;
        private double shareRate = 0.2;
        private double lateFraction = 0.1;
        private double neverFraction = 0.05;
        private double withdrawnFraction = 0.03;
        private MeterRegistry meters;

        private Builder(Properties clientProperties) {
            this.clientProperties = clientProperties;
        }

        /** The catalogs to simulate; by default every catalog on {@code peony.catalog}. */
        public Builder catalogs(Collection<CatalogEntry> catalogs) {
            this.catalogs = List.copyOf(catalogs);
            return this;
        }

        /** Only these catalogs (of the given or registered ones). */
        public Builder catalogIds(Collection<String> ids) {
            catalogIds.addAll(ids);
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The simulated time of the first event. */
        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        /** Records per second, of simulated and (by pacing) of wall-clock time; default 100. */
        public Builder rate(double recordsPerSecond) {
            require(
                    recordsPerSecond > 0 && recordsPerSecond <= 1_000_000,
                    "rate",
                    recordsPerSecond,
                    "between 0 and 1000000 (exclusive of 0)");
            this.rate = recordsPerSecond;
            return this;
        }

        /** Stop after this many records. */
        public Builder count(long records) {
            require(records >= 0, "count", records, "0 or more");
            this.count = records;
            return this;
        }

        /** Stop after this much simulated time. */
        public Builder duration(Duration duration) {
            require(!duration.isNegative(), "duration", duration, "not negative");
            this.duration = duration;
            return this;
        }

        /**
         * The share of the valid records of OPEN catalogs given personal information in a free-text
         * field ({@link OpenPlantKind}), which opening must withhold; default 0.02, so the simulated
         * city's open-qualified rate is near the 98 % target. Catalogs without such a field get none.
         */
        public Builder openWithholdRate(double rate) {
            require(rate >= 0 && rate <= 1, "open-withhold-rate", rate, "between 0 and 1");
            this.openWithholdRate = rate;
            return this;
        }

        /** The share of records given one deliberate defect; default 0.02. */
        public Builder defectRate(double rate) {
            require(rate >= 0 && rate <= 1, "defect-rate", rate, "between 0 and 1");
            this.defectRate = rate;
            return this;
        }

        /** Share applications per second; default 0.2; 0 for none. */
        public Builder shareRate(double perSecond) {
            require(perSecond >= 0 && perSecond <= 100_000, "share-rate", perSecond, "between 0 and 100000");
            this.shareRate = perSecond;
            return this;
        }

        /** The share of applications answered after their deadline; default 0.1. */
        public Builder lateFraction(double fraction) {
            require(fraction >= 0 && fraction <= 1, "late-fraction", fraction, "between 0 and 1");
            this.lateFraction = fraction;
            return this;
        }

        /** The share of applications never answered; default 0.05. */
        public Builder neverFraction(double fraction) {
            require(fraction >= 0 && fraction <= 1, "never-fraction", fraction, "between 0 and 1");
            this.neverFraction = fraction;
            return this;
        }

        /** The share of applications withdrawn by the requester; default 0.03. */
        public Builder withdrawnFraction(double fraction) {
            require(fraction >= 0 && fraction <= 1, "withdrawn-fraction", fraction, "between 0 and 1");
            this.withdrawnFraction = fraction;
            return this;
        }

        public Builder meterRegistry(MeterRegistry meters) {
            this.meters = meters;
            return this;
        }

        /** @throws IllegalArgumentException if the fractions of applications add up to more than 1 */
        public CitySimulator build() {
            double sum = lateFraction + neverFraction + withdrawnFraction;
            require(sum <= 1.0 + 1e-9, "lateFraction + neverFraction + withdrawnFraction", sum, "at most 1");
            return new CitySimulator(this);
        }

        private static void require(boolean ok, String name, Object value, String expected) {
            if (!ok) {
                throw new IllegalArgumentException(name + " " + value + ": expected " + expected);
            }
        }
    }
}
