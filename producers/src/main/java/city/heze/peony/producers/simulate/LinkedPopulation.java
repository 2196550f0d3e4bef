package city.heze.peony.producers.simulate;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.linkage.CertificationStatus;
import city.heze.peony.avro.linkage.ReviewFlagKind;
import city.heze.peony.identifiers.CivilDates;
import city.heze.peony.identifiers.CreditCodes;
import city.heze.peony.identifiers.ResidentIds;
import city.heze.peony.producers.CatalogTopic;
import city.heze.peony.producers.DepartmentPublisher;
import city.heze.peony.producers.PublisherSetupException;
import city.heze.peony.producers.simulate.PlantedCases.Decoy;
import city.heze.peony.schemas.CatalogKeys;
import city.heze.peony.schemas.CityZone;
import city.heze.peony.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * A linked population: {@code N} residents whose records appear in several departments' catalogs
 * (the same person receiving social assistance, owning a car, drawing a pension, settling a
 * medical claim), with a known number of each review flag and certification status planted, and
 * decoys beside them, so that at scale the linkage scenarios ({@code docs/linkage.md}) can be held
 * to find exactly the planted cases and no others.
 *
 * <p><b>Who is who.</b> Each person is drawn alone: a recipient of social assistance at {@code
 * recipientRate}, a pensioner at {@code pensionerRate} (independently, so the two overlap); each
 * recipient gets each flag kind at {@code flagRate} and two kinds at {@code multiFlagRate}; each
 * pensioner dies at {@code deceasedRate} (SUSPEND), shows no sign of life at {@code
 * noSignOfLifeRate} (NEEDS_VISIT) and is otherwise certified by a settlement inside the window.
 * Decoys ({@link Decoy}) are planted at {@code decoyRate} each. The expectations in {@link
 * PlantedCases} are then derived from the records actually made, by the scenarios' rules.
 *
 * <p><b>Nobody else's people.</b> Resident IDs carry sequence numbers 800-999, which random records
 * ({@link RecordGenerator}) never use, and are unique within the population; credit codes carry
 * organisation codes starting with {@code 9}, which random records never use; record keys are
 * {@code <resourceCode>-P...}, a form random keys never take. So random traffic beside a
 * population can neither add a fact to a planted person nor close a planted business.
 *
 * <p><b>Order.</b> Records are emitted a chunk of people at a time in a seeded shuffle across
 * catalogs (a recipient's vehicle often before the recipient), so the scenarios see late records;
 * the records of one key keep their order (a vehicle's re-registration comes after its
 * registration, an employment's end after its start). Memory: one chunk of records, the IDs in
 * use and the expectations.
 *
 * <p>Everything is drawn from the seed, and every date is at or before {@code start} (the check
 * instant: pension records' {@code updatedAt}), so the same seed and start give the same records.
 */
public final class LinkedPopulation {

    public static final String SOCIAL_ASSISTANCE = "mz.social-assistance";
    public static final String VEHICLE_REGISTRATION = "ga.vehicle-registration";
    public static final String BUSINESS_REGISTRATION = "scjg.business-registration";
    public static final String BUSINESS_DEREGISTRATION = "scjg.business-deregistration";
    public static final String EMPLOYMENT_REGISTRATION = "rs.employment-registration";
    public static final String PENSION_RECIPIENTS = "rs.pension-recipients";
    public static final String DEATH_REGISTRATION = "wj.death-registration";
    public static final String MEDICAL_SETTLEMENT = "yb.medical-settlement";

    /** The catalogs a population publishes to, in the order it reports them. */
    public static final List<String> CATALOG_IDS = List.of(
            SOCIAL_ASSISTANCE,
            VEHICLE_REGISTRATION,
            BUSINESS_REGISTRATION,
            BUSINESS_DEREGISTRATION,
            EMPLOYMENT_REGISTRATION,
            PENSION_RECIPIENTS,
            DEATH_REGISTRATION,
            MEDICAL_SETTLEMENT);

    /** The flag kinds the review raises, in its order (UNKNOWN is only Avro's default). */
    static final List<ReviewFlagKind> FLAG_KINDS = List.of(
            ReviewFlagKind.VEHICLE,
            ReviewFlagKind.BUSINESS,
            ReviewFlagKind.EMPLOYED,
            ReviewFlagKind.PENSION,
            ReviewFlagKind.DECEASED);

    /** People generated and shuffled together: the records one chunk holds in memory. */
    static final int CHUNK = 512;

    private static final long DAY = 86_400_000L;

    /** The largest monthly pension rs.pension-recipients accepts (its RANGE rule). */
    private static final long MAX_PENSION_FEN = 5_000_000;

    private final Properties clientProperties;
    private final Collection<CatalogEntry> givenCatalogs;
    private final int people;
    private final long seed;
    private final Instant start;
    private final double recipientRate;
    private final double pensionerRate;
    private final double flagRate;
    private final double multiFlagRate;
    private final double deceasedRate;
    private final double noSignOfLifeRate;
    private final double decoyRate;
    private final double bystanderFactRate;
    private final double bystanderDeathRate;
    private final int vehicleCount;
    private final long pensionFen;
    private final Period window;
    private final MeterRegistry meters;

    private LinkedPopulation(Builder b) {
        this.clientProperties = b.clientProperties;
        this.givenCatalogs = b.catalogs;
        this.people = b.people;
        this.seed = b.seed != null ? b.seed : new Random().nextLong();
        this.start = b.start != null
                ? b.start
                : b.seed != null ? CitySimulator.SEEDED_START : Instant.ofEpochMilli(System.currentTimeMillis());
        this.recipientRate = b.recipientRate;
        this.pensionerRate = b.pensionerRate;
        this.flagRate = b.flagRate;
        this.multiFlagRate = b.multiFlagRate;
        this.deceasedRate = b.deceasedRate;
        this.noSignOfLifeRate = b.noSignOfLifeRate;
        this.decoyRate = b.decoyRate;
        this.bystanderFactRate = b.bystanderFactRate;
        this.bystanderDeathRate = b.bystanderDeathRate;
        this.vehicleCount = b.vehicleCount;
        this.pensionFen = b.pensionFen;
        this.window = b.window;
        this.meters = b.meters != null ? b.meters : new SimpleMeterRegistry();
    }

    /**
     * Whether {@code residentId} is of the kind only a population gives (sequence 800-999), so that a
     * check can hold the scenarios' outputs for these IDs to the planted cases while random traffic,
     * whose own IDs may meet by chance, runs beside it.
     */
    public static boolean ownsResidentId(CharSequence residentId) {
        if (residentId == null || residentId.length() != ResidentIds.LENGTH) {
            return false;
        }
        int sequence = 0;
        for (int i = 14; i < 17; i++) {
            char c = residentId.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            sequence = sequence * 10 + (c - '0');
        }
        return sequence >= RecordGenerator.POPULATION_SEQUENCES;
    }

    public static Builder builder(Properties clientProperties) {
        return new Builder(clientProperties);
    }

    public long seed() {
        return seed;
    }

    /** The check instant: every pension record's {@code updatedAt}, and no record is dated later. */
    public Instant start() {
        return start;
    }

    public int people() {
        return people;
    }

    /**
     * Generates the population without publishing: every record goes to {@code sink} in publishing
     * order, built with the schema each catalog entry declares.
     *
     * @throws PublisherSetupException if one of {@link #CATALOG_IDS} is not among the catalogs
     * @throws IllegalArgumentException if a catalog's schema lacks a field the population sets
     */
    public PlantedCases generate(Consumer<GeneratedRecord> sink) {
        Map<String, CatalogEntry> catalogs = catalogs();
        Map<String, Schema> schemas = new HashMap<>();
        catalogs.forEach((id, c) -> schemas.put(id, new Schema.Parser().parse(c.getSchema$())));
        return new Generation(catalogs, schemas).run(sink);
    }

    /**
     * Publishes the population through one {@link DepartmentPublisher} per provider department,
     * waits until every record is acknowledged or failed, and returns what was planted.
     *
     * @throws PublisherSetupException if a catalog is missing or has no registered schema
     */
    public PlantedCases run() {
        Map<String, CatalogEntry> catalogs = catalogs();
        Map<String, DepartmentPublisher> publishers = new TreeMap<>();
        try {
            Map<String, List<CatalogEntry>> byDepartment = new TreeMap<>();
            for (CatalogEntry c : catalogs.values()) {
                byDepartment
                        .computeIfAbsent(c.getDepartment(), d -> new ArrayList<>())
                        .add(c);
            }
            for (var e : byDepartment.entrySet()) {
                publishers.put(
                        e.getKey(),
                        DepartmentPublisher.builder(clientProperties)
                                .catalogs(e.getValue())
                                .clientId("peony-population-" + e.getKey())
                                .meterRegistry(meters)
                                .build());
            }
            Map<String, Schema> schemas = new HashMap<>();
            Map<String, DepartmentPublisher> publisherOf = new HashMap<>();
            Map<String, Counter> sent = new HashMap<>();
            for (CatalogEntry c : catalogs.values()) {
                DepartmentPublisher publisher = publishers.get(c.getDepartment());
                schemas.put(c.getId(), publisher.schema(c.getId()));
                publisherOf.put(c.getId(), publisher);
                sent.put(
                        c.getId(),
                        Counter.builder("peony.simulator.records")
                                .description("Records the simulator published, valid or with a planted defect")
                                .tag("department", c.getDepartment())
                                .tag("catalog", c.getId())
                                .register(meters));
            }
            LongAdder failed = new LongAdder();
            PlantedCases cases = new Generation(catalogs, schemas).run(generated -> {
                publisherOf
                        .get(generated.catalogId())
                        .send(generated.catalogId(), generated.record())
                        .whenComplete((metadata, error) -> {
                            if (error != null) {
                                failed.increment();
                            }
                        });
                sent.get(generated.catalogId()).increment();
            });
            for (DepartmentPublisher p : publishers.values()) {
                p.flush();
            }
            return cases.withFailedSends(failed.sum());
        } finally {
            RuntimeException closing = null;
            for (DepartmentPublisher p : publishers.values()) {
                try {
                    p.close();
                } catch (RuntimeException e) {
                    closing = e;
                }
            }
            if (closing != null) {
                throw closing;
            }
        }
    }

    private Map<String, CatalogEntry> catalogs() {
        Collection<CatalogEntry> all = givenCatalogs != null
                ? givenCatalogs
                : new CatalogTopic(clientProperties).readAll().values();
        Map<String, CatalogEntry> chosen = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String id : CATALOG_IDS) {
            CatalogEntry found =
                    all.stream().filter(c -> c.getId().equals(id)).findFirst().orElse(null);
            if (found == null) {
                missing.add(id);
            } else {
                chosen.put(id, found);
            }
        }
        if (!missing.isEmpty()) {
            throw new PublisherSetupException("a linked population needs the catalogs " + missing + ", which are not"
                    + " on " + Topics.CATALOG.name() + "; register them first (peony catalog register ops/catalog)");
        }
        return chosen;
    }

    // ---------------------------------------------------------------- generation

    /** A resident of the population. */
    private record Resident(String id, String name, boolean male, long birthDay, String region) {}

    /** A record waiting in its chunk for its place in the shuffle. */
    private record Pending(double order, GeneratedRecord record) {}

    /** What one person's records say, by the scenarios' rules: the source of the expectations. */
    private static final class Facts {
        boolean recipient;
        int vehicles;
        boolean activeBusiness;
        boolean openEmployment;
        Long activePensionFen;
        Long deathDay;
        long latestSettlement = Long.MIN_VALUE;
    }

    /** One run of generation: the random stream, the generators and the tallies. */
    private final class Generation {
        private final Random random = new Random(seed);
        private final Map<String, Shape> shapes = new HashMap<>();
        private final long startMillis = start.toEpochMilli();
        private final long today = CivilDates.epochDayInCity(startMillis);
        private final long windowStart = LocalDate.ofEpochDay(today)
                .minus(window)
                .atStartOfDay(CityZone.ZONE)
                .toInstant()
                .toEpochMilli();
        private final long windowEnd = LocalDate.ofEpochDay(today + 1)
                        .atStartOfDay(CityZone.ZONE)
                        .toInstant()
                        .toEpochMilli()
                - 1;
        private final String keyMark = "-P" + String.format("%06x", (seed ^ (seed >>> 24)) & 0xFF_FFFFL) + "-";
        private final Set<String> residentIds = new HashSet<>();
        private final Map<String, Set<ReviewFlagKind>> flags = new HashMap<>();
        private final Map<String, CertificationStatus> statuses = new HashMap<>();
        private final Map<Decoy, Long> decoys = new EnumMap<>(Decoy.class);
        private final Map<String, Long> records = new LinkedHashMap<>();
        private final List<Pending> chunk = new ArrayList<>();
        private long recipients;
        private long organisations;

        Generation(Map<String, CatalogEntry> catalogs, Map<String, Schema> schemas) {
            for (String id : CATALOG_IDS) {
                CatalogEntry catalog = catalogs.get(id);
                shapes.put(id, new Shape(catalog, schemas.get(id)));
                records.put(id, 0L);
            }
        }

        PlantedCases run(Consumer<GeneratedRecord> sink) {
            for (int i = 0; i < people; i++) {
                person();
                if ((i + 1) % CHUNK == 0) {
                    drain(sink);
                }
            }
            drain(sink);
            return new PlantedCases(
                    seed, start, LocalDate.ofEpochDay(today), people, recipients, flags, statuses, decoys, records, 0);
        }

        private void drain(Consumer<GeneratedRecord> sink) {
            chunk.sort((a, b) -> Double.compare(a.order(), b.order())); // stable: equal orders keep theirs
            for (Pending p : chunk) {
                sink.accept(p.record());
            }
            chunk.clear();
        }

        private void person() {
            boolean recipient = random.nextDouble() < recipientRate;
            Set<ReviewFlagKind> planned = EnumSet.noneOf(ReviewFlagKind.class);
            if (recipient) {
                for (ReviewFlagKind kind : FLAG_KINDS) {
                    if (random.nextDouble() < flagRate) {
                        planned.add(kind);
                    }
                }
                if (random.nextDouble() < multiFlagRate) {
                    int first = random.nextInt(FLAG_KINDS.size());
                    int second = (first + 1 + random.nextInt(FLAG_KINDS.size() - 1)) % FLAG_KINDS.size();
                    planned.add(FLAG_KINDS.get(first));
                    planned.add(FLAG_KINDS.get(second));
                }
            }
            boolean pensioner = planned.contains(ReviewFlagKind.PENSION) || random.nextDouble() < pensionerRate;
            Resident r = pensioner ? resident(60, recipient ? 85 : 95) : resident(18, 85);
            Facts f = new Facts();

            if (recipient) {
                f.recipient = true;
                recipients++;
                socialAssistance(r);
            }
            if (planned.contains(ReviewFlagKind.VEHICLE)) {
                for (int i = 0; i < vehicleCount; i++) {
                    vehicle(r, null, f);
                }
            }
            if (planned.contains(ReviewFlagKind.BUSINESS)) {
                business(r, "ACTIVE", false, f);
            }
            if (planned.contains(ReviewFlagKind.EMPLOYED)) {
                employment(r, false, false, f);
            }
            if (planned.contains(ReviewFlagKind.DECEASED)) {
                death(r, f);
            }
            if (pensioner) {
                long fen;
                if (planned.contains(ReviewFlagKind.PENSION)) {
                    fen = pensionFen + (long) (random.nextDouble() * Math.max(pensionFen, 100_000) * 2);
                    fen = Math.max(1, Math.min(fen, MAX_PENSION_FEN)); // the catalog's RANGE
                } else if (recipient && pensionFen > 1) {
                    // A recipient's pension is a small one: the decoy a threshold must tell apart.
                    fen = Math.max(1, pensionFen / 5)
                            + (long) (random.nextDouble() * (pensionFen - Math.max(1, pensionFen / 5)));
                    fen = Math.min(fen, pensionFen - 1);
                    count(Decoy.PENSION_BELOW_THRESHOLD);
                } else {
                    fen = 120_000 + random.nextInt(480_000);
                }
                pension(r, fen, f);
                double u = random.nextDouble();
                if (f.deathDay == null && u < deceasedRate) {
                    death(r, f);
                } else if (f.deathDay == null && u < deceasedRate + noSignOfLifeRate) {
                    if (random.nextBoolean()) {
                        settlement(r, windowStart - 3_600_000L - (long) (random.nextDouble() * 30 * DAY), f);
                        count(Decoy.SETTLEMENT_OUTSIDE_WINDOW);
                    }
                } else if (f.deathDay == null) {
                    int n = 1 + random.nextInt(3);
                    for (int i = 0; i < n; i++) {
                        long from = windowStart + DAY;
                        settlement(r, from + (long) (random.nextDouble() * Math.max(0, startMillis - from)), f);
                    }
                }
            }
            if (recipient) {
                recipientDecoys(r, f);
            } else if (random.nextDouble() < bystanderFactRate) {
                switch (random.nextInt(3)) {
                    case 0 -> vehicle(r, null, f);
                    case 1 -> business(r, "ACTIVE", false, f);
                    default -> employment(r, false, false, f);
                }
                count(Decoy.FACT_OF_NON_RECIPIENT);
            }
            if (!recipient && !pensioner) {
                if (ageOn(r, today) >= 60 && random.nextDouble() < decoyRate) {
                    stoppedPension(r, f);
                }
                if (f.deathDay == null && random.nextDouble() < bystanderDeathRate) {
                    death(r, f);
                    count(Decoy.DEATH_OF_NON_BENEFICIARY);
                }
            }
            expect(r, f);
        }

        private void recipientDecoys(Resident r, Facts f) {
            if (random.nextDouble() < decoyRate) {
                int kind = random.nextInt(3);
                business(r, kind == 0 ? "ACTIVE" : kind == 1 ? "CANCELLED" : "REVOKED", kind == 0, f);
                count(Decoy.BUSINESS_DEREGISTERED);
            }
            if (random.nextDouble() < decoyRate) {
                employment(r, true, random.nextBoolean(), f);
                count(Decoy.EMPLOYMENT_ENDED);
            }
            if (random.nextDouble() < decoyRate) {
                vehicle(r, resident(18, 85), f);
                count(Decoy.VEHICLE_RESOLD);
            }
            if (vehicleCount > 1 && random.nextDouble() < decoyRate && f.vehicles == 0) {
                for (int i = 0; i < vehicleCount - 1; i++) {
                    vehicle(r, null, f);
                }
                count(Decoy.VEHICLES_BELOW_THRESHOLD);
            }
        }

        /** The expectations, from the facts alone, by the rules of docs/linkage.md. */
        private void expect(Resident r, Facts f) {
            if (f.recipient) {
                Set<ReviewFlagKind> kinds = EnumSet.noneOf(ReviewFlagKind.class);
                if (f.vehicles >= vehicleCount) {
                    kinds.add(ReviewFlagKind.VEHICLE);
                }
                if (f.activeBusiness) {
                    kinds.add(ReviewFlagKind.BUSINESS);
                }
                if (f.openEmployment) {
                    kinds.add(ReviewFlagKind.EMPLOYED);
                }
                if (f.activePensionFen != null && f.activePensionFen >= pensionFen) {
                    kinds.add(ReviewFlagKind.PENSION);
                }
                if (f.deathDay != null) {
                    kinds.add(ReviewFlagKind.DECEASED);
                }
                if (!kinds.isEmpty()) {
                    flags.put(r.id(), kinds);
                }
            }
            if (f.activePensionFen != null) {
                CertificationStatus status;
                if (f.deathDay != null) {
                    status = CertificationStatus.SUSPEND;
                } else if (f.latestSettlement >= windowStart && f.latestSettlement <= windowEnd) {
                    status = CertificationStatus.CERTIFIED;
                } else {
                    status = CertificationStatus.NEEDS_VISIT;
                }
                statuses.put(r.id(), status);
            }
        }

        // ------------------------------------------------------------ people

        /** A new resident aged {@code minAge} to {@code maxAge} on the check date, with an ID nobody else has. */
        private Resident resident(int minAge, int maxAge) {
            boolean male = random.nextBoolean();
            for (int attempt = 0; ; attempt++) {
                long ageDays = (long) ((minAge + random.nextDouble() * (maxAge - minAge)) * 365.25);
                long birthDay = today - ageDays;
                LocalDate birth = LocalDate.ofEpochDay(birthDay);
                String idRegion = RecordGenerator.idRegion(random, birth.getYear());
                int sequence = RecordGenerator.POPULATION_SEQUENCES
                        + random.nextInt((1000 - RecordGenerator.POPULATION_SEQUENCES) / 2) * 2
                        + (male ? 1 : 0);
                String id = ResidentIds.generate(idRegion, birth, sequence);
                if (residentIds.add(id)) {
                    String region = CityVocabulary.pick(random, RecordGenerator.CURRENT_COUNTIES)
                            .code();
                    return new Resident(id, CityVocabulary.personName(random, male), male, birthDay, region);
                }
                if (attempt > 10_000) {
                    throw new IllegalStateException("no free resident ID left for a population of " + people);
                }
            }
        }

        private static int ageOn(Resident r, long day) {
            return LocalDate.ofEpochDay(r.birthDay())
                    .until(LocalDate.ofEpochDay(day))
                    .getYears();
        }

        // ------------------------------------------------------------ records

        private void socialAssistance(Resident r) {
            Shape s = shapes.get(SOCIAL_ASSISTANCE);
            GenericData.Record rec = s.base(random, pastMillis(365));
            s.person(rec, r, "residentId", "name");
            s.setInstant(rec, "updatedAt", pastMillis(30));
            emit(s, rec, random.nextDouble());
        }

        /** A vehicle of {@code owner}; with a {@code buyer}, re-registered to the buyer later under the same key. */
        private void vehicle(Resident owner, Resident buyer, Facts f) {
            Shape s = shapes.get(VEHICLE_REGISTRATION);
            long first = pastMillis(720);
            GenericData.Record rec = s.base(random, first);
            s.set(rec, "ownerResidentId", owner.id());
            s.set(rec, "ownerName", owner.name());
            s.setInstant(rec, "updatedAt", first);
            if (buyer == null) {
                f.vehicles++;
                emit(s, rec, random.nextDouble());
                return;
            }
            GenericData.Record resold = new GenericData.Record(rec, true);
            s.set(resold, "ownerResidentId", buyer.id());
            s.set(resold, "ownerName", buyer.name());
            s.setInstant(resold, "updatedAt", first + (long) (random.nextDouble() * (startMillis - first)));
            emitInOrder(s, rec, resold);
        }

        /**
         * A business {@code owner} represents, registered with {@code status}; {@code deregistered}
         * adds a deregistration of its credit code.
         */
        private void business(Resident owner, String status, boolean deregistered, Facts f) {
            Shape s = shapes.get(BUSINESS_REGISTRATION);
            GenericData.Record rec = s.base(random, pastMillis(720));
            String organisation = RecordGenerator.POPULATION_ORGANISATION_MARK + String.format("%07d", organisations++);
            String creditCode = CreditCodes.generate('9', '1', owner.region(), organisation);
            s.set(rec, "creditCode", creditCode);
            s.set(rec, "legalRepresentativeId", owner.id());
            s.set(rec, "legalRepresentative", owner.name());
            s.setEnum(rec, "status", status);
            emit(s, rec, random.nextDouble());
            if (deregistered) {
                Shape d = shapes.get(BUSINESS_DEREGISTRATION);
                GenericData.Record dereg = d.base(random, pastMillis(365));
                d.set(dereg, "creditCode", creditCode);
                d.set(dereg, "entityName", rec.get("entityName"));
                // Either order: the review must clear the flag when the deregistration arrives late.
                emit(d, dereg, random.nextDouble());
            }
            if (status.equals("ACTIVE") && !deregistered) {
                f.activeBusiness = true;
            }
        }

        /**
         * An employment of {@code worker}: open, or {@code ended}; an ended one is
         * first published open and then closed under the same key when {@code publishedOpenFirst}.
         */
        private void employment(Resident worker, boolean ended, boolean publishedOpenFirst, Facts f) {
            Shape s = shapes.get(EMPLOYMENT_REGISTRATION);
            GenericData.Record rec = s.base(random, pastMillis(30));
            s.person(rec, worker, "residentId", "name");
            long startDay = today - 30 - random.nextInt(3_000);
            startDay = Math.max(startDay, LocalDate.of(1990, 1, 1).toEpochDay());
            startDay = Math.max(startDay, worker.birthDay() + 18 * 366);
            startDay = Math.min(startDay, today - 2);
            s.setDay(rec, "startDate", startDay);
            s.set(rec, "endDate", null);
            if (!ended) {
                f.openEmployment = true;
                emit(s, rec, random.nextDouble());
                return;
            }
            GenericData.Record closed = new GenericData.Record(rec, true);
            s.setDay(closed, "endDate", startDay + 1 + random.nextInt((int) (today - startDay)));
            if (publishedOpenFirst) {
                emitInOrder(s, rec, closed);
            } else {
                emit(s, closed, random.nextDouble());
            }
        }

        private void pension(Resident r, long fen, Facts f) {
            Shape s = shapes.get(PENSION_RECIPIENTS);
            GenericData.Record rec = pensionRecord(s, r, fen);
            s.setEnum(rec, "status", "ACTIVE");
            s.setInstant(rec, "updatedAt", startMillis);
            f.activePensionFen = fen;
            emit(s, rec, random.nextDouble());
        }

        /** A pension published ACTIVE, then stopped under the same key: not a pensioner any more. */
        private void stoppedPension(Resident r, Facts f) {
            Shape s = shapes.get(PENSION_RECIPIENTS);
            long fen = Math.min(MAX_PENSION_FEN, Math.max(pensionFen, 1) + random.nextInt(200_000));
            GenericData.Record active = pensionRecord(s, r, fen);
            s.setEnum(active, "status", "ACTIVE");
            s.setInstant(active, "updatedAt", startMillis - (1 + random.nextInt(300)) * DAY);
            GenericData.Record stopped = new GenericData.Record(active, true);
            s.setEnum(stopped, "status", random.nextBoolean() ? "SUSPENDED" : "TERMINATED");
            s.setInstant(stopped, "updatedAt", startMillis);
            f.activePensionFen = null;
            emitInOrder(s, active, stopped);
            count(Decoy.PENSION_STOPPED);
        }

        private GenericData.Record pensionRecord(Shape s, Resident r, long fen) {
            GenericData.Record rec = s.base(random, startMillis);
            s.person(rec, r, "residentId", "name");
            s.set(rec, "monthlyPensionFen", fen);
            long sixty = LocalDate.ofEpochDay(r.birthDay()).plusYears(60).toEpochDay();
            long startDay = Math.max(sixty, LocalDate.of(1980, 1, 1).toEpochDay());
            s.setDay(rec, "startDate", Math.min(startDay, today));
            return rec;
        }

        private void death(Resident r, Facts f) {
            Shape s = shapes.get(DEATH_REGISTRATION);
            GenericData.Record rec = s.base(random, pastMillis(30));
            s.person(rec, r, "residentId", "name");
            long day = today - 1 - random.nextInt(720);
            day = Math.max(
                    day, Math.max(r.birthDay() + 1, LocalDate.of(1990, 1, 1).toEpochDay()));
            day = Math.min(day, today);
            s.setDay(rec, "deathDate", day);
            long registered = LocalDate.ofEpochDay(day)
                            .atStartOfDay(CityZone.ZONE)
                            .toInstant()
                            .toEpochMilli()
                    + (long) (random.nextDouble() * 10 * DAY);
            s.setInstant(rec, "registeredAt", Math.min(registered, startMillis));
            f.deathDay = day;
            emit(s, rec, random.nextDouble());
        }

        private void settlement(Resident r, long settledAt, Facts f) {
            Shape s = shapes.get(MEDICAL_SETTLEMENT);
            GenericData.Record rec = s.base(random, settledAt);
            s.person(rec, r, "residentId", "name");
            s.setInstant(rec, "settledAt", settledAt);
            f.latestSettlement = Math.max(f.latestSettlement, settledAt);
            emit(s, rec, random.nextDouble());
        }

        /** A moment in the {@code days} before the check instant. */
        private long pastMillis(int days) {
            return startMillis - (long) (random.nextDouble() * days * DAY);
        }

        private void emit(Shape s, GenericData.Record rec, double order) {
            s.key(rec);
            chunk.add(new Pending(order, new GeneratedRecord(s.catalogId, rec, null, null)));
            records.merge(s.catalogId, 1L, Long::sum);
        }

        /** Two records of one key, the second published after the first wherever the shuffle puts them. */
        private void emitInOrder(Shape s, GenericData.Record first, GenericData.Record second) {
            double a = random.nextDouble();
            double b = random.nextDouble();
            s.key(first);
            s.setKey(second, s.keyOf(first));
            chunk.add(new Pending(Math.min(a, b), new GeneratedRecord(s.catalogId, first, null, null)));
            chunk.add(new Pending(Math.max(a, b), new GeneratedRecord(s.catalogId, second, null, null)));
            records.merge(s.catalogId, 2L, Long::sum);
        }

        private void count(Decoy decoy) {
            decoys.merge(decoy, 1L, Long::sum);
        }

        /** A catalog's generator and the positions of the fields a population sets. */
        private final class Shape {
            final String catalogId;
            final Schema schema;
            final RecordGenerator generator;
            final String keyPrefix;
            final int keyPosition;
            long keys;

            Shape(CatalogEntry catalog, Schema schema) {
                this.catalogId = catalog.getId();
                this.schema = schema;
                this.generator = RecordGenerator.forCatalog(catalog, schema);
                this.keyPrefix = catalog.getResourceCode() + keyMark;
                Schema.Field key = schema.getField(CatalogKeys.keyField(catalog));
                if (key == null || RecordGenerator.valueSchema(key.schema()).getType() != Schema.Type.STRING) {
                    throw new IllegalArgumentException("catalog '" + catalogId + "': a linked population needs a"
                            + " string key field, not " + (key == null ? "none" : key.schema()));
                }
                this.keyPosition = key.pos();
            }

            GenericData.Record base(Random random, long nowMillis) {
                return (GenericData.Record) generator.nextRecord(random, nowMillis);
            }

            void key(GenericData.Record rec) {
                rec.put(keyPosition, keyPrefix + String.format("%09d", keys++));
            }

            Object keyOf(GenericData.Record rec) {
                return rec.get(keyPosition);
            }

            void setKey(GenericData.Record rec, Object key) {
                rec.put(keyPosition, key);
            }

            /** The person's own fields: ID, name, sex, birth date and residence where the schema has them. */
            void person(GenericData.Record rec, Resident r, String idField, String nameField) {
                set(rec, idField, r.id());
                set(rec, nameField, r.name());
                if (schema.getField("sex") != null) {
                    Schema type =
                            RecordGenerator.valueSchema(schema.getField("sex").schema());
                    rec.put(
                            "sex",
                            type.getType() == Schema.Type.ENUM
                                    ? new GenericData.EnumSymbol(type, r.male() ? "MALE" : "FEMALE")
                                    : r.male() ? "男" : "女");
                }
                if (schema.getField("birthDate") != null) {
                    setDay(rec, "birthDate", r.birthDay());
                }
                if (schema.getField("regionCode") != null) {
                    set(rec, "regionCode", r.region());
                }
            }

            void set(GenericData.Record rec, String name, Object value) {
                rec.put(field(name).pos(), value);
            }

            void setEnum(GenericData.Record rec, String name, String symbol) {
                Schema type = RecordGenerator.valueSchema(field(name).schema());
                rec.put(name, type.getType() == Schema.Type.ENUM ? new GenericData.EnumSymbol(type, symbol) : symbol);
            }

            void setDay(GenericData.Record rec, String name, long epochDay) {
                rec.put(name, shape(name).encode(epochDay, 0));
            }

            void setInstant(GenericData.Record rec, String name, long millis) {
                if (schema.getField(name) != null) { // a change time some schemas do not keep
                    rec.put(name, shape(name).encodeInstant(millis));
                }
            }

            private RecordGenerator.DateShape shape(String name) {
                RecordGenerator.DateShape shape = RecordGenerator.DateShape.of(
                        RecordGenerator.valueSchema(field(name).schema()));
                if (shape == null) {
                    throw new IllegalArgumentException(
                            "catalog '" + catalogId + "': field '" + name + "' is not a date or timestamp");
                }
                return shape;
            }

            private Schema.Field field(String name) {
                Schema.Field f = schema.getField(name);
                if (f == null) {
                    throw new IllegalArgumentException("catalog '" + catalogId + "': a linked population sets field '"
                            + name + "', which its schema lacks");
                }
                return f;
            }
        }
    }

    // ---------------------------------------------------------------- builder

    /** Builds a {@link LinkedPopulation}; every setting has a default except the client properties. */
    public static final class Builder {
        private final Properties clientProperties;
        private Collection<CatalogEntry> catalogs;
        private int people = 10_000;
        private Long seed;
        private Instant start;
        private double recipientRate = 0.20;
        private double pensionerRate = 0.30;
        private double flagRate = 0.01;
        private double multiFlagRate = 0.002;
        private double deceasedRate = 0.01;
        private double noSignOfLifeRate = 0.05;
        private double decoyRate = 0.02;
        private double bystanderFactRate = 0.05;
        private double bystanderDeathRate = 0.005;
        private int vehicleCount = 1;
        private long pensionFen = 100_000;
        private Period window = Period.ofMonths(12);
        private MeterRegistry meters;

        private Builder(Properties clientProperties) {
            this.clientProperties = clientProperties;
        }

        /** The catalogs to publish to (at least {@link #CATALOG_IDS}); by default those on {@code peony.catalog}. */
        public Builder catalogs(Collection<CatalogEntry> catalogs) {
            this.catalogs = List.copyOf(catalogs);
            return this;
        }

        /** How many people; default 10,000. */
        public Builder people(int people) {
            require(people >= 1 && people <= 2_000_000, "people", people, "between 1 and 2000000");
            this.people = people;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The check instant: pension records' updatedAt; nothing is dated later. */
        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        /** The share of people receiving social assistance; default 0.2. */
        public Builder recipientRate(double rate) {
            this.recipientRate = fraction("recipient-rate", rate);
            return this;
        }

        /** The share of people drawing a pension (independent of assistance); default 0.3. */
        public Builder pensionerRate(double rate) {
            this.pensionerRate = fraction("pensioner-rate", rate);
            return this;
        }

        /** The share of recipients planted with each flag kind; default 0.01. */
        public Builder flagRate(double rate) {
            this.flagRate = fraction("flag-rate", rate);
            return this;
        }

        /** The share of recipients planted with two flag kinds; default 0.002. */
        public Builder multiFlagRate(double rate) {
            this.multiFlagRate = fraction("multi-flag-rate", rate);
            return this;
        }

        /** The share of pensioners with a death registration (SUSPEND); default 0.01. */
        public Builder deceasedRate(double rate) {
            this.deceasedRate = fraction("deceased-rate", rate);
            return this;
        }

        /** The share of pensioners without a sign of life in the window (NEEDS_VISIT); default 0.05. */
        public Builder noSignOfLifeRate(double rate) {
            this.noSignOfLifeRate = fraction("no-sign-of-life-rate", rate);
            return this;
        }

        /** The rate of each decoy among the people it fits; default 0.02. */
        public Builder decoyRate(double rate) {
            this.decoyRate = fraction("decoy-rate", rate);
            return this;
        }

        /** The share of non-recipients with a vehicle, business or job; default 0.05. */
        public Builder bystanderFactRate(double rate) {
            this.bystanderFactRate = fraction("bystander-fact-rate", rate);
            return this;
        }

        /** The share of people neither recipient nor pensioner with a death registration; default 0.005. */
        public Builder bystanderDeathRate(double rate) {
            this.bystanderDeathRate = fraction("bystander-death-rate", rate);
            return this;
        }

        /** The review's vehicle threshold, as the scenario is configured; default 1. */
        public Builder vehicleCount(int count) {
            require(count >= 1 && count <= 20, "vehicle-count", count, "between 1 and 20");
            this.vehicleCount = count;
            return this;
        }

        /** The review's pension threshold in fen, as the scenario is configured; default 100000. */
        public Builder pensionFen(long fen) {
            require(fen >= 0 && fen <= 5_000_000, "pension-fen", fen, "between 0 and 5000000");
            this.pensionFen = fen;
            return this;
        }

        /** The certification's sign-of-life window, as the scenario is configured; default P12M. */
        public Builder signOfLifeWindow(Period window) {
            require(!window.isNegative() && !window.isZero(), "sign-of-life-window", window, "a positive period");
            this.window = window;
            return this;
        }

        public Builder meterRegistry(MeterRegistry meters) {
            this.meters = meters;
            return this;
        }

        /** @throws IllegalArgumentException if a pensioner could be both deceased and without sign of life */
        public LinkedPopulation build() {
            require(
                    deceasedRate + noSignOfLifeRate <= 1.0 + 1e-9,
                    "deceased-rate + no-sign-of-life-rate",
                    deceasedRate + noSignOfLifeRate,
                    "at most 1");
            return new LinkedPopulation(this);
        }

        private static double fraction(String name, double value) {
            require(value >= 0 && value <= 1, name, value, "between 0 and 1");
            return value;
        }

        private static void require(boolean ok, String name, Object value, String expected) {
            if (!ok) {
                throw new IllegalArgumentException(name + " " + value + ": expected " + expected);
            }
        }
    }
}
