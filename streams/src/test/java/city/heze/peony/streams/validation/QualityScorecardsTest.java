package city.heze.peony.streams.validation;

import static city.heze.peony.streams.validation.ValidationFixtures.ASSISTANCE;
import static city.heze.peony.streams.validation.ValidationFixtures.BUSINESS;
import static city.heze.peony.streams.validation.ValidationFixtures.business;
import static city.heze.peony.streams.validation.ValidationFixtures.businessRegistration;
import static city.heze.peony.streams.validation.ValidationFixtures.recipient;
import static city.heze.peony.streams.validation.ValidationFixtures.recipientWithThreeFaults;
import static city.heze.peony.streams.validation.ValidationFixtures.recipientWithWarning;
import static city.heze.peony.streams.validation.ValidationFixtures.socialAssistance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import city.heze.peony.avro.QualityReport;
import city.heze.peony.avro.common.QualityWindow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scorecards and staleness, driven by the wall clock of a TopologyTestDriver. */
class QualityScorecardsTest {
    /** 10:10 in Heze. */
    private static final Instant RECORD_TIME = Instant.parse("2025-06-15T02:10:00Z");

    private static final String HOUR_KEY = "mz/" + ASSISTANCE + "/HOUR/2025-06-15T10:00:00+08:00";
    private static final String DAY_KEY = "mz/" + ASSISTANCE + "/DAY/2025-06-15T00:00:00+08:00";

    @TempDir
    Path stateDir;

    private ValidationDriver v;
    private TestInputTopic<byte[], byte[]> raw;

    @BeforeEach
    void start() {
        v = new ValidationDriver(stateDir);
        v.register(socialAssistance(ValidationDriver.START));
        raw = v.raw(ASSISTANCE);
    }

    @AfterEach
    void stop() {
        v.close();
    }

    /** The latest report per key, as peony quality shows them. */
    private Map<String, QualityReport> latestReports() {
        Map<String, QualityReport> latest = new LinkedHashMap<>();
        for (TestRecord<String, QualityReport> r : v.quality.readRecordsToList()) {
            latest.put(r.key(), r.value());
        }
        return latest;
    }

    private void pipeMix() {
        raw.pipeInput(v.key("1"), v.rawBytes(ASSISTANCE, recipient(1)), RECORD_TIME);
        raw.pipeInput(v.key("2"), v.rawBytes(ASSISTANCE, recipient(2)), RECORD_TIME.plusSeconds(60));
        raw.pipeInput(v.key("3"), v.rawBytes(ASSISTANCE, recipientWithWarning(3)), RECORD_TIME.plusSeconds(120));
        raw.pipeInput(v.key("4"), v.rawBytes(ASSISTANCE, recipientWithThreeFaults(4)), RECORD_TIME.plusSeconds(180));
        raw.pipeInput(v.key("5"), new byte[] {'x', 'y'}, RECORD_TIME.plusSeconds(240));
    }

    @Test
    void scorecardsAreReportedByTheWallClockNotPerRecord() {
        pipeMix();
        assertThat(v.quality.isEmpty()).isTrue();

        v.report();

        Map<String, QualityReport> reports = latestReports();
        assertThat(reports).containsOnlyKeys(HOUR_KEY, DAY_KEY);
        QualityReport hour = reports.get(HOUR_KEY);
        assertThat(hour.getWindow()).isEqualTo(QualityWindow.HOUR);
        assertThat(hour.getDepartment()).isEqualTo("mz");
        assertThat(hour.getCatalogId()).isEqualTo(ASSISTANCE);
        assertThat(hour.getWindowStart()).isEqualTo(Instant.parse("2025-06-15T02:00:00Z"));
        assertThat(hour.getWindowEnd()).isEqualTo(Instant.parse("2025-06-15T03:00:00Z"));
        assertThat(hour.getReceived()).isEqualTo(5);
        assertThat(hour.getPassed()).isEqualTo(3);
        assertThat(hour.getFailed()).isEqualTo(2);
        assertThat(hour.getWarnings()).isEqualTo(2);
        assertThat(hour.getFailuresByRule())
                .containsExactlyInAnyOrderEntriesOf(Map.of("sa.amount", 1L, "sa.household", 1L, "poison.not-avro", 1L));
        assertThat(hour.getQualifiedRate()).isCloseTo(0.6, within(1e-9));
        assertThat(hour.getStale()).isFalse();
        assertThat(hour.getLastRecordAt()).isEqualTo(RECORD_TIME.plusSeconds(240));

        QualityReport day = reports.get(DAY_KEY);
        assertThat(day.getWindowStart()).isEqualTo(Instant.parse("2025-06-14T16:00:00Z"));
        assertThat(day.getReceived()).isEqualTo(5);
        assertThat(day.getQualifiedRate()).isCloseTo(0.6, within(1e-9));
        assertThat(v.gauge(QualityGauges.QUALIFIED_RATIO, "department", "mz", "catalog", ASSISTANCE))
                .isCloseTo(0.6, within(1e-9));
        assertThat(v.gauge(QualityGauges.STALE, "department", "mz", "catalog", ASSISTANCE))
                .isZero();

        // Nothing changed: the next punctuation reports nothing.
        v.report();
        assertThat(v.quality.isEmpty()).isTrue();
    }

    @Test
    void aWindowIsReportedOnceMoreWhenItCloses() {
        pipeMix();
        v.report();
        v.quality.readRecordsToList();

        v.advance(Duration.ofMinutes(60)); // 11:00:11 in Heze: the 10:00 hour is over
        Map<String, QualityReport> reports = latestReports();
        assertThat(reports).containsOnlyKeys(HOUR_KEY);
        assertThat(reports.get(HOUR_KEY).getReceived()).isEqualTo(5);
        assertThat(reports.get(HOUR_KEY).getGeneratedAt()).isAfterOrEqualTo(Instant.parse("2025-06-15T03:00:00Z"));

        v.advance(Duration.ofMinutes(50));
        assertThat(v.quality.isEmpty()).isTrue();
    }

    @Test
    void laterRecordsUpdateTheScorecardOfTheirHour() {
        pipeMix();
        v.report();
        v.quality.readRecordsToList();
        raw.pipeInput(v.key("6"), v.rawBytes(ASSISTANCE, recipient(6)), RECORD_TIME.plusSeconds(300));
        v.report();

        Map<String, QualityReport> reports = latestReports();
        assertThat(reports.get(HOUR_KEY).getReceived()).isEqualTo(6);
        assertThat(reports.get(HOUR_KEY).getPassed()).isEqualTo(4);
        assertThat(reports.get(DAY_KEY).getQualifiedRate()).isCloseTo(4.0 / 6, within(1e-9));
    }

    @Test
    void aCatalogSilentForLongerThanItsUpdateCycleIsReportedStaleWithoutAnyInput() {
        v.register(businessRegistration(ValidationDriver.START)); // REALTIME: one hour of silence allowed
        v.report();
        assertThat(v.quality.isEmpty()).isTrue();

        v.advance(Duration.ofMinutes(61));
        Map<String, QualityReport> reports = latestReports();
        String businessDay = "scjg/" + BUSINESS + "/DAY/2025-06-15T00:00:00+08:00";
        assertThat(reports).containsOnlyKeys(businessDay);
        QualityReport stale = reports.get(businessDay);
        assertThat(stale.getStale()).isTrue();
        assertThat(stale.getReceived()).isZero();
        assertThat(stale.getQualifiedRate()).isNull();
        assertThat(stale.getLastRecordAt()).isNull();
        assertThat(v.gauge(QualityGauges.STALE, "department", "scjg", "catalog", BUSINESS))
                .isEqualTo(1);
        assertThat(v.gauge(QualityGauges.STALE, "department", "mz", "catalog", ASSISTANCE))
                .isZero();

        // Once a day while silent, not every punctuation.
        v.advance(ValidationDriver.REPORT_INTERVAL);
        assertThat(v.quality.isEmpty()).isTrue();

        // The daily catalog goes stale a day after its publication.
        v.advance(Duration.ofHours(23));
        assertThat(latestReports())
                .containsKey("mz/" + ASSISTANCE + "/DAY/2025-06-16T00:00:00+08:00")
                .allSatisfy((key, report) -> assertThat(report.getStale()).isTrue());

        // A record ends the silence.
        TestInputTopic<byte[], byte[]> businessRaw = v.raw(BUSINESS);
        businessRaw.pipeInput(v.key("b1"), v.rawBytes(BUSINESS, business(1)), Instant.parse("2025-06-16T03:05:00Z"));
        v.report();
        QualityReport fresh = latestReports().get("scjg/" + BUSINESS + "/HOUR/2025-06-16T11:00:00+08:00");
        assertThat(fresh.getStale()).isFalse();
        assertThat(fresh.getReceived()).isEqualTo(1);
        assertThat(v.gauge(QualityGauges.STALE, "department", "scjg", "catalog", BUSINESS))
                .isZero();
    }

    @Test
    void eachCommitWritesTheTaskTalliesToTheirChangelog() {
        var changelog = v.driver()
                .createOutputTopic(
                        "validation-test-" + ValidationTopology.TALLY_STORE + "-changelog",
                        new org.apache.kafka.common.serialization.StringDeserializer(),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        pipeMix();

        Map<String, ScorecardCounts> latest = new LinkedHashMap<>();
        changelog.readRecordsToList().forEach(r -> latest.put(r.key(), ScorecardCounts.fromBytes(r.value())));
        String key = RecordValidator.tallyKey(
                ASSISTANCE, Instant.parse("2025-06-15T02:00:00Z").toEpochMilli());
        assertThat(latest).containsOnlyKeys(key);
        assertThat(latest.get(key).received()).isEqualTo(5);
        assertThat(latest.get(key).failuresByRule()).containsEntry("poison.not-avro", 1L);
    }

    @Test
    void recordsOlderThanTheRetentionAreValidatedAndCountedButNotScored() {
        byte[] old = v.rawBytes(ASSISTANCE, recipient(7));
        raw.pipeInput(v.key("7"), old, RECORD_TIME.minus(Duration.ofDays(3)));
        assertThat(v.shared(ASSISTANCE).readValuesToList()).containsExactly(old);
        v.report();
        assertThat(v.quality.isEmpty()).isTrue();
        assertThat(v.counter(ValidationMeters.RECEIVED, "catalog", ASSISTANCE)).isEqualTo(1);
    }
}
