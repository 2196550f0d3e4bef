package city.heze.peony.streams.linkage;

import static city.heze.peony.streams.linkage.PensionDriver.DEATHS;
import static city.heze.peony.streams.linkage.PensionDriver.PENSIONS;
import static city.heze.peony.streams.linkage.PensionDriver.SETTLEMENTS;
import static city.heze.peony.streams.linkage.PensionFixtures.CAOXIAN;
import static city.heze.peony.streams.linkage.PensionFixtures.MUDAN;
import static city.heze.peony.streams.linkage.PensionFixtures.active;
import static city.heze.peony.streams.linkage.PensionFixtures.at;
import static city.heze.peony.streams.linkage.PensionFixtures.death;
import static city.heze.peony.streams.linkage.PensionFixtures.pension;
import static city.heze.peony.streams.linkage.PensionFixtures.resident;
import static city.heze.peony.streams.linkage.PensionFixtures.settlement;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.dept.DeathRegistration;
import city.heze.peony.avro.dept.MedicalSettlement;
import city.heze.peony.avro.dept.PensionRecipient;
import city.heze.peony.avro.dept.PensionStatus;
import city.heze.peony.avro.linkage.CertificationRun;
import city.heze.peony.avro.linkage.CertificationStatus;
import city.heze.peony.avro.linkage.LinkageEvidence;
import city.heze.peony.avro.linkage.PensionCertification;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One fixed set of records (52 residents in 13 situations, every status, late records, corrections
 * and withdrawals) fed in the order written and in five seeded shuffles that keep the relative order
 * of the records of one key in one catalog (as a partition does) but mix everything else: the final
 * tables of both outputs, latest per key with offsets and run timestamps normalised (they record
 * where and when, not what), are the same in every order and equal to the expectations worked out by
 * hand below.
 */
class PensionOrderIndependenceTest {
    private static final long[] SEEDS = {1L, 7L, 42L, 2026L, 13_13_13L};
    private static final int PER_SITUATION = 4;

    @TempDir
    Path stateDir;

    /** One input record: catalog, key, value (null for a tombstone), timestamp. */
    private record Input(String catalog, String key, Object value, Instant timestamp) {}

    /** What a resident's certification must say; a null status means no certification at all. */
    private record Expected(
            CertificationStatus status,
            LocalDate checkDate,
            String district,
            String pensionKey,
            List<String> evidenceKeys,
            Instant lastSignOfLife,
            LocalDate deathDate,
            Integer monthsPaidAfterDeath) {}

    private final List<Input> inputs = new ArrayList<>();
    private final Map<String, Expected> expected = new TreeMap<>();

    private void pensionRecord(PensionRecipient p) {
        inputs.add(new Input(PENSIONS, p.getRecordId(), p, p.getUpdatedAt()));
    }

    private void deathRecord(DeathRegistration d) {
        inputs.add(new Input(DEATHS, d.getRecordId(), d, d.getRegisteredAt()));
    }

    private void settlementRecord(MedicalSettlement s) {
        inputs.add(new Input(SETTLEMENTS, s.getRecordId(), s, s.getSettledAt()));
    }

    private void tombstone(String catalog, String key, String when) {
        inputs.add(new Input(catalog, key, null, at(when)));
    }

    private static final LocalDate MAR_5 = LocalDate.of(2026, 3, 5);

    /** The records, and by hand what each resident's certification must be. */
    private void situations() {
        int n = 0;
        for (int i = 0; i < PER_SITUATION; i++) {
            String district = i % 2 == 0 ? MUDAN : CAOXIAN;

            // A: certified by the latest settlement in the window; an older one and one after the
            // check date do not matter.
            String a = resident(++n);
            pensionRecord(active("PA" + i, a, district, "2026-03-05T09:00"));
            settlementRecord(settlement("SA" + i + "old", a, "2025-05-01T10:00"));
            settlementRecord(settlement("SA" + i + "in", a, "2026-01-10T10:00"));
            settlementRecord(settlement("SA" + i + "after", a, "2026-03-20T10:00"));
            expected.put(a, certified(MAR_5, district, "PA" + i, "SA" + i + "in", "2026-01-10T10:00"));

            // B: the only settlement is before the window (2025-03-05).
            String b = resident(++n);
            pensionRecord(active("PB" + i, b, district, "2026-03-05T09:00"));
            settlementRecord(settlement("SB" + i, b, "2025-02-01T10:00"));
            expected.put(b, needsVisit(MAR_5, district, "PB" + i));

            // C: no settlement at all, checked in April.
            String c = resident(++n);
            pensionRecord(active("PC" + i, c, district, "2026-04-03T09:00"));
            expected.put(c, needsVisit(LocalDate.of(2026, 4, 3), district, "PC" + i));

            // D: dead on 2025-12-15, a settlement notwithstanding: Dec 15 to Mar 5 is 2 whole months.
            String d = resident(++n);
            pensionRecord(active("PD" + i, d, district, "2026-03-05T09:00"));
            settlementRecord(settlement("SD" + i, d, "2026-02-01T10:00"));
            deathRecord(death("DD" + i, d, "2025-12-15"));
            expected.put(d, suspend(MAR_5, district, "PD" + i, "DD" + i, "2025-12-15", 2));

            // E: the pension record is updated in April; the settlement of 2025-04-20 is inside the
            // window of 2026-04-10 (from 2025-04-10).
            String e = resident(++n);
            pensionRecord(active("PE" + i, e, district, "2026-03-05T09:00"));
            pensionRecord(active("PE" + i, e, district, "2026-04-10T09:00"));
            settlementRecord(settlement("SE" + i, e, "2025-04-20T10:00"));
            expected.put(e, certified(LocalDate.of(2026, 4, 10), district, "PE" + i, "SE" + i, "2025-04-20T10:00"));

            // F: the pension is suspended later: no certification.
            String f = resident(++n);
            pensionRecord(active("PF" + i, f, district, "2026-03-05T09:00"));
            pensionRecord(pension("PF" + i, f, district, PensionStatus.SUSPENDED, "2026-03-20T09:00"));
            settlementRecord(settlement("SF" + i, f, "2026-02-01T10:00"));
            expected.put(f, none());

            // G: two pension records, the later (by updatedAt) TERMINATED: no certification.
            String g = resident(++n);
            pensionRecord(active("PG" + i + "a", g, district, "2026-03-01T09:00"));
            pensionRecord(pension("PG" + i + "b", g, district, PensionStatus.TERMINATED, "2026-03-15T09:00"));
            deathRecord(death("DG" + i, g, "2026-02-01"));
            expected.put(g, none());

            // H: two pension records, the later ACTIVE: checked on its date, 2026-03-15.
            String h = resident(++n);
            pensionRecord(pension("PH" + i + "a", h, district, PensionStatus.TERMINATED, "2026-03-01T09:00"));
            pensionRecord(active("PH" + i + "b", h, district, "2026-03-15T09:00"));
            settlementRecord(settlement("SH" + i, h, "2025-06-01T10:00"));
            expected.put(
                    h, certified(LocalDate.of(2026, 3, 15), district, "PH" + i + "b", "SH" + i, "2025-06-01T10:00"));

            // I and J: a death registration first names J, then (the same record, corrected) I.
            String iResident = resident(++n);
            String j = resident(++n);
            pensionRecord(active("PI" + i, iResident, district, "2026-03-05T09:00"));
            pensionRecord(active("PJ" + i, j, district, "2026-03-05T09:00"));
            settlementRecord(settlement("SJ" + i, j, "2026-02-20T10:00"));
            deathRecord(death("DI" + i, j, "2026-01-01"));
            deathRecord(death("DI" + i, iResident, "2026-01-01"));
            expected.put(iResident, suspend(MAR_5, district, "PI" + i, "DI" + i, "2026-01-01", 2));
            expected.put(j, certified(MAR_5, district, "PJ" + i, "SJ" + i, "2026-02-20T10:00"));

            // K: the latest settlement is withdrawn (a tombstone); the one before still certifies.
            String k = resident(++n);
            pensionRecord(active("PK" + i, k, district, "2026-03-05T09:00"));
            settlementRecord(settlement("SK" + i + "a", k, "2026-02-01T10:00"));
            tombstone(SETTLEMENTS, "SK" + i + "a", "2026-03-06T09:00");
            settlementRecord(settlement("SK" + i + "b", k, "2025-05-01T10:00"));
            expected.put(k, certified(MAR_5, district, "PK" + i, "SK" + i + "b", "2025-05-01T10:00"));

            // L: two settlements at the same instant: the lesser record key is the evidence.
            String l = resident(++n);
            pensionRecord(active("PL" + i, l, district, "2026-03-05T09:00"));
            settlementRecord(settlement("SL" + i + "y", l, "2026-01-15T08:00"));
            settlementRecord(settlement("SL" + i + "x", l, "2026-01-15T08:00"));
            expected.put(l, certified(MAR_5, district, "PL" + i, "SL" + i + "x", "2026-01-15T08:00"));

            // M: a death and a settlement of someone who draws no pension.
            String m = resident(++n);
            deathRecord(death("DM" + i, m, "2026-02-01"));
            settlementRecord(settlement("SM" + i, m, "2026-02-01T10:00"));
            expected.put(m, none());
        }
    }

    private static Expected certified(
            LocalDate checkDate, String district, String pensionKey, String settlementKey, String settledAt) {
        return new Expected(
                CertificationStatus.CERTIFIED,
                checkDate,
                district,
                pensionKey,
                List.of(settlementKey),
                at(settledAt),
                null,
                null);
    }

    private static Expected needsVisit(LocalDate checkDate, String district, String pensionKey) {
        return new Expected(
                CertificationStatus.NEEDS_VISIT, checkDate, district, pensionKey, List.of(), null, null, null);
    }

    private static Expected suspend(
            LocalDate checkDate, String district, String pensionKey, String deathKey, String deathDate, int months) {
        return new Expected(
                CertificationStatus.SUSPEND,
                checkDate,
                district,
                pensionKey,
                List.of(deathKey),
                null,
                LocalDate.parse(deathDate),
                months);
    }

    private static Expected none() {
        return new Expected(null, null, null, null, null, null, null, null);
    }

    /**
     * The runs by hand: in March each district has two residents of each of A, H, J, K, L
     * (certified, 10), D and I (suspend, 4) and B (needs visit, 2); in April two of E (certified) and
     * two of C (needs visit).
     */
    private static final Map<String, long[]> EXPECTED_RUNS = Map.of(
            "2026-03|" + MUDAN, new long[] {10, 4, 2},
            "2026-03|" + CAOXIAN, new long[] {10, 4, 2},
            "2026-04|" + MUDAN, new long[] {2, 0, 2},
            "2026-04|" + CAOXIAN, new long[] {2, 0, 2});

    /** The records in an order that keeps each (catalog, key)'s records in their order. */
    private List<Input> shuffled(long seed) {
        Map<String, ArrayDeque<Input>> byKey = new LinkedHashMap<>();
        for (Input in : inputs) {
            byKey.computeIfAbsent(in.catalog() + '/' + in.key(), x -> new ArrayDeque<>())
                    .add(in);
        }
        List<ArrayDeque<Input>> queues = new ArrayList<>(byKey.values());
        Random random = new Random(seed);
        List<Input> order = new ArrayList<>(inputs.size());
        while (!queues.isEmpty()) {
            int pick = random.nextInt(queues.size());
            ArrayDeque<Input> q = queues.get(pick);
            order.add(q.poll());
            if (q.isEmpty()) {
                queues.remove(pick);
            }
        }
        return order;
    }

    private record Tables(Map<String, PensionCertification> certifications, Map<String, CertificationRun> runs) {}

    private Tables run(List<Input> order, String name) {
        try (PensionDriver d = new PensionDriver(
                stateDir.resolve(name), Instant.parse("2026-04-20T02:00:00Z"), LinkageSettings.defaults())) {
            for (Input in : order) {
                byte[] value = in.value() == null
                        ? null
                        : d.wire(in.catalog(), (org.apache.avro.specific.SpecificRecord) in.value());
                d.pipe(in.catalog(), in.key(), value, in.timestamp());
            }
            Map<String, PensionCertification> certifications = new TreeMap<>();
            d.certificationTable().forEach((k, v) -> certifications.put(k, normalised(v)));
            Map<String, CertificationRun> runs = new TreeMap<>();
            d.runTable()
                    .forEach((k, v) -> runs.put(
                            k,
                            CertificationRun.newBuilder(v)
                                    .setUpdatedAt(Instant.EPOCH)
                                    .build()));
            return new Tables(certifications, runs);
        }
    }

    /** Offsets say where a record was read, which depends on the order: set to 0. */
    private static PensionCertification normalised(PensionCertification c) {
        List<LinkageEvidence> evidence = new ArrayList<>();
        for (LinkageEvidence e : c.getEvidence()) {
            evidence.add(LinkageEvidence.newBuilder(e).setOffset(0).build());
        }
        return PensionCertification.newBuilder(c)
                .setPension(
                        LinkageEvidence.newBuilder(c.getPension()).setOffset(0).build())
                .setEvidence(evidence)
                .build();
    }

    @Test
    void theOutputsDependOnTheSetOfRecordsNotOnTheirOrder() {
        situations();
        assertThat(expected).hasSize(13 * PER_SITUATION);

        Tables written = run(inputs, "as-written");
        assertMatchesExpectations(written);
        Map<Long, Tables> byOrder = new HashMap<>();
        for (long seed : SEEDS) {
            List<Input> order = shuffled(seed);
            assertThat(order).as("a shuffle, not the order written").isNotEqualTo(inputs);
            Tables tables = run(order, "seed-" + seed);
            assertMatchesExpectations(tables);
            byOrder.put(seed, tables);
        }
        for (long seed : SEEDS) {
            assertThat(byOrder.get(seed).certifications())
                    .as("certifications, seed %d", seed)
                    .isEqualTo(written.certifications());
            assertThat(byOrder.get(seed).runs()).as("runs, seed %d", seed).isEqualTo(written.runs());
        }
    }

    private void assertMatchesExpectations(Tables tables) {
        Map<String, PensionCertification> certifications = tables.certifications();
        for (Map.Entry<String, Expected> e : expected.entrySet()) {
            String residentId = e.getKey();
            Expected x = e.getValue();
            PensionCertification c = certifications.get(residentId);
            if (x.status() == null) {
                assertThat(c).as("resident %s is no pensioner", residentId).isNull();
                continue;
            }
            assertThat(c).as("resident %s", residentId).isNotNull();
            assertThat(c.getStatus()).as("status of %s", residentId).isEqualTo(x.status());
            assertThat(c.getCheckDate()).as("check date of %s", residentId).isEqualTo(x.checkDate());
            assertThat(c.getDistrict()).as("district of %s", residentId).isEqualTo(x.district());
            assertThat(c.getPension().getRecordKey())
                    .as("pension of %s", residentId)
                    .isEqualTo(x.pensionKey());
            assertThat(c.getEvidence())
                    .extracting(LinkageEvidence::getRecordKey)
                    .as("evidence of %s", residentId)
                    .containsExactlyElementsOf(x.evidenceKeys());
            assertThat(c.getLastSignOfLife())
                    .as("sign of life of %s", residentId)
                    .isEqualTo(x.lastSignOfLife());
            assertThat(c.getDeathDate()).as("death date of %s", residentId).isEqualTo(x.deathDate());
            assertThat(c.getMonthsPaidAfterDeath())
                    .as("months paid after death of %s", residentId)
                    .isEqualTo(x.monthsPaidAfterDeath());
        }
        assertThat(certifications.keySet())
                .as("no certification for anyone unexpected")
                .allMatch(r -> expected.get(r) != null && expected.get(r).status() != null);

        Map<String, CertificationRun> runs = tables.runs();
        assertThat(runs).containsOnlyKeys(EXPECTED_RUNS.keySet());
        EXPECTED_RUNS.forEach((key, counts) -> {
            CertificationRun run = runs.get(key);
            assertThat(run.getCertified()).as("certified in %s", key).isEqualTo(counts[0]);
            assertThat(run.getSuspend()).as("suspend in %s", key).isEqualTo(counts[1]);
            assertThat(run.getNeedsVisit()).as("needs visit in %s", key).isEqualTo(counts[2]);
            assertThat(run.getPensioners()).as("pensioners in %s", key).isEqualTo(counts[0] + counts[1] + counts[2]);
            assertThat(run.getMonth() + "|" + run.getDistrict()).isEqualTo(key);
        });
    }
}
