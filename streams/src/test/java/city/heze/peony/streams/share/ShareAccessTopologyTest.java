package city.heze.peony.streams.share;

import static city.heze.peony.streams.share.ShareFixtures.approve;
import static city.heze.peony.streams.share.ShareFixtures.at;
import static city.heze.peony.streams.share.ShareFixtures.catalog;
import static city.heze.peony.streams.share.ShareFixtures.endOf;
import static city.heze.peony.streams.share.ShareFixtures.refuse;
import static city.heze.peony.streams.share.ShareFixtures.request;
import static city.heze.peony.streams.share.ShareFixtures.revoke;
import static city.heze.peony.streams.share.ShareFixtures.withdraw;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareGrant;
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
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may write what in the share topology, and the access approvals grant: departments' own topics
 * through the ingress, the authority of decisions, grants and their ends, and decisions whose
 * application never comes. rs applies for mz's catalog throughout (deadline Oct 16, see {@link
 * ShareSlaTopologyTest}).
 */
class ShareAccessTopologyTest {
    static final String MZ_CATALOG = "mz.social-assistance";
    static final Instant SUBMITTED = at("2025-09-26T10:00");
    static final Instant DEADLINE = endOf("2025-10-16");

    @TempDir
    Path stateDir;

    ShareSlaDriver t;

    @BeforeEach
    void start() {
        t = new ShareSlaDriver(stateDir, at("2025-09-26T12:00"));
        t.catalog(catalog(MZ_CATALOG, "mz", ShareType.CONDITIONAL, null));
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private static ShareRequest rsRequest(String id) {
        return request(id, MZ_CATALOG, "mz", "rs", SUBMITTED);
    }

    private static ShareDecision decision(
            String id, ShareDecisionKind kind, String reason, Instant at, String by, Instant validUntil) {
        return new ShareDecision(id, kind, reason, at, by, validUntil);
    }

    private static String reasonOf(Rejection r) {
        return r.getFailures().get(0).getReason();
    }

    private static String ruleOf(Rejection r) {
        return r.getFailures().get(0).getRuleId();
    }

    @Test
    void aRequestInAnotherDepartmentsNameIsRejectedAndOneInItsOwnPassesUnchanged() {
        t.requestsOf("rs").pipeInput("A-1", rsRequest("A-1"));
        t.requestsOf("rs").pipeInput("A-9", request("A-9", MZ_CATALOG, "mz", "mz", SUBMITTED)); // offset 1

        Rejection r = t.rejected.readValue();
        assertThat(reasonOf(r))
                .isEqualTo("peony.share.requests.rs offset 1: application A-9 is in the name of mz; a department"
                        + " submits applications only in its own name");
        assertThat(r.getSourceTopic()).isEqualTo("peony.share.requests.rs");
        assertThat(r.getSourceOffset()).isEqualTo(1);
        assertThat(r.getDepartment()).isEqualTo("rs");
        assertThat(r.getOriginalKey()).isEqualTo(ByteBuffer.wrap("A-9".getBytes(StandardCharsets.UTF_8)));
        assertThat(t.rejected.isEmpty()).isTrue();

        TestOutputTopic<String, ShareRequest> canonical = t.output(t.topics.shareRequests);
        assertThat(canonical.readKeyValuesToList())
                .singleElement()
                .satisfies(kv -> assertThat(kv.value).isEqualTo(rsRequest("A-1")));
        assertThat(t.meters.pending("mz")).as("A-1 is tracked, A-9 is not").isEqualTo(1);
    }

    @Test
    void aDecisionIsStampedWithTheDepartmentThatWroteItAndOneInAnothersNameIsRejected() {
        t.requestsOf("rs").pipeInput("A-1", rsRequest("A-1"));
        t.requestsOf("rs").pipeInput("A-2", rsRequest("A-2"));
        t.decisionsOf("mz")
                .pipeInput(
                        "A-1", decision("A-1", ShareDecisionKind.APPROVED, null, at("2025-09-26T11:00"), null, null));
        t.decisionsOf("rs")
                .pipeInput(
                        "A-2", decision("A-2", ShareDecisionKind.APPROVED, null, at("2025-09-26T11:00"), "mz", null));

        List<ShareDecision> canonical = t.output(t.topics.shareDecisions).readValuesToList();
        assertThat(canonical).extracting(ShareDecision::getDecidedBy).containsExactly("mz");
        assertThat(t.outcomes.readValue().getStatus()).isEqualTo(ShareOutcomeStatus.TIMELY);
        Rejection r = t.rejected.readValue();
        assertThat(r.getSourceTopic()).isEqualTo("peony.share.decisions.rs");
        // The test driver numbers offsets per source pattern, not per topic: take the one it reports.
        assertThat(reasonOf(r))
                .startsWith("peony.share.decisions.rs offset " + r.getSourceOffset() + ": decision on A-2")
                .contains("decidedBy mz but written by rs");
        assertThat(t.grants.readValue().getApplicationId()).isEqualTo("A-1");
        assertThat(t.grants.isEmpty()).isTrue();
        assertThat(t.meters.pending("mz"))
                .as("A-2 still waits for its provider")
                .isEqualTo(1);
    }

    @Test
    void undecodableBytesOnADepartmentsTopicAreRejectedWithTheirBytes() {
        t.driver()
                .createInputTopic(
                        Topics.shareDecisionsOf("mz"),
                        new org.apache.kafka.common.serialization.ByteArraySerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())
                .pipeInput("A-1".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
        Rejection r = t.rejected.readValue();
        assertThat(r.getKind()).isEqualTo(RejectionKind.NOT_AVRO);
        assertThat(r.getSourceTopic()).isEqualTo("peony.share.decisions.mz");
        assertThat(r.getOriginalValue()).isEqualTo(ByteBuffer.wrap("not avro".getBytes(StandardCharsets.UTF_8)));
        assertThat(t.output(t.topics.shareDecisions).isEmpty()).isTrue();
    }

    @Test
    void aDecisionByADepartmentThatIsNotTheProviderIsRejectedAndGrantsNothing() {
        t.request(rsRequest("A-1"));
        t.decide(decision("A-1", ShareDecisionKind.APPROVED, null, at("2025-09-26T11:00"), "rs", null));
        t.decide(decision("A-1", ShareDecisionKind.WITHDRAWN, null, at("2025-09-26T11:30"), "mz", null));

        List<Rejection> rejections = t.rejected.readValuesToList();
        assertThat(rejections)
                .extracting(ShareAccessTopologyTest::reasonOf)
                .containsExactly(
                        "decision on A-1 by rs, which is not its provider mz; nothing granted",
                        "decision on A-1 by mz, which is not its requester rs; nothing granted");
        assertThat(rejections.get(0).getDepartment()).isEqualTo("mz");
        assertThat(rejections.get(0).getCatalogId()).isEqualTo(MZ_CATALOG);
        assertThat(t.grants.isEmpty()).isTrue();
        assertThat(t.outcomes.isEmpty()).isTrue();
        assertThat(t.meters.pending("mz")).isEqualTo(1);
    }

    @Test
    void anApprovalGrantsAccessForTheDefaultValidityOrUntilTheTimeItNames() {
        t.request(rsRequest("A-1"));
        t.request(rsRequest("A-2"));
        t.request(rsRequest("A-3"));
        Instant approved = at("2025-09-26T11:00");
        t.decide(approve("A-1", approved));
        t.decide(decision("A-2", ShareDecisionKind.APPROVED, null, approved, "mz", at("2025-12-31T23:59")));
        t.decide(decision("A-3", ShareDecisionKind.APPROVED, null, approved, "mz", approved)); // ends as it starts

        List<TestRecord<String, ShareGrant>> grants = t.grants.readRecordsToList();
        assertThat(grants).extracting(TestRecord::key).containsExactly("A-1", "A-2");
        ShareGrant first = grants.get(0).value();
        assertThat(first)
                .isEqualTo(new ShareGrant(
                        "A-1",
                        MZ_CATALOG,
                        "rs",
                        "mz",
                        approved,
                        approved.plus(Duration.ofDays(365)),
                        null,
                        null,
                        null));
        assertThat(grants.get(1).value().getValidUntil()).isEqualTo(at("2025-12-31T23:59"));

        Rejection r = t.rejected.readValue();
        assertThat(ruleOf(r)).isEqualTo("share.validUntil");
        assertThat(reasonOf(r)).contains("A-3").contains("expected validUntil after decidedAt");
        assertThat(t.meters.pending("mz")).as("A-3 is still unanswered").isEqualTo(1);

        t.decide(approve("A-1", approved)); // the same again: no second grant
        assertThat(t.grants.isEmpty()).isTrue();
    }

    @Test
    void aRevocationEndsTheGrantAndLeavesTheOutcomeAndTheRatesAsTheyWere() {
        t.advanceTo(at("2025-10-20T12:00"));
        t.request(rsRequest("A-1"));
        t.decide(revoke("A-1", "用途已变更", at("2025-10-01T09:00"))); // nothing to revoke yet
        t.decide(approve("A-1", at("2025-10-09T10:00")));
        t.advance(Duration.ofSeconds(1));
        assertThat(t.outcomes.readValue().getStatus()).isEqualTo(ShareOutcomeStatus.TIMELY);
        var rates = t.latestRates();
        assertThat(rates.get("mz/*/DAY/2025-10-16").getTimely()).isEqualTo(1);
        assertThat(t.grants.readValue().getEndedAt()).isNull();

        t.decide(revoke("A-1", "  ", at("2025-10-19T09:00"))); // no reason
        t.decide(decision("A-1", ShareDecisionKind.REVOKED, "用途已变更", at("2025-10-19T09:00"), "rs", null));
        t.decide(revoke("A-1", "用途已变更", at("2025-10-19T10:00")));

        ShareGrant ended = t.grants.readValue();
        assertThat(ended.getEndedAt()).isEqualTo(at("2025-10-19T10:00"));
        assertThat(ended.getEndedBy()).isEqualTo(ShareDecisionKind.REVOKED);
        assertThat(ended.getEndReason()).isEqualTo("用途已变更");
        assertThat(ended.getApprovedAt()).isEqualTo(at("2025-10-09T10:00"));
        assertThat(t.rejected.readValuesToList())
                .extracting(ShareAccessTopologyTest::ruleOf)
                .containsExactly("share.nothing-to-revoke", "share.revocation-without-reason", "share.not-entitled");

        t.decide(revoke("A-1", "再次撤销", at("2025-10-19T11:00"))); // already ended
        t.advance(Duration.ofSeconds(1));
        assertThat(t.grants.isEmpty()).isTrue();
        assertThat(t.outcomes.isEmpty()).as("the outcome stands").isTrue();
        assertThat(t.rates.isEmpty())
                .as("the rates are unchanged, so not sent again")
                .isTrue();
        assertThat(t.counter("mz", "TIMELY")).isEqualTo(1.0);
    }

    @Test
    void aWithdrawalAfterTheApprovalEndsTheGrant() {
        t.advanceTo(at("2025-10-01T09:00"));
        t.request(rsRequest("A-1"));
        t.decide(approve("A-1", at("2025-09-29T11:00")));
        assertThat(t.grants.readValue().getEndedAt()).isNull();

        t.decide(withdraw("A-1", at("2025-09-30T11:00")));

        ShareGrant ended = t.grants.readValue();
        assertThat(ended.getEndedAt()).isEqualTo(at("2025-09-30T11:00"));
        assertThat(ended.getEndedBy()).isEqualTo(ShareDecisionKind.WITHDRAWN);
        assertThat(ended.getGrantee()).isEqualTo("rs");
        assertThat(t.outcomes.readValue().getStatus()).isEqualTo(ShareOutcomeStatus.TIMELY);
        assertThat(t.outcomes.isEmpty())
                .as("the withdrawal does not change the outcome")
                .isTrue();
    }

    @Test
    void refusedOverdueAndWithdrawnApplicationsGrantNothing() {
        t.request(rsRequest("REFUSED"));
        t.request(rsRequest("WITHDRAWN"));
        t.request(rsRequest("OVERDUE"));
        t.decide(refuse("REFUSED", "超出共享范围", at("2025-09-26T11:00")));
        t.decide(approve("REFUSED", at("2025-09-26T11:30"))); // a later answer: the refusal stands
        t.decide(withdraw("WITHDRAWN", at("2025-09-26T11:00")));
        t.decide(approve("WITHDRAWN", at("2025-09-26T11:30")));
        t.advanceTo(DEADLINE.plusSeconds(1));

        assertThat(latestStatuses())
                .containsEntry("REFUSED", ShareOutcomeStatus.TIMELY)
                .containsEntry("WITHDRAWN", ShareOutcomeStatus.WITHDRAWN)
                .containsEntry("OVERDUE", ShareOutcomeStatus.OVERDUE);
        assertThat(t.grants.isEmpty()).isTrue();
        assertThat(t.rejected.isEmpty()).isTrue();
    }

    @Test
    void aDecisionWhoseApplicationNeverArrivesIsRejectedAfterTheWaitAndGrantsNothing() {
        ShareDecision orphan = approve("A-404", at("2025-09-26T11:00"));
        t.decide(orphan);
        assertThat(t.meters.unmatched()).isEqualTo(1);

        t.advance(Duration.ofMinutes(59));
        assertThat(t.rejected.isEmpty()).as("it still waits").isTrue();

        t.advance(Duration.ofMinutes(1));
        Rejection r = t.rejected.readValue();
        assertThat(ruleOf(r)).isEqualTo("share.no-application");
        assertThat(reasonOf(r)).startsWith("no application A-404").contains("PT1H");
        assertThat(r.getSourceTopic()).isEqualTo(Topics.SHARE_DECISIONS.name());
        assertThat(r.getOriginalValue().remaining()).isPositive();
        assertThat(t.meters.unmatched()).isZero();
        assertThat(t.grants.isEmpty()).isTrue();

        // Had it waited in vain, a request arriving after the wait is a new application: still no grant.
        t.request(request("A-404", MZ_CATALOG, "mz", "rs", SUBMITTED));
        assertThat(t.grants.isEmpty()).isTrue();
        assertThat(t.meters.pending("mz")).isEqualTo(1);
    }

    @Test
    void decisionsBeforeTheirRequestAreJudgedWhenItComes() {
        t.decide(decision("A-1", ShareDecisionKind.APPROVED, null, at("2025-09-26T10:30"), "ga", null));
        t.decide(revoke("A-1", "用途已变更", at("2025-09-26T11:30")));
        t.decide(approve("A-1", at("2025-09-26T11:00")));
        assertThat(t.rejected.isEmpty()).isTrue();

        t.request(rsRequest("A-1"));

        assertThat(t.rejected.readValuesToList())
                .extracting(ShareAccessTopologyTest::reasonOf)
                .containsExactly("decision on A-1 by ga, which is not its provider mz; nothing granted");
        assertThat(t.outcomes.readValue().getAnsweredAt()).isEqualTo(at("2025-09-26T11:00"));
        ShareGrant grant = t.grants.readValue();
        assertThat(grant.getApprovedAt()).isEqualTo(at("2025-09-26T11:00"));
        assertThat(grant.getEndedBy())
                .as("approved, then revoked, in the order they were given")
                .isEqualTo(ShareDecisionKind.REVOKED);
        assertThat(t.grants.isEmpty()).isTrue();
        assertThat(t.meters.unmatched()).isZero();
    }

    private java.util.Map<String, ShareOutcomeStatus> latestStatuses() {
        java.util.Map<String, ShareOutcomeStatus> byId = new java.util.TreeMap<>();
        t.outcomes.readRecordsToList().forEach(r -> byId.put(r.key(), r.value().getStatus()));
        return byId;
    }
}
