package city.heze.peony.streams.share;

import static city.heze.peony.streams.share.ShareFixtures.approve;
import static city.heze.peony.streams.share.ShareFixtures.approveBy;
import static city.heze.peony.streams.share.ShareFixtures.at;
import static city.heze.peony.streams.share.ShareFixtures.catalog;
import static city.heze.peony.streams.share.ShareFixtures.endOf;
import static city.heze.peony.streams.share.ShareFixtures.refuse;
import static city.heze.peony.streams.share.ShareFixtures.refuseBy;
import static city.heze.peony.streams.share.ShareFixtures.request;
import static city.heze.peony.streams.share.ShareFixtures.withdraw;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareOutcome;
import city.heze.peony.avro.ShareRequest;
import city.heze.peony.avro.common.RejectionKind;
import city.heze.peony.avro.common.ShareDecisionKind;
import city.heze.peony.avro.common.ShareOutcomeStatus;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The share topology in a TopologyTestDriver: every order requests and decisions can arrive in,
 * the wall-clock punctuator, invalid input, deadlines from configuration. Dates are around the 2025
 * National Day holiday: Sep 28 (Sunday) worked, Oct 1-8 off, Oct 11 (Saturday) worked, so 10 working
 * days after Friday Sep 26 end on Thursday Oct 16 (Sep 28, 29, 30, Oct 9, 10, 11, 13, 14, 15, 16).
 */
class ShareSlaTopologyTest {
    static final String MZ_CATALOG = "mz.social-assistance";
    static final Instant SUBMITTED = at("2025-09-26T10:00");
    /** 10 working days after Sep 26, counted by hand (see the class comment). */
    static final Instant DEADLINE = endOf("2025-10-16");

    @TempDir
    Path stateDir;

    ShareSlaDriver t;

    @BeforeEach
    void start() {
        t = new ShareSlaDriver(stateDir, at("2025-09-26T12:00"));
        t.catalog(catalog(MZ_CATALOG, "mz", ShareType.CONDITIONAL, null));
        t.catalog(catalog("rs.pensions", "rs", ShareType.CONDITIONAL, 5));
        t.catalog(catalog("ga.open-roads", "ga", ShareType.UNCONDITIONAL, null));
        t.catalog(catalog("wj.births", "wj", ShareType.NOT_SHARED, null));
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private static ShareRequest mzRequest(String id) {
        return request(id, MZ_CATALOG, "mz", "rs", SUBMITTED);
    }

    @Test
    void aRequestAnsweredBeforeItsDeadlineIsTimely() {
        t.request(mzRequest("A1"));
        assertThat(t.drainOutcomes()).isEmpty();
        assertThat(t.meters.pending("mz")).isEqualTo(1);

        t.advanceTo(at("2025-10-09T16:00"));
        t.decide(approve("A1", at("2025-10-09T15:00")));

        ShareOutcome o = t.outcomes.readValue();
        assertThat(o.getApplicationId()).isEqualTo("A1");
        assertThat(o.getStatus()).isEqualTo(ShareOutcomeStatus.TIMELY);
        assertThat(o.getDecision()).isEqualTo(ShareDecisionKind.APPROVED);
        assertThat(o.getDeadline()).isEqualTo(DEADLINE);
        assertThat(o.getProviderDepartment()).isEqualTo("mz");
        assertThat(o.getRequestingDepartment()).isEqualTo("rs");
        assertThat(o.getSubmittedAt()).isEqualTo(SUBMITTED);
        assertThat(o.getAnsweredAt()).isEqualTo(at("2025-10-09T15:00"));
        assertThat(o.getDeterminedAt()).isEqualTo(t.now());
        assertThat(t.outcomes.isEmpty()).isTrue();
        assertThat(t.meters.pending("mz")).isZero();
        assertThat(t.counter("mz", "TIMELY")).isEqualTo(1.0);
    }

    @Test
    void aDecisionBeforeItsRequestWaitsForIt() {
        t.advanceTo(at("2025-10-10T10:00"));
        t.decide(refuse("A2", "数据涉及个人隐私，需提供法律依据", at("2025-10-10T09:00")));
        assertThat(t.drainOutcomes()).isEmpty();
        assertThat(t.rejected.isEmpty()).isTrue();
        assertThat(t.meters.unmatched()).isEqualTo(1);

        t.request(mzRequest("A2"));

        ShareOutcome o = t.outcomes.readValue();
        assertThat(o.getStatus()).isEqualTo(ShareOutcomeStatus.TIMELY);
        assertThat(o.getDecision()).isEqualTo(ShareDecisionKind.REFUSED);
        assertThat(o.getReason()).isEqualTo("数据涉及个人隐私，需提供法律依据");
        assertThat(t.meters.unmatched()).isZero();
        assertThat(t.meters.pending("mz")).isZero();
    }

    @Test
    void theLastMillisecondOfTheDeadlineIsTimelyAndTheNextOneLate() {
        t.advanceTo(at("2025-10-20T09:00"));
        t.request(mzRequest("ON-TIME"));
        t.request(mzRequest("A-MINUTE-LATE"));
        t.decide(approve("ON-TIME", at("2025-10-16T23:59:59.999")));
        t.decide(approve("A-MINUTE-LATE", at("2025-10-17T00:00:59")));

        Map<String, ShareOutcome> byId = latest(t.outcomes.readRecordsToList());
        assertThat(byId.get("ON-TIME").getStatus()).isEqualTo(ShareOutcomeStatus.TIMELY);
        assertThat(byId.get("A-MINUTE-LATE").getStatus()).isEqualTo(ShareOutcomeStatus.LATE);
    }

    @Test
    void aDuplicateDecisionChangesNothingButAnEarlierOneWins() {
        t.advanceTo(at("2025-10-22T09:00"));
        t.request(mzRequest("A3"));
        t.decide(approve("A3", at("2025-10-20T10:00")));
        assertThat(t.outcomes.readValue().getStatus()).isEqualTo(ShareOutcomeStatus.LATE);

        t.decide(approve("A3", at("2025-10-20T10:00"))); // the same again
        t.decide(approve("A3", at("2025-10-21T10:00"))); // a later one
        assertThat(t.outcomes.isEmpty()).isTrue();

        // An answer given earlier but delivered later (a backfill): the earliest answer decides.
        t.decide(refuse("A3", "超出共享范围", at("2025-10-15T10:00")));
        ShareOutcome o = t.outcomes.readValue();
        assertThat(o.getStatus()).isEqualTo(ShareOutcomeStatus.TIMELY);
        assertThat(o.getDecision()).isEqualTo(ShareDecisionKind.REFUSED);
        assertThat(t.rejected.isEmpty()).isTrue();
    }

    @Test
    void anUnansweredApplicationTurnsOverdueByWallClockWithoutInputAndLateWhenAnswered() {
        t.request(mzRequest("A4"));
        t.advanceTo(DEADLINE);
        assertThat(t.outcomes.isEmpty())
                .as("at the deadline's last millisecond it is not overdue yet")
                .isTrue();
        assertThat(t.meters.pending("mz")).isEqualTo(1);

        t.advance(Duration.ofSeconds(1)); // no input at all: only the wall clock moves

        ShareOutcome overdue = t.outcomes.readValue();
        assertThat(overdue.getStatus()).isEqualTo(ShareOutcomeStatus.OVERDUE);
        assertThat(overdue.getDecision()).isNull();
        assertThat(overdue.getAnsweredAt()).isNull();
        assertThat(overdue.getDeterminedAt()).isEqualTo(DEADLINE.plusSeconds(1));
        assertThat(t.meters.pending("mz")).isZero();
        assertThat(t.meters.overduePending("mz")).isEqualTo(1);

        t.advance(Duration.ofHours(30));
        assertThat(t.outcomes.isEmpty()).as("OVERDUE is emitted once").isTrue();

        t.decide(approve("A4", at("2025-10-18T08:00")));
        ShareOutcome late = t.outcomes.readValue();
        assertThat(late.getStatus()).isEqualTo(ShareOutcomeStatus.LATE);
        assertThat(late.getAnsweredAt()).isEqualTo(at("2025-10-18T08:00"));
        assertThat(t.meters.overduePending("mz")).isZero();
        assertThat(t.counter("mz", "OVERDUE")).isEqualTo(1.0);
        assertThat(t.counter("mz", "LATE")).isEqualTo(1.0);
    }

    @Test
    void aWithdrawalBeforeAnyAnswerIsFinalAndALaterAnswerChangesNothing() {
        t.advanceTo(at("2025-10-01T09:00"));
        t.request(mzRequest("A5"));
        t.decide(withdraw("A5", at("2025-09-29T11:00")));
        ShareOutcome o = t.outcomes.readValue();
        assertThat(o.getStatus()).isEqualTo(ShareOutcomeStatus.WITHDRAWN);
        assertThat(o.getDecision()).isEqualTo(ShareDecisionKind.WITHDRAWN);
        assertThat(t.meters.pending("mz")).isZero();

        t.decide(approve("A5", at("2025-09-30T11:00")));
        t.advanceTo(DEADLINE.plusSeconds(5));
        assertThat(t.outcomes.isEmpty()).isTrue();
    }

    @Test
    void aWithdrawalAfterAnAnswerChangesNothing() {
        t.advanceTo(at("2025-10-01T09:00"));
        t.request(mzRequest("A6"));
        t.decide(approve("A6", at("2025-09-29T11:00")));
        assertThat(t.outcomes.readValue().getStatus()).isEqualTo(ShareOutcomeStatus.TIMELY);

        t.decide(withdraw("A6", at("2025-09-30T11:00")));
        assertThat(t.outcomes.isEmpty()).isTrue();
    }

    @Test
    void aWithdrawalAfterAMissedDeadlineLeavesItOverdue() {
        t.request(mzRequest("A7"));
        t.advanceTo(DEADLINE.plusSeconds(2));
        assertThat(t.outcomes.readValue().getStatus()).isEqualTo(ShareOutcomeStatus.OVERDUE);

        t.decide(withdraw("A7", at("2025-10-17T09:00")));

        ShareOutcome o = t.outcomes.readValue();
        assertThat(o.getStatus()).isEqualTo(ShareOutcomeStatus.OVERDUE);
        assertThat(o.getDecision()).isEqualTo(ShareDecisionKind.WITHDRAWN);
        assertThat(t.meters.overduePending("mz"))
                .as("no answer is owed any more")
                .isZero();
    }

    @Test
    void deadlinesComeFromTheRequestThenTheCatalogThenTheConfiguration() {
        t.request(request("R1", "rs.pensions", "rs", "mz", SUBMITTED)); // catalog: 5 working days
        ShareRequest own = request("R2", MZ_CATALOG, "mz", "rs", SUBMITTED);
        own.setDeadlineWorkingDays(3); // the application's own term
        t.request(own);
        t.request(request("W1", "wj.births", "wj", "mz", SUBMITTED)); // NOT_SHARED: 10 by default
        t.decide(approveBy("rs", "R1", at("2025-09-27T10:00")));
        t.decide(approve("R2", at("2025-09-27T10:00")));
        t.decide(refuseBy("wj", "W1", "不予共享：无法律依据", at("2025-09-27T10:00")));

        Map<String, ShareOutcome> byId = latest(t.outcomes.readRecordsToList());
        assertThat(byId.get("R1").getDeadline()).isEqualTo(endOf("2025-10-10")); // Sep 28, 29, 30, Oct 9, 10
        assertThat(byId.get("R2").getDeadline()).isEqualTo(endOf("2025-09-30")); // Sep 28, 29, 30
        assertThat(byId.get("W1").getDeadline()).isEqualTo(DEADLINE);
        assertThat(byId.get("W1").getStatus()).isEqualTo(ShareOutcomeStatus.TIMELY);
    }

    @Test
    void aConfiguredCatalogDeadlineAppliesWhenTheEntryStatesNone(@TempDir Path otherState) {
        Properties props = new Properties();
        props.setProperty("peony.share.deadline.catalog." + MZ_CATALOG, "2");
        props.setProperty("peony.share.deadline.UNCONDITIONAL", "4");
        ShareSlaSettings settings = ShareSlaSettings.defaults().withDeadlines(ShareDeadlines.fromProperties(props));
        try (ShareSlaDriver d = new ShareSlaDriver(otherState, at("2025-09-26T12:00"), settings)) {
            d.catalog(catalog(MZ_CATALOG, "mz", ShareType.CONDITIONAL, null));
            d.catalog(catalog("ga.open-roads", "ga", ShareType.UNCONDITIONAL, null));
            d.request(mzRequest("C1"));
            d.request(request("G1", "ga.open-roads", "ga", "mz", SUBMITTED));
            d.decide(approve("C1", at("2025-09-27T10:00")));
            d.decide(approveBy("ga", "G1", at("2025-09-27T10:00")));
            Map<String, ShareOutcome> byId = latest(d.outcomes.readRecordsToList());
            assertThat(byId.get("C1").getDeadline()).isEqualTo(endOf("2025-09-29")); // Sep 28, 29
            assertThat(byId.get("G1").getDeadline()).isEqualTo(endOf("2025-10-09")); // Sep 28, 29, 30, Oct 9
            assertThat(d.rejected.isEmpty()).isTrue();
        }
    }

    @Test
    void aChangedCatalogAppliesToLaterRequestsWithinAPunctuationAndNeverMovesAFixedDeadline() {
        t.request(mzRequest("BEFORE"));
        t.catalog(catalog(MZ_CATALOG, "mz", ShareType.CONDITIONAL, 3)); // the provider now promises 3 days
        t.advance(Duration.ofSeconds(1));
        t.request(mzRequest("AFTER"));
        t.decide(approve("BEFORE", at("2025-09-27T09:00")));
        t.decide(approve("AFTER", at("2025-09-27T09:00")));

        Map<String, ShareOutcome> byId = latest(t.outcomes.readRecordsToList());
        assertThat(byId.get("BEFORE").getDeadline()).isEqualTo(DEADLINE);
        assertThat(byId.get("AFTER").getDeadline()).isEqualTo(endOf("2025-09-30")); // Sep 28, 29, 30
    }

    @Test
    void aRefusalWithoutAReasonIsRejectedWithItsBytesAndIsNoAnswer() {
        t.request(mzRequest("B1"));
        ShareDecision bare = refuse("B1", "  ", at("2025-09-27T10:00"));
        t.decide(bare);

        TestRecord<String, Rejection> r = t.rejected.readRecord();
        assertThat(r.key()).isEqualTo("B1");
        Rejection rejection = r.value();
        assertThat(rejection.getKind()).isEqualTo(RejectionKind.INVALID_SHARE_EVENT);
        assertThat(rejection.getSourceTopic()).isEqualTo(Topics.SHARE_DECISIONS.name());
        assertThat(rejection.getSourcePartition()).isZero();
        assertThat(rejection.getSourceOffset()).isZero();
        assertThat(rejection.getFailures()).hasSize(1);
        assertThat(rejection.getFailures().get(0).getRuleId()).isEqualTo("share.refusal-without-reason");
        assertThat(rejection.getFailures().get(0).getField()).isEqualTo("reason");
        assertThat(rejection.getFailures().get(0).getReason()).contains("B1").contains("without a reason");
        assertThat(rejection.getSchemaId()).isNotNull();
        assertThat(decodeDecision(rejection.getOriginalValue())).isEqualTo(bare);
        assertThat(t.outcomes.isEmpty()).isTrue();
        assertThat(t.meters.pending("mz")).as("still waiting for a real answer").isEqualTo(1);
        assertThat(t.meterRegistry
                        .get("peony.share.events.rejected")
                        .tag("rule", "share.refusal-without-reason")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void invalidRequestsAndDecisionsAreRejectedNamingWhatWasExpected() {
        t.request(request("U1", "no.such-catalog", "mz", "rs", SUBMITTED));
        t.request(request("G1", "ga.open-roads", "ga", "rs", SUBMITTED));
        t.request(request("P1", MZ_CATALOG, "rs", "ga", SUBMITTED)); // wrong provider
        t.requests.pipeInput("K-OTHER", mzRequest("K1")); // key is not the application id
        t.decide(new ShareDecision("D1", ShareDecisionKind.UNKNOWN, null, at("2025-09-29T10:00"), null, null));
        t.rawDecisions.pipeInput("D2".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
        t.request(request("F1", MZ_CATALOG, "mz", "rs", at("2025-12-01T10:00"))); // in the future
        t.request(mzRequest("DUP"));
        t.request(request("DUP", "rs.pensions", "rs", "ga", SUBMITTED)); // the same id, another request
        t.request(mzRequest("DUP")); // the same request again: not an error

        List<Rejection> rejections = t.rejected.readValuesToList();
        assertThat(rejections)
                .extracting(r -> r.getFailures().get(0).getRuleId())
                .containsExactly(
                        "share.unknown-catalog",
                        "share.no-application-needed",
                        "share.provider-mismatch",
                        "share.key-mismatch",
                        "share.unknown-decision",
                        "share.not-avro",
                        "share.submittedAt",
                        "share.duplicate-application");
        assertThat(rejections.get(0).getCatalogId()).isEqualTo("no.such-catalog");
        assertThat(rejections.get(0).getFailures().get(0).getReason())
                .contains("no catalog 'no.such-catalog' is registered");
        assertThat(rejections.get(1).getFailures().get(0).getReason()).contains("UNCONDITIONAL");
        assertThat(rejections.get(3).getFailures().get(0).getReason())
                .contains("'K-OTHER'")
                .contains("'K1'");
        assertThat(rejections.get(5).getKind()).isEqualTo(RejectionKind.NOT_AVRO);
        assertThat(rejections.get(5).getOriginalValue())
                .isEqualTo(ByteBuffer.wrap("not avro".getBytes(StandardCharsets.UTF_8)));
        assertThat(rejections.get(5).getSourceTopic()).isEqualTo(Topics.SHARE_DECISIONS.name());
        assertThat(rejections.get(6).getFailures().get(0).getReason()).contains("2025-12-01T02:00:00Z");
        assertThat(rejections.get(7).getFailures().get(0).getReason()).contains("already exists");
        assertThat(t.outcomes.isEmpty()).isTrue();
        assertThat(t.meters.pending("mz")).as("only DUP is tracked").isEqualTo(1);
    }

    @Test
    void ratesFollowDomainDefinitionPerDayMonthAndTheLast30Days() {
        t.catalog(catalog("mz.marriage", "mz", ShareType.CONDITIONAL, null));
        t.advanceTo(at("2025-10-20T12:00"));
        for (String id : List.of("T1", "T2", "L1", "O1", "W1")) {
            t.request(mzRequest(id));
        }
        t.decide(approve("T1", at("2025-10-09T10:00")));
        t.decide(refuse("T2", "申请用途与目录共享条件不符", at("2025-10-16T23:59:59.999")));
        t.decide(approve("L1", at("2025-10-17T00:00")));
        t.decide(withdraw("W1", at("2025-10-10T10:00")));
        // Answered early, deadline Oct 27 (Oct 14..17, 20..24, 27): due on Oct 27, not in the last 30 days yet.
        t.request(request("E1", "mz.marriage", "mz", "rs", at("2025-10-13T09:00")));
        t.decide(approve("E1", at("2025-10-14T09:00")));
        // Open before its deadline: not counted anywhere.
        t.request(request("N1", "mz.marriage", "mz", "rs", at("2025-10-13T09:00")));

        t.advance(Duration.ofSeconds(1)); // O1 turns OVERDUE
        t.advance(Duration.ofSeconds(1)); // rates count what the last punctuation decided

        Map<String, ShareOutcome> outcomes = latest(t.outcomes.readRecordsToList());
        assertThat(outcomes.get("O1").getStatus()).isEqualTo(ShareOutcomeStatus.OVERDUE);
        assertThat(outcomes).doesNotContainKey("N1");
        Map<String, city.heze.peony.avro.TimelyShareRate> rates = t.latestRates();
        assertRate(rates, "mz/*/DAY/2025-10-16", 4, 2, 1, 1, 0.5);
        assertRate(rates, "mz/mz.social-assistance/DAY/2025-10-16", 4, 2, 1, 1, 0.5);
        assertRate(rates, "mz/*/DAY/2025-10-27", 1, 1, 0, 0, 1.0);
        assertRate(rates, "mz/*/MONTH/2025-10", 5, 3, 1, 1, 0.6);
        assertRate(rates, "mz/mz.marriage/MONTH/2025-10", 1, 1, 0, 0, 1.0);
        assertRate(rates, "mz/*/LAST_30_DAYS/last-30-days", 4, 2, 1, 1, 0.5);
        assertRate(rates, "mz/mz.social-assistance/LAST_30_DAYS/last-30-days", 4, 2, 1, 1, 0.5);
        assertThat(rates).doesNotContainKey("mz/mz.marriage/LAST_30_DAYS/last-30-days");
        var day = rates.get("mz/*/DAY/2025-10-16");
        assertThat(day.getPeriodStart()).isEqualTo(at("2025-10-16T00:00"));
        assertThat(day.getPeriodEnd()).isEqualTo(at("2025-10-17T00:00"));
        assertThat(rates.get("mz/*/MONTH/2025-10").getPeriodStart()).isEqualTo(at("2025-10-01T00:00"));
        assertThat(t.meters.timelyRatio("mz")).isEqualTo(0.5);
        assertThat(t.meters.pending("mz")).isEqualTo(1);

        // The overdue application is answered: it stays not timely, now LATE, and is not counted twice.
        t.decide(approve("O1", at("2025-10-20T15:00")));
        t.advance(Duration.ofSeconds(1));
        rates = t.latestRates();
        assertRate(rates, "mz/*/DAY/2025-10-16", 4, 2, 2, 0, 0.5);
        assertRate(rates, "mz/*/MONTH/2025-10", 5, 3, 2, 0, 0.6);
        assertRate(rates, "mz/*/LAST_30_DAYS/last-30-days", 4, 2, 2, 0, 0.5);

        // A month later, with no input at all, the rolling window has moved past Oct 16.
        t.advanceTo(at("2025-11-20T12:00"));
        t.advance(Duration.ofSeconds(1));
        rates = t.latestRates();
        // Deadlines in [Oct 21 12:00, Nov 20 12:00): E1 (timely) and N1 (overdue on the way), both Oct 27.
        assertRate(rates, "mz/*/LAST_30_DAYS/last-30-days", 2, 1, 0, 1, 0.5);
        assertRate(rates, "mz/mz.marriage/LAST_30_DAYS/last-30-days", 2, 1, 0, 1, 0.5);
        assertThat(rates.get("mz/mz.social-assistance/LAST_30_DAYS/last-30-days")
                        .getDue())
                .isZero();
        assertThat(rates.get("mz/mz.social-assistance/LAST_30_DAYS/last-30-days")
                        .getRate())
                .isNull();
        assertThat(t.meters.timelyRatio("mz")).isEqualTo(0.5);
        assertRate(rates, "mz/*/DAY/2025-10-27", 2, 1, 0, 1, 0.5);
    }

    @Test
    void ratesAreEmittedOncePerPunctuationNotPerOutcome() {
        t.advanceTo(at("2025-10-20T12:00"));
        for (int i = 0; i < 50; i++) {
            t.request(mzRequest("M" + i));
            t.decide(approve("M" + i, at("2025-10-09T10:00")));
        }
        assertThat(t.rates.isEmpty()).as("nothing before the punctuation").isTrue();
        t.advance(Duration.ofSeconds(1));
        Map<String, city.heze.peony.avro.TimelyShareRate> rates = t.latestRates();
        assertRate(rates, "mz/*/DAY/2025-10-16", 50, 50, 0, 0, 1.0);
        t.advance(Duration.ofSeconds(1));
        assertThat(t.rates.isEmpty()).as("unchanged rates are not sent again").isTrue();
    }

    private static void assertRate(
            Map<String, city.heze.peony.avro.TimelyShareRate> rates,
            String key,
            long due,
            long timely,
            long late,
            long overdue,
            double rate) {
        assertThat(rates).containsKey(key);
        var r = rates.get(key);
        assertThat(List.of(r.getDue(), r.getTimely(), r.getLate(), r.getOverdue()))
                .as(key + " due, timely, late, overdue")
                .containsExactly(due, timely, late, overdue);
        assertThat(r.getRate()).as(key + " rate").isEqualTo(rate);
    }

    static Map<String, ShareOutcome> latest(List<TestRecord<String, ShareOutcome>> records) {
        Map<String, ShareOutcome> byId = new java.util.LinkedHashMap<>();
        records.forEach(r -> byId.put(r.key(), r.value()));
        return byId;
    }

    private ShareDecision decodeDecision(ByteBuffer bytes) {
        byte[] array = new byte[bytes.remaining()];
        bytes.duplicate().get(array);
        return t.topics.shareDecisions.valueSerde().deserializer().deserialize(t.topics.shareDecisions.name(), array);
    }

    @Test
    void eachForwardingProcessorForwardsOnlyToItsNamedChildren() {
        TopologyDescription description = ShareSlaTopology.build(
                        t.context,
                        ShareSlaApp.streamsConfig(t.clientProperties(null), "describe", "at_least_once", stateDir))
                .describe();
        assertThat(successorsOf(description, "share-sla-pairing"))
                .containsExactlyInAnyOrder(
                        ShareSlaTopology.OUTCOMES, ShareSlaTopology.REJECTIONS, ShareSlaTopology.GRANTS);
        assertThat(successorsOf(description, ShareIngress.REQUESTS))
                .containsExactlyInAnyOrder(ShareIngress.REQUESTS_OUT, ShareIngress.REQUEST_REJECTIONS);
        assertThat(successorsOf(description, ShareIngress.DECISIONS))
                .containsExactlyInAnyOrder(ShareIngress.DECISIONS_OUT, ShareIngress.DECISION_REJECTIONS);
        assertThat(description.toString()).doesNotContain("KSTREAM-", "KTABLE-");
    }

    static java.util.Set<String> successorsOf(TopologyDescription description, String nodeName) {
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node.name().equals(nodeName)) {
                    java.util.Set<String> names = new java.util.HashSet<>();
                    node.successors().forEach(n -> names.add(n.name()));
                    return names;
                }
            }
        }
        throw new AssertionError("no node " + nodeName + " in " + description);
    }
}
