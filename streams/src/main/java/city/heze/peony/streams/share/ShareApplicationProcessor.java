package city.heze.peony.streams.share;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareGrant;
import city.heze.peony.avro.ShareOutcome;
import city.heze.peony.avro.ShareRequest;
import city.heze.peony.avro.common.RejectionKind;
import city.heze.peony.avro.common.ShareDecisionKind;
import city.heze.peony.avro.common.ShareOutcomeStatus;
import city.heze.peony.schemas.CityZone;
import city.heze.peony.schemas.registry.RegistryErrors;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import city.heze.peony.schemas.serde.AvroWireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Pairs each share request with its decisions, whatever order they arrive in, and emits the
 * application's {@link ShareOutcome} whenever its status changes (see {@link ApplicationState} for
 * the rules). A wall-clock punctuator finds applications whose deadline passed unanswered and emits
 * them OVERDUE with no new input needed. Requests and decisions that cannot be accepted are
 * forwarded as {@code Rejection}s; a record is never dropped silently, and none stops the task.
 *
 * <p>A decision that names who decided ({@code decidedBy}, stamped by {@link ShareIngress}) counts
 * only from the application's provider (or, for a withdrawal, its requester). An accepted approval
 * that decides the application forwards a {@link ShareGrant}; a withdrawal after it or a revocation
 * forwards the grant again, ended. Decisions that arrive before their request wait for it in the
 * store, as read, and are judged when it comes, or rejected when it has not come within the
 * configured wait.
 *
 * <p>Input is read as bytes and decoded here, so that a record that is not a request or a decision
 * is rejected with its bytes rather than failing the application.
 */
final class ShareApplicationProcessor implements Processor<byte[], byte[], String, SpecificRecord> {
    /** Times more than this after now are refused: clocks differ a little, never by a day. */
    static final Duration CLOCK_TOLERANCE = Duration.ofDays(1);

    /** Deadlines are counted in working days from the holiday data, which begins in 2000. */
    static final long EARLIEST_TIME =
            LocalDate.of(2000, 1, 1).atStartOfDay(CityZone.ZONE).toInstant().toEpochMilli();

    private final String requestsTopic;
    private final Deserializer<ShareRequest> requests;
    private final Deserializer<ShareDecision> decisions;
    private final ShareSlaSettings settings;
    private final ShareMeters meters;

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ApplicationState> applications;
    private ShareCatalogs catalogs;

    /**
     * This task's open applications in deadline order, for the punctuator: derived from the store
     * (rebuilt by one scan when the task starts), so it costs no writes of its own.
     */
    private final NavigableSet<Open> open = new TreeSet<>();

    /** An open application and whom it waits for. Ordered by deadline, then id. */
    private record Open(long deadline, String applicationId, String provider) implements Comparable<Open> {
        @Override
        public int compareTo(Open o) {
            int byDeadline = Long.compare(deadline, o.deadline);
            return byDeadline != 0 ? byDeadline : applicationId.compareTo(o.applicationId);
        }
    }

    /** This task's share of the gauges, given back when the task closes. */
    private final Map<String, long[]> ownPending = new HashMap<>();

    private final Map<String, long[]> ownOverdue = new HashMap<>();
    private long ownUnmatched;

    /**
     * Applications known only by decisions that wait for their request, by when they give up
     * waiting: derived from the store like {@link #open}.
     */
    private final NavigableSet<Unmatched> unmatched = new TreeSet<>();

    /** An application seen only through its decisions, and when they stop waiting for it. */
    private record Unmatched(long expiresAt, String applicationId) implements Comparable<Unmatched> {
        @Override
        public int compareTo(Unmatched o) {
            int byTime = Long.compare(expiresAt, o.expiresAt);
            return byTime != 0 ? byTime : applicationId.compareTo(o.applicationId);
        }
    }

    /** A record as read, for its rejection. */
    private record Source(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {}

    ShareApplicationProcessor(ShareSlaContext ctx) {
        this.requestsTopic = ctx.topics().shareRequests.name();
        this.requests = ctx.topics().shareRequests.valueSerde().deserializer();
        this.decisions = ctx.topics().shareDecisions.valueSerde().deserializer();
        this.settings = ctx.settings();
        this.meters = ctx.meters();
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.applications = context.getStateStore(ShareSlaTopology.APPLICATIONS_STORE);
        ReadOnlyKeyValueStore<String, ValueAndTimestamp<CatalogEntry>> catalogStore =
                context.getStateStore(ShareSlaTopology.CATALOG_STORE);
        this.catalogs = new ShareCatalogs(catalogStore);
        // A task revived after an aborted transaction is initialised again: start from the store alone.
        open.clear();
        unmatched.clear();
        scanApplications();
        context.schedule(settings.overdueInterval(), PunctuationType.WALL_CLOCK_TIME, this::markOverdue);
    }

    /**
     * Rebuilds the deadline order and the gauges from the (restored) store: one pass over this task's
     * applications when it starts, about a second per million.
     */
    private void scanApplications() {
        try (KeyValueIterator<String, ApplicationState> all = applications.all()) {
            while (all.hasNext()) {
                KeyValue<String, ApplicationState> e = all.next();
                ApplicationState state = e.value;
                if (state.request() == null) {
                    unmatchedDelta(1);
                    unmatched.add(new Unmatched(expiryOf(state), e.key));
                } else if (state.isOpen()) {
                    open.add(new Open(
                            state.request().deadline(), e.key, state.request().provider()));
                    pendingDelta(state.request().provider(), 1);
                } else if (state.isOverdueUnanswered()) {
                    overdueDelta(state.request().provider(), 1);
                }
            }
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        Source source = new Source(
                meta.topic(), meta.partition(), meta.offset(), record.timestamp(), record.key(), record.value());
        long now = context.currentSystemTimeMs();
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        boolean isRequest = source.topic().equals(requestsTopic);
        String catalogId = null;
        String department = null;
        try {
            if (isRequest) {
                ShareRequest request = decode(requests, source.topic(), record.value(), "ShareRequest");
                catalogId = request.getCatalogId();
                department = request.getProviderDepartment();
                onRequest(key, request, now);
            } else {
                onDecision(source, key, now);
            }
        } catch (InvalidShareEvent invalid) {
            if (!isRequest && key != null) {
                ApplicationState known = applications.get(key);
                if (known != null && known.request() != null) {
                    catalogId = known.request().catalogId();
                    department = known.request().provider();
                }
            }
            reject(source, key, invalid, catalogId, department, now);
        }
    }

    private void reject(
            Source source, String key, InvalidShareEvent invalid, String catalogId, String department, long now) {
        meters.rejected(invalid.ruleId());
        context.forward(
                new Record<>(
                        key,
                        ShareRejections.of(
                                source.topic(),
                                source.partition(),
                                source.offset(),
                                source.timestamp(),
                                source.key(),
                                source.value(),
                                invalid,
                                catalogId,
                                department,
                                now),
                        now),
                ShareSlaTopology.REJECTIONS);
    }

    static <T> T decode(Deserializer<T> deserializer, String topic, byte[] value, String expected) {
        if (value == null) {
            throw new InvalidShareEvent(
                    "share.tombstone", null, "the value is null (a tombstone); expected a " + expected);
        }
        if (!AvroWireFormat.hasHeader(value)) {
            throw new InvalidShareEvent(
                    RejectionKind.NOT_AVRO,
                    "share.not-avro",
                    null,
                    "the value (" + value.length + " bytes) is not in Confluent's Avro wire format (magic byte 0 and a"
                            + " schema id); expected a " + expected + " written by a schema-registry Avro serializer",
                    null);
        }
        try {
            return deserializer.deserialize(topic, value);
        } catch (SerializationException e) {
            if (e.getCause() instanceof SchemaRegistryException registry) {
                if (registry.errorCode() != RegistryErrors.SCHEMA_NOT_FOUND) {
                    // The registry did not answer: the record may be fine. Fail the task (it is retried
                    // from the last commit) rather than reject a good record.
                    throw e;
                }
                throw new InvalidShareEvent(
                        RejectionKind.UNKNOWN_SCHEMA,
                        "share.unknown-schema",
                        null,
                        e.getMessage() + "; expected a " + expected + " with a registered schema",
                        null);
            }
            throw new InvalidShareEvent(
                    RejectionKind.UNDECODABLE,
                    "share.undecodable",
                    null,
                    e.getMessage() + "; expected a " + expected,
                    null);
        }
    }

    private static String requireApplicationId(String key, String applicationId) {
        if (applicationId == null || applicationId.isBlank()) {
            throw new InvalidShareEvent("share.application-id", "applicationId", "applicationId is empty");
        }
        if (!applicationId.equals(key)) {
            throw new InvalidShareEvent(
                    "share.key-mismatch",
                    "applicationId",
                    "the record key is " + (key == null ? "null" : "'" + key + "'") + " but applicationId is '"
                            + applicationId + "'; expected the application id as the key, so that an application's"
                            + " request and decisions meet in one partition");
        }
        return applicationId;
    }

    private static long requireTime(String field, Instant time, long now) {
        if (time == null) {
            throw new InvalidShareEvent("share." + field, field, field + " is missing");
        }
        long millis = time.toEpochMilli();
        if (millis < EARLIEST_TIME || millis > now + CLOCK_TOLERANCE.toMillis()) {
            throw new InvalidShareEvent(
                    "share." + field,
                    field,
                    field + " is " + time + "; expected a time from 2000-01-01 up to now (" + Instant.ofEpochMilli(now)
                            + ") plus a day of clock difference");
        }
        return millis;
    }

    private static String requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidShareEvent("share." + field, field, field + " is empty");
        }
        return value;
    }

    private void onRequest(String key, ShareRequest request, long now) {
        String applicationId = requireApplicationId(key, request.getApplicationId());
        long submittedAt = requireTime("submittedAt", request.getSubmittedAt(), now);
        String requester = requireText("requestingDepartment", request.getRequestingDepartment());
        requireText("purpose", request.getPurpose());
        ShareCatalogs.Terms terms = catalogs.terms(request.getCatalogId());
        String named = request.getProviderDepartment();
        if (named != null && !named.isBlank() && !named.equals(terms.department())) {
            throw new InvalidShareEvent(
                    "share.provider-mismatch",
                    "providerDepartment",
                    "providerDepartment is '" + named + "' but catalog '" + terms.catalogId() + "' is provided by '"
                            + terms.department() + "'; expected the catalog's department (or an empty field)");
        }
        int workingDays = settings.deadlines()
                .workingDays(
                        terms.catalogId(),
                        terms.shareType(),
                        terms.deadlineWorkingDays(),
                        request.getDeadlineWorkingDays());
        long deadline = settings.calendar()
                .deadline(request.getSubmittedAt(), workingDays)
                .toEpochMilli();
        ApplicationState.Request facts = new ApplicationState.Request(
                terms.catalogId(), terms.department(), requester, submittedAt, deadline, workingDays);

        ApplicationState before = applications.get(applicationId);
        ApplicationState after;
        if (before == null) {
            after = ApplicationState.ofRequest(facts, now);
        } else if (before.request() == null) {
            unmatched.remove(new Unmatched(expiryOf(before), applicationId));
            unmatchedDelta(-1);
            after = judgeWaiting(applicationId, before.withRequest(facts), now);
        } else if (sameRequest(before.request(), facts)) {
            return; // the same request again (a producer retry, a resubmission): already tracked
        } else {
            ApplicationState.Request first = before.request();
            throw new InvalidShareEvent(
                    "share.duplicate-application",
                    "applicationId",
                    "application '" + applicationId + "' already exists: " + first.requester() + " applied for '"
                            + first.catalogId() + "' at " + Instant.ofEpochMilli(first.submittedAt())
                            + "; expected a new application id for a different request");
        }
        settle(applicationId, before, after, now);
    }

    private static boolean sameRequest(ApplicationState.Request a, ApplicationState.Request b) {
        return a.catalogId().equals(b.catalogId())
                && a.requester().equals(b.requester())
                && a.submittedAt() == b.submittedAt();
    }

    private void onDecision(Source source, String key, long now) {
        ShareDecision decision = decode(decisions, source.topic(), source.value(), "ShareDecision");
        String applicationId = requireApplicationId(key, decision.getApplicationId());
        long at = checkDecision(applicationId, decision, now);
        ApplicationState before = applications.get(applicationId);
        if (before == null || before.request() == null) {
            // Who may decide depends on the request: the decision waits for it, as read.
            ApplicationState current = before != null ? before : ApplicationState.ofDecisionOnly(now);
            applications.put(
                    applicationId,
                    current.withWaiting(new ApplicationState.Waiting(
                            source.topic(),
                            source.partition(),
                            source.offset(),
                            source.timestamp(),
                            source.key(),
                            source.value(),
                            at)));
            if (before == null) {
                unmatchedDelta(1);
                unmatched.add(new Unmatched(expiryOf(current), applicationId));
            }
            return;
        }
        ApplicationState after = judge(applicationId, before, decision, at);
        if (after != before) {
            settle(applicationId, before, after, now);
        }
    }

    /** What a decision must be on its own, before anyone looks at its application; returns decidedAt. */
    private static long checkDecision(String applicationId, ShareDecision decision, long now) {
        ShareDecisionKind kind = decision.getDecision();
        if (kind == null || kind == ShareDecisionKind.UNKNOWN) {
            throw new InvalidShareEvent(
                    "share.unknown-decision",
                    "decision",
                    "decision is " + kind
                            + "; expected APPROVED, REFUSED (with a reason), WITHDRAWN or REVOKED (with a reason)");
        }
        String reason = decision.getReason();
        boolean noReason = reason == null || reason.isBlank();
        if (kind == ShareDecisionKind.REFUSED && noReason) {
            throw new InvalidShareEvent(
                    "share.refusal-without-reason",
                    "reason",
                    "application '" + applicationId + "' is refused without a reason; a refusal must say why"
                            + " (电子政务和政务数据管理办法), so this is not an answer");
        }
        if (kind == ShareDecisionKind.REVOKED && noReason) {
            throw new InvalidShareEvent(
                    "share.revocation-without-reason",
                    "reason",
                    "the approval of application '" + applicationId + "' is revoked without a reason; a revocation"
                            + " must say why, so the access stays");
        }
        long at = requireTime("decidedAt", decision.getDecidedAt(), now);
        Instant validUntil = decision.getValidUntil();
        if (kind == ShareDecisionKind.APPROVED && validUntil != null && validUntil.toEpochMilli() <= at) {
            throw new InvalidShareEvent(
                    "share.validUntil",
                    "validUntil",
                    "application '" + applicationId + "' is approved at " + decision.getDecidedAt()
                            + " with access valid until " + validUntil
                            + "; expected validUntil after decidedAt (or empty for the default validity)");
        }
        return at;
    }

    /**
     * The application's state after a decision that passed {@link #checkDecision}, judged against its
     * request; {@code state} itself when the decision changes nothing.
     *
     * @throws InvalidShareEvent when the department that decided may not, or there is nothing to revoke
     */
    private ApplicationState judge(String applicationId, ApplicationState state, ShareDecision decision, long at) {
        ApplicationState.Request request = state.request();
        ShareDecisionKind kind = decision.getDecision();
        String by = decision.getDecidedBy();
        // Null: written by Peony itself on the canonical topic, which no department may write.
        if (by != null) {
            boolean byRequester = kind == ShareDecisionKind.WITHDRAWN;
            String entitled = byRequester ? request.requester() : request.provider();
            if (!by.equals(entitled)) {
                throw new InvalidShareEvent(
                        "share.not-entitled",
                        "decidedBy",
                        "decision on " + applicationId + " by " + by + ", which is not its "
                                + (byRequester ? "requester " : "provider ") + entitled + "; nothing granted");
            }
        }
        ApplicationState.Grant grant = state.grant();
        if (kind == ShareDecisionKind.REVOKED) {
            if (grant == null) {
                throw new InvalidShareEvent(
                        "share.nothing-to-revoke",
                        "decision",
                        "application " + applicationId + " has no approval to revoke; a provider revokes only an"
                                + " approval it gave");
            }
            if (at < grant.approvedAt()) {
                throw new InvalidShareEvent(
                        "share.revoked-before-approval",
                        "decidedAt",
                        "application " + applicationId + " is revoked at " + decision.getDecidedAt()
                                + ", before its approval at " + Instant.ofEpochMilli(grant.approvedAt())
                                + "; expected a revocation after the approval");
            }
            return grant.isEnded() ? state : state.withGrant(grant.endedBy(kind, at, decision.getReason()));
        }
        ApplicationState.Decision d = new ApplicationState.Decision(kind, decision.getReason(), at, by);
        ApplicationState after = state.withDecision(d);
        if (kind == ShareDecisionKind.APPROVED && after.decisive() == d && grant == null) {
            Instant until = decision.getValidUntil();
            long validUntil = until != null
                    ? until.toEpochMilli()
                    : at + settings.accessValidity().toMillis();
            after = after.withGrant(new ApplicationState.Grant(at, validUntil, null, null, null));
        } else if (kind == ShareDecisionKind.WITHDRAWN && grant != null && !grant.isEnded()) {
            // The requester gives the access up: it ends, whatever the outcome says.
            after = after.withGrant(grant.endedBy(kind, at, decision.getReason()));
        }
        return after;
    }

    /**
     * Judges the decisions that waited for the request that just arrived, in the order they were
     * given, so that the result is the same as had the request come first; rejects those that fail.
     */
    private ApplicationState judgeWaiting(String applicationId, ApplicationState withRequest, long now) {
        List<ApplicationState.Waiting> waiting = new ArrayList<>(withRequest.waiting());
        waiting.sort(Comparator.comparingLong(ApplicationState.Waiting::decidedAt)
                .thenComparingLong(ApplicationState.Waiting::offset));
        ApplicationState state = withRequest.withoutWaiting();
        for (ApplicationState.Waiting w : waiting) {
            try {
                ShareDecision decision = decode(decisions, w.topic(), w.value(), "ShareDecision");
                state = judge(applicationId, state, decision, w.decidedAt());
            } catch (InvalidShareEvent invalid) {
                reject(
                        new Source(w.topic(), w.partition(), w.offset(), w.timestamp(), w.key(), w.value()),
                        applicationId,
                        invalid,
                        state.request().catalogId(),
                        state.request().provider(),
                        now);
            }
        }
        return state;
    }

    private long expiryOf(ApplicationState decisionOnly) {
        return decisionOnly.firstSeenAt() + settings.unmatchedWait().toMillis();
    }

    /** Stores the new state, keeps the index and gauges in step, and emits the outcome if it changed. */
    private void settle(String applicationId, ApplicationState before, ApplicationState after, long now) {
        ApplicationState.Request request = after.request();
        boolean wasOpen = before != null && before.isOpen();
        boolean wasOverdue = before != null && before.isOverdueUnanswered();
        ShareOutcomeStatus decided = after.decidedStatus();
        ApplicationState.Decision decisive = after.decisive();
        boolean changedDecisive = before == null || before.decisive() != decisive;
        ApplicationState stored = after;
        if (decided != null && (decided != after.emitted() || changedDecisive)) {
            stored = after.withEmitted(decided);
            emit(applicationId, stored, decided, now);
        }
        ApplicationState.Grant grant = stored.grant();
        if (grant != null && !grant.equals(before == null ? null : before.grant())) {
            emitGrant(applicationId, request, grant, now);
        }
        boolean isOpen = stored.isOpen();
        boolean isOverdue = stored.isOverdueUnanswered();
        if (wasOpen != isOpen) {
            Open entry = new Open(request.deadline(), applicationId, request.provider());
            if (isOpen) {
                open.add(entry);
            } else {
                open.remove(entry);
            }
            pendingDelta(request.provider(), isOpen ? 1 : -1);
        }
        if (wasOverdue != isOverdue) {
            overdueDelta(request.provider(), isOverdue ? 1 : -1);
        }
        applications.put(applicationId, stored);
    }

    private void emit(String applicationId, ApplicationState state, ShareOutcomeStatus status, long now) {
        ApplicationState.Request r = state.request();
        ApplicationState.Decision d = state.decisive(); // null for an unanswered OVERDUE
        ShareOutcome outcome = new ShareOutcome(
                applicationId,
                r.catalogId(),
                r.provider(),
                r.requester(),
                Instant.ofEpochMilli(r.submittedAt()),
                Instant.ofEpochMilli(r.deadline()),
                status,
                d == null ? null : d.kind(),
                d == null ? null : d.reason(),
                d == null ? null : Instant.ofEpochMilli(d.at()),
                Instant.ofEpochMilli(now));
        meters.outcome(r.provider(), status);
        context.forward(new Record<>(applicationId, outcome, now), ShareSlaTopology.OUTCOMES);
    }

    private void emitGrant(String applicationId, ApplicationState.Request r, ApplicationState.Grant g, long now) {
        ShareGrant grant = new ShareGrant(
                applicationId,
                r.catalogId(),
                r.requester(),
                r.provider(),
                Instant.ofEpochMilli(g.approvedAt()),
                Instant.ofEpochMilli(g.validUntil()),
                g.endedAt() == null ? null : Instant.ofEpochMilli(g.endedAt()),
                g.endedBy(),
                g.endReason());
        context.forward(new Record<>(applicationId, grant, now), ShareSlaTopology.GRANTS);
    }

    /**
     * Wall-clock punctuation: every open application whose deadline passed becomes OVERDUE, and the
     * decisions whose application did not come within the wait are rejected.
     */
    private void markOverdue(long now) {
        catalogs.refresh();
        while (!unmatched.isEmpty() && unmatched.first().expiresAt() <= now) {
            giveUp(unmatched.pollFirst().applicationId(), now);
        }
        // A deadline is the last millisecond allowed: it passed once now is after it.
        while (!open.isEmpty() && open.first().deadline() < now) {
            Open entry = open.pollFirst();
            pendingDelta(entry.provider(), -1);
            ApplicationState state = applications.get(entry.applicationId());
            if (state == null || !state.isOpen()) {
                continue; // cannot happen while the set follows the store; it mends itself
            }
            ApplicationState overdue = state.withEmitted(ShareOutcomeStatus.OVERDUE);
            emit(entry.applicationId(), overdue, ShareOutcomeStatus.OVERDUE, now);
            overdueDelta(entry.provider(), 1);
            applications.put(entry.applicationId(), overdue);
        }
    }

    /** Rejects the decisions that waited in vain for their application, which is forgotten. */
    private void giveUp(String applicationId, long now) {
        ApplicationState state = applications.get(applicationId);
        if (state == null || state.request() != null) {
            return; // cannot happen while the set follows the store
        }
        for (ApplicationState.Waiting w : state.waiting()) {
            reject(
                    new Source(w.topic(), w.partition(), w.offset(), w.timestamp(), w.key(), w.value()),
                    applicationId,
                    new InvalidShareEvent(
                            "share.no-application",
                            "applicationId",
                            "no application " + applicationId + ": no request arrived on " + requestsTopic + " within "
                                    + settings.unmatchedWait() + " of this decision; nothing granted"),
                    null,
                    null,
                    now);
        }
        applications.delete(applicationId);
        unmatchedDelta(-1);
    }

    private void pendingDelta(String provider, long delta) {
        ownPending.computeIfAbsent(provider, p -> new long[1])[0] += delta;
        meters.pending(provider, delta);
    }

    private void overdueDelta(String provider, long delta) {
        ownOverdue.computeIfAbsent(provider, p -> new long[1])[0] += delta;
        meters.overduePending(provider, delta);
    }

    private void unmatchedDelta(long delta) {
        ownUnmatched += delta;
        meters.unmatched(delta);
    }

    @Override
    public void close() {
        // The task moves elsewhere (or the application stops): its applications are no longer counted here.
        ownPending.forEach((provider, n) -> meters.pending(provider, -n[0]));
        ownOverdue.forEach((provider, n) -> meters.overduePending(provider, -n[0]));
        meters.unmatched(-ownUnmatched);
        ownPending.clear();
        ownOverdue.clear();
        open.clear();
        unmatched.clear();
        ownUnmatched = 0;
    }
}
