package city.heze.peony.streams.share;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.ShareDecision;
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
import java.util.HashMap;
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
        RecordMetadata source = context.recordMetadata().orElseThrow();
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
                onDecision(key, decode(decisions, source.topic(), record.value(), "ShareDecision"), now);
            }
        } catch (InvalidShareEvent invalid) {
            meters.rejected(invalid.ruleId());
            context.forward(
                    new Record<>(
                            key,
                            ShareRejections.of(
                                    source,
                                    record.timestamp(),
                                    record.key(),
                                    record.value(),
                                    invalid,
                                    catalogId,
                                    department,
                                    now),
                            now),
                    ShareSlaTopology.REJECTIONS);
        }
    }

    private static <T> T decode(Deserializer<T> deserializer, String topic, byte[] value, String expected) {
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
            after = before.withRequest(facts);
            unmatchedDelta(-1);
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

    private void onDecision(String key, ShareDecision decision, long now) {
        String applicationId = requireApplicationId(key, decision.getApplicationId());
        ShareDecisionKind kind = decision.getDecision();
        if (kind == null || kind == ShareDecisionKind.UNKNOWN) {
            throw new InvalidShareEvent(
                    "share.unknown-decision",
                    "decision",
                    "decision is " + kind + "; expected APPROVED, REFUSED (with a reason) or WITHDRAWN");
        }
        String reason = decision.getReason();
        if (kind == ShareDecisionKind.REFUSED && (reason == null || reason.isBlank())) {
            throw new InvalidShareEvent(
                    "share.refusal-without-reason",
                    "reason",
                    "application '" + applicationId + "' is refused without a reason; a refusal must say why"
                            + " (电子政务和政务数据管理办法), so this is not an answer");
        }
        long at = requireTime("decidedAt", decision.getDecidedAt(), now);
        ApplicationState before = applications.get(applicationId);
        ApplicationState current = before != null ? before : ApplicationState.ofDecisionOnly(now);
        ApplicationState after =
                current.withDecision(new ApplicationState.Decision(kind, reason, at, decision.getDecidedBy()));
        if (after == current && before != null) {
            return; // a duplicate or a later answer: the earliest one stands
        }
        if (after.request() == null) {
            applications.put(applicationId, after);
            if (before == null) {
                unmatchedDelta(1);
            }
            return;
        }
        settle(applicationId, before, after, now);
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

    /** Wall-clock punctuation: every open application whose deadline passed becomes OVERDUE. */
    private void markOverdue(long now) {
        catalogs.refresh();
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
        ownUnmatched = 0;
    }
}
