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
import static city.heze.peony.streams.linkage.PensionFixtures.settlementAt;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.dept.PensionRecipient;
import city.heze.peony.avro.dept.PensionStatus;
import city.heze.peony.avro.linkage.CertificationRun;
import city.heze.peony.avro.linkage.CertificationStatus;
import city.heze.peony.avro.linkage.LinkageEvidence;
import city.heze.peony.avro.linkage.PensionCertification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pension certification end to end on the test driver: each status with its evidence, the
 * window's edges, the check date, late records, pensions that stop, the monthly runs, change-only
 * output, bad input and the meters.
 */
class PensionCertificationTopologyTest {
    /** 10:00 in Heze on 2026-04-01. */
    static final Instant WALL = Instant.parse("2026-04-01T02:00:00Z");

    static final LocalDate CHECK = LocalDate.of(2026, 3, 10);
    static final String R1 = resident(1);
    static final String R2 = resident(2);
    static final String R3 = resident(3);
    static final String R4 = resident(4);
    static final String R5 = resident(5);
    static final String R6 = resident(6);
    static final String R7 = resident(7);

    @TempDir
    Path stateDir;

    private PensionDriver driver;

    private PensionDriver start(LinkageSettings settings) {
        driver = new PensionDriver(stateDir, WALL, settings);
        return driver;
    }

    private PensionDriver checkedOn(LocalDate date) {
        return start(LinkageSettings.defaults().withCheckDate(date));
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private static List<CertificationStatus> statuses(List<TestRecord<String, PensionCertification>> records) {
        return records.stream()
                .map(r -> r.value() == null ? null : r.value().getStatus())
                .toList();
    }

    @Test
    void certifiedCarriesTheLatestSettlementAtOrBeforeTheCheckDate() {
        PensionDriver d = checkedOn(CHECK);
        PensionRecipient p = active("P1", R1, MUDAN, "2026-03-01T09:00");
        d.pension(p);
        d.settlement(settlement("S2", R1, "2026-02-01T10:00"));
        d.settlement(settlement("S1", R1, "2025-09-01T10:00")); // earlier, arriving later
        d.settlement(settlement("S3", R1, "2026-03-11T08:00")); // after the check date

        assertThat(statuses(d.drainCertifications()))
                .as("needs a visit until S2 arrives; S1 and S3 change nothing")
                .containsExactly(CertificationStatus.NEEDS_VISIT, CertificationStatus.CERTIFIED);
        PensionCertification c = d.certificationTable().get(R1);
        assertThat(c.getResidentId()).isEqualTo(R1);
        assertThat(c.getName()).isEqualTo("老P1");
        assertThat(c.getRegionCode()).isEqualTo(MUDAN + "001001");
        assertThat(c.getDistrict()).isEqualTo(MUDAN);
        assertThat(c.getCheckDate()).isEqualTo(CHECK);
        assertThat(c.getStatus()).isEqualTo(CertificationStatus.CERTIFIED);
        assertThat(c.getLastSignOfLife()).isEqualTo(at("2026-02-01T10:00"));
        assertThat(c.getDeathDate()).isNull();
        assertThat(c.getMonthsPaidAfterDeath()).isNull();

        LinkageEvidence pension = c.getPension();
        assertThat(pension.getCatalogId()).isEqualTo(PENSIONS);
        assertThat(pension.getRecordKey()).isEqualTo("P1");
        assertThat(pension.getTopic()).isEqualTo("shared.rs.pension-recipients");
        assertThat(pension.getPartition()).isZero();
        assertThat(pension.getOffset()).isZero();
        assertThat(pension.getRecordTime()).isEqualTo(at("2026-03-01T09:00"));
        assertThat(pension.getFields())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("status", "ACTIVE", "regionCode", MUDAN + "001001", "updatedAt", "2026-03-01T09:00"));

        assertThat(c.getEvidence()).hasSize(1);
        LinkageEvidence sign = c.getEvidence().get(0);
        assertThat(sign.getCatalogId()).isEqualTo(SETTLEMENTS);
        assertThat(sign.getRecordKey()).isEqualTo("S2");
        assertThat(sign.getTopic()).isEqualTo("shared.yb.medical-settlement");
        assertThat(sign.getOffset())
                .as("S2 was the first settlement on the topic")
                .isZero();
        assertThat(sign.getFields())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("settledAt", "2026-02-01T10:00", "institutionCreditCode", "12371700MB1234567X"));
    }

    @Test
    void suspendCarriesTheDeathAndTheWholeMonthsPaidAfterIt() {
        PensionDriver d = checkedOn(CHECK);
        for (String r : List.of(R1, R2, R3, R4)) {
            d.pension(active("P" + r, r, MUDAN, "2026-03-01T09:00"));
        }
        d.settlement(settlement("S1", R1, "2026-03-01T10:00")); // a sign of life does not outweigh a death
        d.death(death("D1", R1, "2025-11-20"));
        d.death(death("D2", R2, "2025-03-10")); // exactly 12 months before the check date
        d.death(death("D3", R3, "2026-03-10")); // on the check date
        d.death(death("D4", R4, "2026-03-20")); // after it: suspend, nothing paid after

        Map<String, PensionCertification> table = d.certificationTable();
        PensionCertification c = table.get(R1);
        assertThat(c.getStatus()).isEqualTo(CertificationStatus.SUSPEND);
        assertThat(c.getDeathDate()).isEqualTo(LocalDate.of(2025, 11, 20));
        assertThat(c.getMonthsPaidAfterDeath())
                .as("Dec, Jan, Feb: 03-10 is before 03-20")
                .isEqualTo(3);
        assertThat(c.getLastSignOfLife()).isNull();
        assertThat(c.getEvidence()).hasSize(1);
        LinkageEvidence death = c.getEvidence().get(0);
        assertThat(death.getCatalogId()).isEqualTo(DEATHS);
        assertThat(death.getRecordKey()).isEqualTo("D1");
        assertThat(death.getTopic()).isEqualTo("shared.wj.death-registration");
        assertThat(death.getOffset()).isZero();
        assertThat(death.getRecordTime()).isEqualTo(at("2025-11-22T10:00"));
        assertThat(death.getFields())
                .containsExactlyInAnyOrderEntriesOf(Map.of("deathDate", "2025-11-20", "certificateNo", "CERT-D1"));

        assertThat(table.get(R2).getMonthsPaidAfterDeath()).isEqualTo(12);
        assertThat(table.get(R3).getMonthsPaidAfterDeath()).isZero();
        assertThat(table.get(R4).getStatus()).isEqualTo(CertificationStatus.SUSPEND);
        assertThat(table.get(R4).getMonthsPaidAfterDeath()).isZero();
    }

    @Test
    void needsVisitWithoutASignOfLifeHasNoEvidence() {
        PensionDriver d = checkedOn(CHECK);
        d.pension(active("P1", R1, CAOXIAN, "2026-03-01T09:00"));

        PensionCertification c = d.certificationTable().get(R1);
        assertThat(c.getStatus()).isEqualTo(CertificationStatus.NEEDS_VISIT);
        assertThat(c.getDistrict()).isEqualTo(CAOXIAN);
        assertThat(c.getEvidence()).isEmpty();
        assertThat(c.getLastSignOfLife()).isNull();
        assertThat(c.getDeathDate()).isNull();
        assertThat(c.getMonthsPaidAfterDeath()).isNull();
        assertThat(c.getPension().getRecordKey()).isEqualTo("P1");
    }

    @Test
    void theWindowRunsFromTheCheckDateMinusTwelveMonthsToTheEndOfTheCheckDate() {
        PensionDriver d = checkedOn(CHECK);
        for (String r : List.of(R1, R2, R3, R4, R5)) {
            d.pension(active("P" + r, r, MUDAN, "2026-03-01T09:00"));
        }
        d.settlement(settlement("S1", R1, "2025-03-10T00:00")); // the first instant of the window
        d.settlement(settlementAt("S2", R2, at("2025-03-10T00:00").minusMillis(1))); // the last instant before it
        d.settlement(settlement("S5", R5, "2025-03-09T12:00")); // one day earlier
        d.settlement(
                settlementAt("S3", R3, at("2026-03-11T00:00").minusMillis(1))); // the last instant of the check date
        d.settlement(settlement("S4", R4, "2026-03-11T00:00")); // the day after

        Map<String, PensionCertification> table = d.certificationTable();
        assertThat(table.get(R1).getStatus()).isEqualTo(CertificationStatus.CERTIFIED);
        assertThat(table.get(R1).getLastSignOfLife()).isEqualTo(at("2025-03-10T00:00"));
        assertThat(table.get(R2).getStatus()).isEqualTo(CertificationStatus.NEEDS_VISIT);
        assertThat(table.get(R5).getStatus()).isEqualTo(CertificationStatus.NEEDS_VISIT);
        assertThat(table.get(R3).getStatus()).isEqualTo(CertificationStatus.CERTIFIED);
        assertThat(table.get(R4).getStatus())
                .as("a settlement after the check date does not certify")
                .isEqualTo(CertificationStatus.NEEDS_VISIT);
    }

    @Test
    void withoutAConfiguredCheckDateEachPensionIsCheckedOnItsUpdatedAtDateInHeze() {
        PensionDriver d = start(LinkageSettings.defaults());
        // 01:00 in Heze on April 1st is still March 31st in UTC: the check date is Heze's.
        d.pension(active("P1", R1, MUDAN, "2026-04-01T01:00"));
        d.pension(active("P2", R2, MUDAN, "2026-04-01T01:00"));
        d.settlement(settlement("S1", R1, "2025-04-01T00:00"));
        d.settlement(settlement("S2", R2, "2025-03-31T23:00"));

        Map<String, PensionCertification> table = d.certificationTable();
        assertThat(table.get(R1).getCheckDate()).isEqualTo(LocalDate.of(2026, 4, 1));
        assertThat(table.get(R1).getStatus()).isEqualTo(CertificationStatus.CERTIFIED);
        assertThat(table.get(R2).getStatus()).isEqualTo(CertificationStatus.NEEDS_VISIT);
        assertThat(d.runTable()).containsOnlyKeys("2026-04|" + MUDAN);

        // The pension record changes again on 2026-06-15: a new check date, outside S1's window.
        d.pension(active("P1", R1, MUDAN, "2026-06-15T09:00"));
        PensionCertification moved = d.certificationTable().get(R1);
        assertThat(moved.getCheckDate()).isEqualTo(LocalDate.of(2026, 6, 15));
        assertThat(moved.getStatus()).isEqualTo(CertificationStatus.NEEDS_VISIT);
        Map<String, CertificationRun> runs = d.runTable();
        assertThat(runs.get("2026-04|" + MUDAN).getNeedsVisit()).isEqualTo(1);
        assertThat(runs.get("2026-04|" + MUDAN).getPensioners()).isEqualTo(1);
        assertThat(runs.get("2026-06|" + MUDAN).getNeedsVisit()).isEqualTo(1);
    }

    @Test
    void aConfiguredCheckDateOverridesTheUpdatedAtDate() {
        PensionDriver d = checkedOn(CHECK);
        d.pension(active("P1", R1, MUDAN, "2026-04-01T01:00"));
        d.pension(active("P2", R2, MUDAN, "2026-04-01T01:00"));
        d.settlement(settlement("S1", R1, "2025-04-01T00:00"));
        d.settlement(settlement("S2", R2, "2025-03-31T23:00"));

        Map<String, PensionCertification> table = d.certificationTable();
        assertThat(table.get(R1).getCheckDate()).isEqualTo(CHECK);
        assertThat(table.get(R1).getStatus()).isEqualTo(CertificationStatus.CERTIFIED);
        assertThat(table.get(R2).getCheckDate()).isEqualTo(CHECK);
        assertThat(table.get(R2).getStatus())
                .as("2025-03-31 is inside the window of 2026-03-10")
                .isEqualTo(CertificationStatus.CERTIFIED);
        assertThat(d.runTable()).containsOnlyKeys("2026-03|" + MUDAN);
    }

    @Test
    void aLateDeathTurnsACertifiedPensionerIntoSuspend() {
        PensionDriver d = checkedOn(CHECK);
        d.pension(active("P1", R1, MUDAN, "2026-03-01T09:00"));
        d.settlement(settlement("S1", R1, "2026-02-01T10:00"));
        assertThat(d.certificationTable().get(R1).getStatus()).isEqualTo(CertificationStatus.CERTIFIED);
        CertificationRun before = d.runTable().get("2026-03|" + MUDAN);
        assertThat(before.getCertified()).isEqualTo(1);

        d.death(death("D1", R1, "2026-01-05"));
        PensionCertification c = d.certificationTable().get(R1);
        assertThat(c.getStatus()).isEqualTo(CertificationStatus.SUSPEND);
        assertThat(c.getMonthsPaidAfterDeath()).isEqualTo(2);
        assertThat(c.getLastSignOfLife()).isNull();
        assertThat(c.getEvidence()).extracting(LinkageEvidence::getRecordKey).containsExactly("D1");
        CertificationRun after = d.runTable().get("2026-03|" + MUDAN);
        assertThat(after.getCertified()).isZero();
        assertThat(after.getSuspend()).isEqualTo(1);
        assertThat(after.getPensioners()).isEqualTo(1);
        assertThat(after.getUpdatedAt())
                .as("the death registration's timestamp")
                .isEqualTo(at("2026-01-07T10:00"));
        assertThat(d.statusGauge("suspend")).isEqualTo(1);
        assertThat(d.statusGauge("certified")).isZero();
    }

    @Test
    void aLateSettlementInsideTheWindowCertifiesAPensionerWhoNeededAVisit() {
        PensionDriver d = checkedOn(CHECK);
        d.pension(active("P1", R1, MUDAN, "2026-03-01T09:00"));
        d.settlement(settlement("S1", R1, "2024-12-01T10:00")); // too old
        assertThat(statuses(d.drainCertifications())).containsExactly(CertificationStatus.NEEDS_VISIT);

        d.settlement(settlement("S2", R1, "2024-11-01T10:00")); // older still
        d.settlement(settlement("S3", R1, "2026-03-12T10:00")); // after the check date
        assertThat(d.drainCertifications())
                .as("nothing that certifies: nothing written")
                .isEmpty();

        d.settlement(settlement("S4", R1, "2025-08-01T10:00"), at("2026-03-30T10:00"));
        List<TestRecord<String, PensionCertification>> written = d.drainCertifications();
        assertThat(statuses(written)).containsExactly(CertificationStatus.CERTIFIED);
        assertThat(written.get(0).value().getLastSignOfLife()).isEqualTo(at("2025-08-01T10:00"));
        assertThat(written.get(0).timestamp()).isEqualTo(at("2026-03-30T10:00").toEpochMilli());
        CertificationRun run = d.runTable().get("2026-03|" + MUDAN);
        assertThat(run.getNeedsVisit()).isZero();
        assertThat(run.getCertified()).isEqualTo(1);
    }

    @Test
    void aPensionerWhosePensionStopsGetsATombstoneAndLeavesTheRun() {
        PensionDriver d = checkedOn(CHECK);
        d.pension(active("P1", R1, MUDAN, "2026-03-01T09:00"));
        d.pension(active("P2", R2, MUDAN, "2026-03-01T09:00"));
        assertThat(d.runTable().get("2026-03|" + MUDAN).getNeedsVisit()).isEqualTo(2);
        assertThat(d.statusGauge("needs_visit")).isEqualTo(2);
        d.drainCertifications();

        d.pension(pension("P1", R1, MUDAN, PensionStatus.SUSPENDED, "2026-03-05T09:00"));
        List<TestRecord<String, PensionCertification>> written = d.drainCertifications();
        assertThat(written).hasSize(1);
        assertThat(written.get(0).key()).isEqualTo(R1);
        assertThat(written.get(0).value()).isNull();
        CertificationRun run = d.runTable().get("2026-03|" + MUDAN);
        assertThat(run.getNeedsVisit()).isEqualTo(1);
        assertThat(run.getPensioners()).isEqualTo(1);

        d.pension(pension("P2", R2, MUDAN, PensionStatus.TERMINATED, "2026-03-05T09:00"));
        assertThat(statuses(d.drainCertifications())).containsExactly((CertificationStatus) null);
        List<TestRecord<String, CertificationRun>> runs = d.drainRuns();
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).value())
                .as("the run's last pensioner left: a tombstone")
                .isNull();
        assertThat(d.runTable()).isEmpty();

        d.death(death("D1", R1, "2026-03-01")); // about someone who is no pensioner now
        d.settlement(settlement("S2", R2, "2026-03-01T10:00"));
        assertThat(d.drainCertifications()).isEmpty();
        assertThat(d.drainRuns()).isEmpty();
        assertThat(d.statusGauge("needs_visit")).isZero();
        assertThat(d.statusGauge("suspend")).isZero();
    }

    @Test
    void runsCountPensionersPerMonthOfTheCheckDateAndDistrict() {
        PensionDriver d = start(LinkageSettings.defaults());
        d.pension(active("P1", R1, MUDAN, "2026-03-02T09:00"));
        d.settlement(settlement("S1", R1, "2026-01-01T10:00")); // certified
        d.pension(active("P2", R2, MUDAN, "2026-03-03T09:00")); // needs a visit
        d.pension(active("P3", R3, MUDAN, "2026-03-04T09:00"));
        d.death(death("D3", R3, "2026-01-01")); // suspend
        d.pension(active("P4", R4, MUDAN, "2026-04-02T09:00")); // April, needs a visit
        d.pension(active("P5", R5, CAOXIAN, "2026-03-02T09:00"));
        d.settlement(settlement("S5", R5, "2025-12-01T10:00")); // certified
        d.pension(active("P6", R6, CAOXIAN, "2026-03-31T23:30"));
        d.settlement(settlement("S6", R6, "2026-03-31T23:00")); // certified
        d.pension(active("P7", R7, CAOXIAN, "2026-04-20T09:00"));
        d.death(death("D7", R7, "2026-04-01")); // April, suspend

        Map<String, CertificationRun> runs = d.runTable();
        assertThat(runs)
                .containsOnlyKeys("2026-03|" + MUDAN, "2026-04|" + MUDAN, "2026-03|" + CAOXIAN, "2026-04|" + CAOXIAN);
        assertRun(runs.get("2026-03|" + MUDAN), "2026-03", MUDAN, 1, 1, 1);
        assertRun(runs.get("2026-04|" + MUDAN), "2026-04", MUDAN, 0, 0, 1);
        assertRun(runs.get("2026-03|" + CAOXIAN), "2026-03", CAOXIAN, 2, 0, 0);
        assertRun(runs.get("2026-04|" + CAOXIAN), "2026-04", CAOXIAN, 0, 1, 0);
        assertThat(d.statusGauge("certified")).isEqualTo(3);
        assertThat(d.statusGauge("suspend")).isEqualTo(2);
        assertThat(d.statusGauge("needs_visit")).isEqualTo(2);

        // R4's record is corrected back into March: April's Mudan run empties, March's grows.
        d.pension(PensionRecipient.newBuilder(active("P4", R4, MUDAN, "2026-04-02T09:00"))
                .setUpdatedAt(at("2026-03-28T09:00"))
                .build());
        runs = d.runTable();
        assertThat(runs).doesNotContainKey("2026-04|" + MUDAN);
        assertRun(runs.get("2026-03|" + MUDAN), "2026-03", MUDAN, 1, 1, 2);
        assertThat(d.statusGauge("needs_visit")).isEqualTo(2);
    }

    private static void assertRun(
            CertificationRun run, String month, String district, long certified, long suspend, long needsVisit) {
        assertThat(run.getMonth()).isEqualTo(month);
        assertThat(run.getDistrict()).isEqualTo(district);
        assertThat(run.getCertified()).as("certified").isEqualTo(certified);
        assertThat(run.getSuspend()).as("suspend").isEqualTo(suspend);
        assertThat(run.getNeedsVisit()).as("needs visit").isEqualTo(needsVisit);
        assertThat(run.getPensioners()).as("pensioners").isEqualTo(certified + suspend + needsVisit);
    }

    @Test
    void anIdenticalRecordChangesNothing() {
        PensionDriver d = checkedOn(CHECK);
        PensionRecipient p = active("P1", R1, MUDAN, "2026-03-01T09:00");
        d.pension(p);
        d.settlement(settlement("S1", R1, "2026-02-01T10:00"));
        d.death(death("D2", R2, "2026-01-01")); // not a pensioner
        assertThat(d.drainCertifications()).hasSize(2);
        assertThat(d.drainRuns())
                .as("needs visit +1; then needs visit -1, certified +1")
                .hasSize(3);

        d.pension(p); // the same record again, at a new offset
        d.pension(p, at("2026-03-20T09:00")); // and with another timestamp
        d.settlement(settlement("S1", R1, "2026-02-01T10:00"));
        d.settlement(settlement("S0", R1, "2025-12-01T10:00")); // an older sign of life
        d.death(death("D2", R2, "2026-01-01"));
        assertThat(d.drainCertifications()).isEmpty();
        assertThat(d.drainRuns()).isEmpty();
        assertThat(d.certificationTable().get(R1).getPension().getOffset())
                .as("the table still shows the first record")
                .isZero();
    }

    @Test
    void aDeathRegistrationCorrectedToAnotherResidentMovesTheSuspension() {
        PensionDriver d = checkedOn(CHECK);
        d.pension(active("P1", R1, MUDAN, "2026-03-01T09:00"));
        d.pension(active("P2", R2, MUDAN, "2026-03-01T09:00"));
        d.settlement(settlement("S1", R1, "2026-02-01T10:00"));
        d.death(death("D1", R1, "2026-01-01"));
        assertThat(d.certificationTable().get(R1).getStatus()).isEqualTo(CertificationStatus.SUSPEND);

        d.death(death("D1", R2, "2026-01-01")); // the same registration, corrected to R2
        Map<String, PensionCertification> table = d.certificationTable();
        assertThat(table.get(R1).getStatus()).isEqualTo(CertificationStatus.CERTIFIED);
        assertThat(table.get(R2).getStatus()).isEqualTo(CertificationStatus.SUSPEND);

        d.pipe(DEATHS, "D1", null, at("2026-03-02T09:00")); // withdrawn altogether
        assertThat(d.certificationTable().get(R2).getStatus()).isEqualTo(CertificationStatus.NEEDS_VISIT);
        assertRun(d.runTable().get("2026-03|" + MUDAN), "2026-03", MUDAN, 1, 0, 1);
    }

    @Test
    void aWithdrawnSettlementLeavesTheOneBeforeItAsTheSignOfLife() {
        PensionDriver d = checkedOn(CHECK);
        d.pension(active("P1", R1, MUDAN, "2026-03-01T09:00"));
        d.settlement(settlement("S1", R1, "2025-06-01T10:00"));
        d.settlement(settlement("S2", R1, "2026-01-01T10:00"));
        assertThat(d.certificationTable().get(R1).getLastSignOfLife()).isEqualTo(at("2026-01-01T10:00"));

        d.pipe(SETTLEMENTS, "S2", null, at("2026-03-02T09:00"));
        PensionCertification c = d.certificationTable().get(R1);
        assertThat(c.getStatus()).isEqualTo(CertificationStatus.CERTIFIED);
        assertThat(c.getLastSignOfLife()).isEqualTo(at("2025-06-01T10:00"));

        // S1 corrected to a date outside the window: nothing certifies any more.
        d.settlement(settlement("S1", R1, "2024-06-01T10:00"));
        assertThat(d.certificationTable().get(R1).getStatus()).isEqualTo(CertificationStatus.NEEDS_VISIT);

        // Two settlements at the same instant: the lesser record key is the evidence, in any order.
        d.settlement(settlement("S9", R1, "2026-02-01T10:00"));
        d.settlement(settlement("S8", R1, "2026-02-01T10:00"));
        assertThat(d.certificationTable().get(R1).getEvidence())
                .extracting(LinkageEvidence::getRecordKey)
                .containsExactly("S8");
        d.pipe(SETTLEMENTS, "S8", null, at("2026-03-03T09:00"));
        assertThat(d.certificationTable().get(R1).getEvidence())
                .extracting(LinkageEvidence::getRecordKey)
                .containsExactly("S9");
    }

    @Test
    void badRecordsAreSkippedAndCountedAndTheRestIsCertified() {
        PensionDriver d = checkedOn(CHECK);
        d.pipe(PENSIONS, "P9", "not avro".getBytes(StandardCharsets.UTF_8), at("2026-03-01T09:00"));
        d.pipe(PENSIONS, "P8", new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 4}, at("2026-03-01T09:00")); // unknown schema
        d.pipe(PENSIONS, null, d.wire(PENSIONS, active("P7", R1, MUDAN, "2026-03-01T09:00")), at("2026-03-01T09:00"));
        d.pension(active("P6", "", MUDAN, "2026-03-01T09:00"));
        d.pension(PensionRecipient.newBuilder(active("P5", R1, MUDAN, "2026-03-01T09:00"))
                .setRegionCode("3717")
                .build());
        d.settlement(settlement("S1", " ", "2026-03-01T09:00"));
        d.pension(active("P1", R1, MUDAN, "2026-03-01T09:00"));

        assertThat(d.skipped(PENSIONS, PensionCertificationDecoder.UNDECODABLE)).isEqualTo(2);
        assertThat(d.skipped(PENSIONS, PensionCertificationDecoder.NO_KEY)).isEqualTo(1);
        assertThat(d.skipped(PENSIONS, PensionCertificationDecoder.NO_RESIDENT_ID))
                .isEqualTo(1);
        assertThat(d.skipped(PENSIONS, PensionCertificationDecoder.BAD_REGION_CODE))
                .isEqualTo(1);
        assertThat(d.skipped(SETTLEMENTS, PensionCertificationDecoder.NO_RESIDENT_ID))
                .isEqualTo(1);
        assertThat(d.inputs(PENSIONS)).isEqualTo(6);
        assertThat(d.inputs(SETTLEMENTS)).isEqualTo(1);
        assertThat(d.certificationTable()).containsOnlyKeys(R1);
        assertThat(d.certificationTable().get(R1).getPension().getRecordKey()).isEqualTo("P1");
    }

    @Test
    void outputsAreCountedAndTheirLagIsTheWallClockMinusTheInputTimestamp() {
        PensionDriver d = checkedOn(CHECK);
        d.pension(active("P1", R1, MUDAN, "2026-03-01T09:00"), WALL.minus(Duration.ofHours(3)));

        assertThat(d.counter(CertificationMeters.OUTPUTS, "scenario", PensionCertificationTopology.NAME))
                .as("one certification, one run")
                .isEqualTo(2);
        assertThat(d.meters.lagMax()).isEqualTo(Duration.ofHours(3));
        assertThat(d.meterRegistry
                        .find(CertificationMeters.LAG)
                        .tag("scenario", "pension-certification")
                        .timer()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void closedMetersLeaveTheRegistry() {
        PensionDriver d = checkedOn(CHECK);
        d.pension(active("P1", R1, MUDAN, "2026-03-01T09:00"));
        assertThat(d.statusGauge("needs_visit")).isEqualTo(1);
        assertThat(d.meterRegistry.find(CertificationMeters.CERTIFICATION).gauges())
                .hasSize(3);

        d.meters.close();
        assertThat(d.meterRegistry.find(CertificationMeters.CERTIFICATION).gauges())
                .isEmpty();
        assertThat(d.meterRegistry.find(CertificationMeters.INPUTS).counters()).isEmpty();
    }
}
