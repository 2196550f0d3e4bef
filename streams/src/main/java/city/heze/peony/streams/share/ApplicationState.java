package city.heze.peony.streams.share;

import city.heze.peony.avro.common.ShareDecisionKind;
import city.heze.peony.avro.common.ShareOutcomeStatus;
import city.heze.peony.streams.topology.CompactCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * What the share topology knows of one application, kept in its state store under the application
 * id: the request (once it has arrived), the earliest answer and the earliest withdrawal (in
 * whatever order they arrived), and the last outcome emitted.
 *
 * <p>The outcome is a function of these events alone, never of the order they arrived in: the
 * earliest of the answer and the withdrawal (by their own times) decides; an answer at or before
 * the deadline is TIMELY, after it LATE; a withdrawal at or before the deadline is WITHDRAWN; a
 * withdrawal after an unanswered deadline leaves the application OVERDUE (the provider had already
 * missed it; the requester giving up does not erase that); with neither, the application is open
 * until the deadline passes by wall clock, then OVERDUE. So a withdrawal after an answer changes
 * nothing, and a late answer turns an OVERDUE application LATE.
 *
 * <p>Access is kept apart from the outcome: an accepted approval that decides the application
 * opens a {@link Grant}; a later withdrawal or revocation ends it and changes neither the outcome nor
 * the rates.
 *
 * @param answer the earliest answer (APPROVED or a REFUSED with a reason), or null
 * @param withdrawal the earliest withdrawal, or null
 * @param emitted the status of the last outcome emitted, or null while none was
 * @param firstSeenAt wall-clock time the first event of this application was seen
 * @param grant the access the approval gave, or null while none was given
 * @param waiting decisions that arrived before the request, as read, until it arrives (who may
 *     decide depends on the request, so they are judged only then)
 */
public record ApplicationState(
        Request request,
        Decision answer,
        Decision withdrawal,
        ShareOutcomeStatus emitted,
        long firstSeenAt,
        Grant grant,
        List<Waiting> waiting) {

    public ApplicationState {
        waiting = List.copyOf(waiting);
    }

    /** The request's facts that the outcome needs, with its deadline fixed when it arrived. */
    public record Request(
            String catalogId, String provider, String requester, long submittedAt, long deadline, int workingDays) {}

    /** An answer (APPROVED, REFUSED) or a withdrawal (WITHDRAWN) and when it was given. */
    public record Decision(ShareDecisionKind kind, String reason, long at, String by) {}

    /**
     * The access an approval gave: from {@code approvedAt} until {@code validUntil}, or until {@code
     * endedAt} if the requester withdrew ({@code endedBy} WITHDRAWN) or the provider revoked it
     * (REVOKED, with its reason).
     */
    public record Grant(long approvedAt, long validUntil, Long endedAt, ShareDecisionKind endedBy, String endReason) {

        Grant endedBy(ShareDecisionKind kind, long at, String reason) {
            return new Grant(approvedAt, validUntil, Math.max(at, approvedAt), kind, reason);
        }

        public boolean isEnded() {
            return endedAt != null;
        }
    }

    /**
     * A decision read before its request, kept byte for byte with where it was read, so that it can
     * be judged when the request comes or rejected with its bytes if it never does.
     */
    public record Waiting(
            String topic, int partition, long offset, long timestamp, byte[] key, byte[] value, long decidedAt) {}

    /** A request seen before anything else about the application. */
    static ApplicationState ofRequest(Request request, long now) {
        return new ApplicationState(request, null, null, null, now, null, List.of());
    }

    /** A decision seen before its request. */
    static ApplicationState ofDecisionOnly(long now) {
        return new ApplicationState(null, null, null, null, now, null, List.of());
    }

    ApplicationState withRequest(Request r) {
        return new ApplicationState(r, answer, withdrawal, emitted, firstSeenAt, grant, waiting);
    }

    /** Adds a decision that waits for the request. */
    ApplicationState withWaiting(Waiting w) {
        List<Waiting> more = new ArrayList<>(waiting);
        more.add(w);
        return new ApplicationState(request, answer, withdrawal, emitted, firstSeenAt, grant, more);
    }

    /** The same without the waiting decisions (they are being judged now). */
    ApplicationState withoutWaiting() {
        return new ApplicationState(request, answer, withdrawal, emitted, firstSeenAt, grant, List.of());
    }

    ApplicationState withGrant(Grant g) {
        return new ApplicationState(request, answer, withdrawal, emitted, firstSeenAt, g, waiting);
    }

    /** Keeps the earliest answer or withdrawal; returns this when {@code d} changes nothing. */
    ApplicationState withDecision(Decision d) {
        if (d.kind() == ShareDecisionKind.WITHDRAWN) {
            return earlier(d, withdrawal)
                    ? new ApplicationState(request, answer, d, emitted, firstSeenAt, grant, waiting)
                    : this;
        }
        return earlier(d, answer)
                ? new ApplicationState(request, d, withdrawal, emitted, firstSeenAt, grant, waiting)
                : this;
    }

    /**
     * Whether {@code d} goes before {@code current}: by time, then (two answers in the same
     * millisecond) by kind and reason, so that the arrival order never matters.
     */
    private static boolean earlier(Decision d, Decision current) {
        if (current == null || d.at() < current.at()) {
            return true;
        }
        if (d.at() > current.at()) {
            return false;
        }
        int byKind = d.kind().compareTo(current.kind());
        if (byKind != 0) {
            return byKind < 0;
        }
        return java.util.Objects.compare(
                        d.reason(), current.reason(), java.util.Comparator.nullsFirst(String::compareTo))
                < 0;
    }

    ApplicationState withEmitted(ShareOutcomeStatus status) {
        return new ApplicationState(request, answer, withdrawal, status, firstSeenAt, grant, waiting);
    }

    /**
     * The event that decides the outcome: the earlier of the answer and the withdrawal (at the same
     * millisecond the answer: the provider did answer); null if neither.
     */
    public Decision decisive() {
        if (answer == null) {
            return withdrawal;
        }
        if (withdrawal == null) {
            return answer;
        }
        return withdrawal.at() < answer.at() ? withdrawal : answer;
    }

    /** The outcome the events alone decide (see the class comment); null while none does. Needs the request. */
    public ShareOutcomeStatus decidedStatus() {
        Decision d = decisive();
        if (d == null || request == null) {
            return null;
        }
        boolean inTime = d.at() <= request.deadline();
        if (d.kind() == ShareDecisionKind.WITHDRAWN) {
            return inTime ? ShareOutcomeStatus.WITHDRAWN : ShareOutcomeStatus.OVERDUE;
        }
        return inTime ? ShareOutcomeStatus.TIMELY : ShareOutcomeStatus.LATE;
    }

    /** Open: requested, nothing decided, no outcome yet (the deadline had not passed at the last look). */
    public boolean isOpen() {
        return request != null && decidedStatus() == null && emitted == null;
    }

    /** Past its deadline, unanswered and not withdrawn: the provider still owes an answer. */
    public boolean isOverdueUnanswered() {
        return request != null && decidedStatus() == null && emitted == ShareOutcomeStatus.OVERDUE;
    }

    /** The serde of the state store. */
    static Serde<ApplicationState> serde() {
        return CompactCodec.serde(ApplicationState::toBytes, ApplicationState::fromBytes);
    }

    /** Version 2 added the grant and the waiting decisions; version 1 (neither) is still read. */
    private static final int VERSION = 2;

    private static final int HAS_REQUEST = 1;
    private static final int HAS_ANSWER = 2;
    private static final int HAS_WITHDRAWAL = 4;
    private static final int HAS_GRANT = 8;

    private static byte[] toBytes(ApplicationState s) {
        CompactCodec.Writer w = new CompactCodec.Writer(128);
        w.writeByte(VERSION);
        w.writeByte((s.request != null ? HAS_REQUEST : 0)
                | (s.answer != null ? HAS_ANSWER : 0)
                | (s.withdrawal != null ? HAS_WITHDRAWAL : 0)
                | (s.grant != null ? HAS_GRANT : 0));
        if (s.request != null) {
            Request r = s.request;
            w.writeString(r.catalogId())
                    .writeString(r.provider())
                    .writeString(r.requester())
                    .writeLong(r.submittedAt())
                    .writeLong(r.deadline())
                    .writeInt(r.workingDays());
        }
        if (s.answer != null) {
            writeDecision(w, s.answer);
        }
        if (s.withdrawal != null) {
            writeDecision(w, s.withdrawal);
        }
        // Enums by name, so that a symbol added anywhere in the Avro enum never misreads the store.
        w.writeString(s.emitted == null ? null : s.emitted.name());
        w.writeLong(s.firstSeenAt);
        if (s.grant != null) {
            Grant g = s.grant;
            w.writeLong(g.approvedAt()).writeLong(g.validUntil());
            w.writeLong(g.endedAt() == null ? -1 : g.endedAt());
            w.writeString(g.endedBy() == null ? null : g.endedBy().name()).writeString(g.endReason());
        }
        w.writeInt(s.waiting.size());
        for (Waiting q : s.waiting) {
            w.writeString(q.topic())
                    .writeInt(q.partition())
                    .writeLong(q.offset())
                    .writeLong(q.timestamp())
                    .writeBytes(q.key())
                    .writeBytes(q.value())
                    .writeLong(q.decidedAt());
        }
        return w.toByteArray();
    }

    private static void writeDecision(CompactCodec.Writer w, Decision d) {
        w.writeString(d.kind().name()).writeString(d.reason()).writeLong(d.at()).writeString(d.by());
    }

    private static Decision readDecision(CompactCodec.Reader r) {
        ShareDecisionKind kind = ShareDecisionKind.valueOf(r.readString());
        return new Decision(kind, r.readString(), r.readLong(), r.readString());
    }

    private static ApplicationState fromBytes(byte[] bytes) {
        CompactCodec.Reader r = new CompactCodec.Reader("a share application's state", bytes);
        int version = r.readVersion(1, VERSION);
        int flags = r.readByte();
        Request request = (flags & HAS_REQUEST) == 0
                ? null
                : new Request(r.readString(), r.readString(), r.readString(), r.readLong(), r.readLong(), r.readInt());
        Decision answer = (flags & HAS_ANSWER) == 0 ? null : readDecision(r);
        Decision withdrawal = (flags & HAS_WITHDRAWAL) == 0 ? null : readDecision(r);
        String emitted = r.readString();
        long firstSeenAt = r.readLong();
        Grant grant = null;
        List<Waiting> waiting = new ArrayList<>();
        if (version >= 2) {
            if ((flags & HAS_GRANT) != 0) {
                long approvedAt = r.readLong();
                long validUntil = r.readLong();
                long endedAt = r.readLong();
                String endedBy = r.readString();
                grant = new Grant(
                        approvedAt,
                        validUntil,
                        endedAt == -1 ? null : endedAt,
                        endedBy == null ? null : ShareDecisionKind.valueOf(endedBy),
                        r.readString());
            }
            int count = r.readInt();
            for (int i = 0; i < count; i++) {
                waiting.add(new Waiting(
                        r.readString(),
                        r.readInt(),
                        r.readLong(),
                        r.readLong(),
                        r.readBytes(),
                        r.readBytes(),
                        r.readLong()));
            }
        }
        return new ApplicationState(
                request,
                answer,
                withdrawal,
                emitted == null ? null : ShareOutcomeStatus.valueOf(emitted),
                firstSeenAt,
                grant,
                waiting);
    }
}
