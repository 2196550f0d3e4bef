package city.heze.peony.streams.linkage;

import static city.heze.peony.streams.linkage.ReviewRecords.BUSINESSES;
import static city.heze.peony.streams.linkage.ReviewRecords.DEATHS;
import static city.heze.peony.streams.linkage.ReviewRecords.DEREGISTRATIONS;
import static city.heze.peony.streams.linkage.ReviewRecords.EMPLOYMENT;
import static city.heze.peony.streams.linkage.ReviewRecords.PENSIONS;
import static city.heze.peony.streams.linkage.ReviewRecords.RECIPIENTS;
import static city.heze.peony.streams.linkage.ReviewRecords.VEHICLES;
import static city.heze.peony.streams.linkage.ReviewRecords.business;
import static city.heze.peony.streams.linkage.ReviewRecords.creditCode;
import static city.heze.peony.streams.linkage.ReviewRecords.death;
import static city.heze.peony.streams.linkage.ReviewRecords.deregistration;
import static city.heze.peony.streams.linkage.ReviewRecords.employment;
import static city.heze.peony.streams.linkage.ReviewRecords.pension;
import static city.heze.peony.streams.linkage.ReviewRecords.recipient;
import static city.heze.peony.streams.linkage.ReviewRecords.resident;
import static city.heze.peony.streams.linkage.ReviewRecords.vehicle;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.dept.EntityStatus;
import city.heze.peony.avro.dept.PensionStatus;
import city.heze.peony.avro.linkage.LinkageEvidence;
import city.heze.peony.avro.linkage.ReviewFlag;
import city.heze.peony.avro.linkage.ReviewFlagKind;
import city.heze.peony.avro.linkage.SocialAssistanceReview;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.PeonyStreamsConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocialAssistanceReviewTopologyTest {
    private static final String RECIPIENT = resident(1);
    private static final Instant T0 = Instant.parse("2025-06-10T01:00:00Z");

    @TempDir
    Path stateDir;

    private ReviewDriver driver;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private ReviewDriver open() {
        return open(LinkageSettings.defaults());
    }

    private ReviewDriver open(LinkageSettings settings) {
        driver = new ReviewDriver(stateDir.resolve("state"), settings);
        return driver;
    }

    private Instant at = T0;

    private void send(String catalogId, String key, GenericContainer value) {
        at = at.plusSeconds(60);
        driver.pipe(catalogId, key, value == null ? null : driver.bytes(catalogId, value), at);
    }

    private static ReviewFlag only(SocialAssistanceReview review) {
        assertThat(review.getFlags()).hasSize(1);
        return review.getFlags().get(0);
    }

    private static Map<String, String> fields(LinkageEvidence e) {
        return e.getFields();
    }

    @Test
    void aVehicleFlagsTheRecipientWithTheRecordThatShowsIt() {
        open();
        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        send(VEHICLES, "GA-1", vehicle("GA-1", RECIPIENT));

        List<TestRecord<String, SocialAssistanceReview>> out = driver.drain();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo(RECIPIENT);
        SocialAssistanceReview review = out.get(0).value();
        assertThat(review.getResidentId()).isEqualTo(RECIPIENT);
        assertThat(review.getName()).isEqualTo("张秀英");
        assertThat(review.getRegionCode()).isEqualTo("371702");
        assertThat(review.getRecipient().getRecordKey()).isEqualTo("MZ-1");
        assertThat(review.getRecipient().getTopic()).isEqualTo("shared.mz.social-assistance");
        assertThat(review.getChangedAt()).isEqualTo(at);
        ReviewFlag flag = only(review);
        assertThat(flag.getKind()).isEqualTo(ReviewFlagKind.VEHICLE);
        assertThat(flag.getRule()).contains(">= 1").contains(LinkageSettings.VEHICLE_COUNT_CONFIG);
        LinkageEvidence e = flag.getEvidence().get(0);
        assertThat(e.getCatalogId()).isEqualTo(VEHICLES);
        assertThat(e.getRecordKey()).isEqualTo("GA-1");
        assertThat(e.getTopic()).isEqualTo("shared.ga.vehicle-registration");
        assertThat(e.getPartition()).isZero();
        assertThat(e.getOffset()).isZero();
        assertThat(e.getRecordTime()).isEqualTo(at);
        assertThat(fields(e))
                .containsEntry("ownerResidentId", RECIPIENT)
                .containsEntry("registeredOn", "2023-08-09")
                .containsKey("plateNumber");
        assertThat(driver.flagged(ReviewFlagKind.VEHICLE)).isEqualTo(1);
        assertThat(driver.outputs()).isEqualTo(1);
        assertThat(driver.inputs(VEHICLES)).isEqualTo(1);
    }

    @Test
    void theLagIsTheWallClockMinusTheInputTimestamp() {
        open();
        driver.pipe(RECIPIENTS, "MZ-1", driver.bytes(RECIPIENTS, recipient("MZ-1", RECIPIENT)), T0);
        driver.pipe(VEHICLES, "GA-1", driver.bytes(VEHICLES, vehicle("GA-1", RECIPIENT)), T0);
        var timer = driver.meterRegistry
                .find("peony.linkage.lag")
                .tag("scenario", ReviewMeters.SCENARIO)
                .timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isEqualTo((double) Duration.between(T0, ReviewDriver.START).toMillis());
    }

    @Test
    void anActiveBusinessFlagsItsLegalRepresentativeAndItsDeregistrationClearsIt() {
        open();
        String code = creditCode(1);
        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        send(BUSINESSES, "REG-1", business("REG-1", code, RECIPIENT, EntityStatus.ACTIVE, ReviewRecords.UPDATED));

        ReviewFlag flag = only(driver.drainValues().get(0));
        assertThat(flag.getKind()).isEqualTo(ReviewFlagKind.BUSINESS);
        LinkageEvidence e = flag.getEvidence().get(0);
        assertThat(e.getCatalogId()).isEqualTo(BUSINESSES);
        assertThat(e.getRecordKey()).isEqualTo("REG-1");
        assertThat(e.getTopic()).isEqualTo("shared.scjg.business-registration");
        assertThat(e.getOffset()).isZero();
        assertThat(fields(e))
                .containsEntry("creditCode", code)
                .containsEntry("legalRepresentativeId", RECIPIENT)
                .containsEntry("status", "ACTIVE");

        send(DEREGISTRATIONS, "DEREG-1", deregistration("DEREG-1", code));
        List<SocialAssistanceReview> cleared = driver.drainValues();
        assertThat(cleared).hasSize(1);
        assertThat(cleared.get(0).getFlags()).isEmpty();
        assertThat(cleared.get(0).getChangedAt()).isEqualTo(at);
        assertThat(driver.flagged(ReviewFlagKind.BUSINESS)).isZero();
    }

    @Test
    void aReRegistrationNamingAnotherRepresentativeMovesTheFlag() {
        open();
        String other = resident(2);
        String code = creditCode(2);
        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        send(RECIPIENTS, "MZ-2", recipient("MZ-2", other));
        send(BUSINESSES, "REG-1", business("REG-1", code, RECIPIENT, EntityStatus.ACTIVE, ReviewRecords.UPDATED));
        assertThat(driver.drainValues()).hasSize(1);

        send(
                BUSINESSES,
                "REG-2",
                business("REG-2", code, other, EntityStatus.ACTIVE, ReviewRecords.UPDATED.plusSeconds(3600)));
        List<TestRecord<String, SocialAssistanceReview>> out = driver.drain();
        assertThat(out).extracting(TestRecord::key).containsExactlyInAnyOrder(RECIPIENT, other);
        for (TestRecord<String, SocialAssistanceReview> r : out) {
            if (r.key().equals(RECIPIENT)) {
                assertThat(r.value().getFlags()).isEmpty();
            } else {
                assertThat(only(r.value()).getEvidence().get(0).getRecordKey()).isEqualTo("REG-2");
            }
        }
    }

    @Test
    void aRevokedBusinessFlagsNobody() {
        open();
        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        send(
                BUSINESSES,
                "REG-1",
                business("REG-1", creditCode(3), RECIPIENT, EntityStatus.REVOKED, ReviewRecords.UPDATED));
        assertThat(driver.drainValues()).isEmpty();
    }

    @Test
    void currentEmploymentFlagsAndItsEndClears() {
        open();
        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        send(EMPLOYMENT, "EMP-1", employment("EMP-1", RECIPIENT, null));

        ReviewFlag flag = only(driver.drainValues().get(0));
        assertThat(flag.getKind()).isEqualTo(ReviewFlagKind.EMPLOYED);
        LinkageEvidence e = flag.getEvidence().get(0);
        assertThat(e.getTopic()).isEqualTo("shared.rs.employment-registration");
        assertThat(fields(e))
                .containsEntry("startDate", "2025-02-01")
                .containsEntry("employerCreditCode", creditCode(7))
                .doesNotContainKey("endDate");

        send(EMPLOYMENT, "EMP-1", employment("EMP-1", RECIPIENT, LocalDate.of(2025, 6, 1)));
        List<SocialAssistanceReview> cleared = driver.drainValues();
        assertThat(cleared).hasSize(1);
        assertThat(cleared.get(0).getFlags()).isEmpty();
        assertThat(driver.flagged(ReviewFlagKind.EMPLOYED)).isZero();
    }

    @Test
    void aPensionFlagsFromTheConfiguredAmount() {
        open(new LinkageSettings(1, 200_000, Period.ofMonths(12), null));
        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        send(PENSIONS, "PEN-1", pension("PEN-1", RECIPIENT, 150_000, PensionStatus.ACTIVE));
        assertThat(driver.drainValues()).as("below 200000 fen").isEmpty();

        send(PENSIONS, "PEN-1", pension("PEN-1", RECIPIENT, 200_000, PensionStatus.ACTIVE));
        ReviewFlag flag = only(driver.drainValues().get(0));
        assertThat(flag.getKind()).isEqualTo(ReviewFlagKind.PENSION);
        assertThat(flag.getRule()).contains(">= 200000").contains(LinkageSettings.PENSION_FEN_CONFIG);
        LinkageEvidence e = flag.getEvidence().get(0);
        assertThat(e.getOffset()).isEqualTo(1);
        assertThat(fields(e)).containsEntry("monthlyPensionFen", "200000").containsEntry("status", "ACTIVE");

        send(PENSIONS, "PEN-1", pension("PEN-1", RECIPIENT, 250_000, PensionStatus.SUSPENDED));
        assertThat(driver.drainValues().get(0).getFlags())
                .as("a suspended pension")
                .isEmpty();
    }

    @Test
    void vehiclesAreCountedAgainstTheConfiguredNumber() {
        open(new LinkageSettings(2, LinkageSettings.DEFAULT_PENSION_FEN, Period.ofMonths(12), null));
        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        send(VEHICLES, "GA-2", vehicle("GA-2", RECIPIENT));
        assertThat(driver.drainValues()).as("one vehicle, two needed").isEmpty();

        send(VEHICLES, "GA-1", vehicle("GA-1", RECIPIENT));
        ReviewFlag flag = only(driver.drainValues().get(0));
        assertThat(flag.getRule()).contains(">= 2");
        assertThat(flag.getEvidence()).extracting(LinkageEvidence::getRecordKey).containsExactly("GA-1", "GA-2");
        assertThat(flag.getEvidence()).extracting(LinkageEvidence::getOffset).containsExactly(1L, 0L);
    }

    @Test
    void aDeathRegistrationFlagsDeceased() {
        open();
        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        send(DEATHS, "WJ-1", death("WJ-1", RECIPIENT));
        ReviewFlag flag = only(driver.drainValues().get(0));
        assertThat(flag.getKind()).isEqualTo(ReviewFlagKind.DECEASED);
        assertThat(fields(flag.getEvidence().get(0)))
                .containsEntry("deathDate", "2025-05-30")
                .containsEntry("certificateNo", "D371702WJ-1");
    }

    @Test
    void flagsComeOrderedByKind() {
        open();
        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        send(DEATHS, "WJ-1", death("WJ-1", RECIPIENT));
        send(PENSIONS, "PEN-1", pension("PEN-1", RECIPIENT, 150_000, PensionStatus.ACTIVE));
        send(EMPLOYMENT, "EMP-1", employment("EMP-1", RECIPIENT, null));
        send(
                BUSINESSES,
                "REG-1",
                business("REG-1", creditCode(1), RECIPIENT, EntityStatus.ACTIVE, ReviewRecords.UPDATED));
        send(VEHICLES, "GA-1", vehicle("GA-1", RECIPIENT));
        List<SocialAssistanceReview> out = driver.drainValues();
        assertThat(out).hasSize(5);
        assertThat(out.get(4).getFlags())
                .extracting(ReviewFlag::getKind)
                .containsExactly(
                        ReviewFlagKind.VEHICLE,
                        ReviewFlagKind.BUSINESS,
                        ReviewFlagKind.EMPLOYED,
                        ReviewFlagKind.PENSION,
                        ReviewFlagKind.DECEASED);
    }

    @Test
    void theSameRecordAgainWritesNothing() {
        open();
        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        send(VEHICLES, "GA-1", vehicle("GA-1", RECIPIENT));
        assertThat(driver.drainValues()).hasSize(1);

        send(VEHICLES, "GA-1", vehicle("GA-1", RECIPIENT));
        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        assertThat(driver.drainValues()).isEmpty();
        assertThat(driver.outputs()).isEqualTo(1);
        assertThat(driver.inputs(VEHICLES)).isEqualTo(2);
    }

    @Test
    void aVehicleReRegisteredToSomeoneElseClearsTheFlag() {
        open();
        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        send(VEHICLES, "GA-1", vehicle("GA-1", RECIPIENT));
        assertThat(driver.drainValues()).hasSize(1);

        send(VEHICLES, "GA-1", vehicle("GA-1", resident(9)));
        List<TestRecord<String, SocialAssistanceReview>> out = driver.drain();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo(RECIPIENT);
        assertThat(out.get(0).value().getFlags()).isEmpty();
        assertThat(driver.flagged(ReviewFlagKind.VEHICLE)).isZero();
    }

    @Test
    void aTombstoneDeletesTheFact() {
        open();
        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        send(DEATHS, "WJ-1", death("WJ-1", RECIPIENT));
        assertThat(driver.drainValues()).hasSize(1);

        send(DEATHS, "WJ-1", null);
        assertThat(driver.drainValues().get(0).getFlags()).isEmpty();
    }

    @Test
    void aFlaggedRecipientWhoseRecordIsDeletedGetsATombstone() {
        open();
        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        send(DEATHS, "WJ-1", death("WJ-1", RECIPIENT));
        assertThat(driver.drainValues()).hasSize(1);

        send(RECIPIENTS, "MZ-1", null);
        List<TestRecord<String, SocialAssistanceReview>> out = driver.drain();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo(RECIPIENT);
        assertThat(out.get(0).value()).isNull();
        assertThat(driver.flagged(ReviewFlagKind.DECEASED)).isZero();
    }

    @Test
    void factsAboutANonRecipientWaitUntilThePersonBecomesOne() {
        open();
        send(VEHICLES, "GA-1", vehicle("GA-1", RECIPIENT));
        send(EMPLOYMENT, "EMP-1", employment("EMP-1", RECIPIENT, null));
        send(DEATHS, "WJ-1", death("WJ-1", resident(5)));
        assertThat(driver.drainValues()).isEmpty();
        assertThat(driver.flagged(ReviewFlagKind.VEHICLE)).isZero();

        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        List<SocialAssistanceReview> out = driver.drainValues();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getFlags())
                .extracting(ReviewFlag::getKind)
                .containsExactly(ReviewFlagKind.VEHICLE, ReviewFlagKind.EMPLOYED);
        assertThat(out.get(0).getChangedAt()).isEqualTo(at);
    }

    @Test
    void undecodableRecordsAndRecordsWithoutAResidentAreSkippedAndCounted() {
        open();
        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        driver.pipe(VEHICLES, "GA-1", "not avro".getBytes(StandardCharsets.UTF_8), T0);
        byte[] unknownSchema = driver.bytes(VEHICLES, vehicle("GA-2", RECIPIENT));
        unknownSchema[4] = 99; // a schema id the registry never gave
        driver.pipe(VEHICLES, "GA-2", unknownSchema, T0);
        send(VEHICLES, "GA-3", vehicle("GA-3", " "));
        driver.pipe(VEHICLES, null, driver.bytes(VEHICLES, vehicle("GA-4", RECIPIENT)), T0);
        assertThat(driver.drainValues()).isEmpty();
        assertThat(driver.skipped(VEHICLES, "undecodable")).isEqualTo(2);
        assertThat(driver.skipped(VEHICLES, "no-resident-id")).isEqualTo(1);
        assertThat(driver.skipped(VEHICLES, "no-key")).isEqualTo(1);
        assertThat(driver.inputs(VEHICLES)).isEqualTo(4);

        send(VEHICLES, "GA-5", vehicle("GA-5", RECIPIENT));
        assertThat(only(driver.drainValues().get(0)).getEvidence().get(0).getOffset())
                .as("the application carried on")
                .isEqualTo(4);
    }

    @Test
    void theGaugesAreRightAfterARestart() {
        open();
        String second = resident(2);
        send(RECIPIENTS, "MZ-1", recipient("MZ-1", RECIPIENT));
        send(RECIPIENTS, "MZ-2", recipient("MZ-2", second));
        send(VEHICLES, "GA-1", vehicle("GA-1", RECIPIENT));
        send(VEHICLES, "GA-2", vehicle("GA-2", second));
        send(DEATHS, "WJ-1", death("WJ-1", second));
        assertThat(driver.flagged(ReviewFlagKind.VEHICLE)).isEqualTo(2);
        assertThat(driver.flagged(ReviewFlagKind.DECEASED)).isEqualTo(1);
        driver.closeKeepingState();
        driver = null;

        open();
        assertThat(driver.flagged(ReviewFlagKind.VEHICLE)).isEqualTo(2);
        assertThat(driver.flagged(ReviewFlagKind.DECEASED)).isEqualTo(1);
        assertThat(driver.flagged(ReviewFlagKind.EMPLOYED)).isZero();

        // The state came back too: the same vehicle again changes nothing, a sale clears one flag.
        send(VEHICLES, "GA-1", vehicle("GA-1", RECIPIENT));
        assertThat(driver.drainValues()).isEmpty();
        send(VEHICLES, "GA-2", vehicle("GA-2", resident(9)));
        assertThat(driver.drainValues()).hasSize(1);
        assertThat(driver.flagged(ReviewFlagKind.VEHICLE)).isEqualTo(1);
        assertThat(driver.flagged(ReviewFlagKind.DECEASED)).isEqualTo(1);
    }

    @Test
    void itReadsTheSevenSharedTopicsThroughOneRepartitionTopicPerJoin() {
        open();
        Properties config = PeonyStreamsConfig.of(
                driver.clientProperties(null), "review-describe", StreamsConfig.AT_LEAST_ONCE, stateDir.resolve("d"));
        Topology topology = SocialAssistanceReviewTopology.build(
                driver.context, config, new ReviewMeters(new SimpleMeterRegistry()));
        Set<String> shared = new TreeSet<>();
        Set<String> internal = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source) {
                    for (String topic : source.topicSet()) {
                        (topic.startsWith(Topics.SHARED_PREFIX) ? shared : internal).add(topic);
                    }
                }
            }
        }
        assertThat(shared)
                .containsExactlyInAnyOrderElementsOf(SocialAssistanceReviewTopology.INPUT_CATALOGS.stream()
                        .map(Topics::shared)
                        .toList());
        assertThat(internal)
                .containsExactlyInAnyOrder(
                        SocialAssistanceReviewTopology.FACTS_BY_RESIDENT_TOPIC + "-repartition",
                        SocialAssistanceReviewTopology.BUSINESS_BY_CREDIT_CODE_TOPIC + "-repartition");
    }
}
