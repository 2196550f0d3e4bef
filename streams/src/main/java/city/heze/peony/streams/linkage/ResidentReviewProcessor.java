package city.heze.peony.streams.linkage;

import city.heze.peony.avro.linkage.ReviewFlag;
import city.heze.peony.avro.linkage.ReviewFlagKind;
import city.heze.peony.avro.linkage.SocialAssistanceReview;
import city.heze.peony.streams.linkage.ReviewFact.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Every fact about one resident meets here, keyed by resident ID. The resident's facts are kept
 * (also while the person is not a recipient, so that a recipient who appears later is flagged at
 * once); after each fact the flags are computed afresh from all of them ({@link ReviewFlags}, a pure
 * function), and a review is written only when the set of flags (kinds and evidence keys) differs
 * from the last one written, or (while flagged) the assistance record it is about does, and only for
 * a recipient. A recipient whose flags all cleared gets a
 * review with no flags; a flagged recipient who stops being a recipient gets a tombstone.
 *
 * <p>The number of recipients flagged per kind is kept in a store of this task, and mirrored into the
 * gauges when the task starts and taken out when it stops, so the gauges survive restarts and
 * rebalances and add up across tasks.
 */
final class ResidentReviewProcessor implements Processor<String, ReviewFact, String, SocialAssistanceReview> {
    private final String residentsStore;
    private final String countsStore;
    private final ReviewFlags rules;
    private final ReviewMeters meters;
    private final long[] counts = new long[ReviewFlagKind.values().length];
    private ProcessorContext<String, SocialAssistanceReview> context;
    private KeyValueStore<String, FactSet> residents;
    private KeyValueStore<String, Long> flagCounts;

    ResidentReviewProcessor(String residentsStore, String countsStore, LinkageSettings settings, ReviewMeters meters) {
        this.residentsStore = residentsStore;
        this.countsStore = countsStore;
        this.rules = new ReviewFlags(settings);
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, SocialAssistanceReview> context) {
        this.context = context;
        this.residents = context.getStateStore(residentsStore);
        this.flagCounts = context.getStateStore(countsStore);
        for (ReviewFlagKind kind : ReviewFlags.KINDS) {
            Long stored = flagCounts.get(kind.name());
            counts[kind.ordinal()] = stored == null ? 0 : stored;
            meters.flagged(kind, counts[kind.ordinal()]);
        }
    }

    @Override
    public void process(Record<String, ReviewFact> record) {
        String residentId = record.key();
        if (residentId == null) {
            return; // cannot happen: the extractors forward only records with a subject
        }
        FactSet before = residents.get(residentId);
        FactSet state = (before == null ? FactSet.EMPTY : before).apply(record.value());
        ReviewFact recipient = recipientOf(state.facts());

        if (recipient == null) {
            if (state.emitted() != null) {
                // No longer a recipient: the review no longer applies.
                countKinds(state.flaggedKinds(), 0);
                context.forward(record.withKey(residentId).withValue(null));
                meters.output(context.currentSystemTimeMs() - record.timestamp());
                state = state.withEmitted(null, 0);
            }
        } else {
            List<ReviewFlags.Flag> flags = rules.of(state.facts());
            // The recipient record the review is about is part of what was written: with two
            // assistance records, the review names the first by key whichever arrived first.
            String signature = flags.isEmpty() ? "" : recipient.factKey() + '#' + ReviewFlags.signature(flags);
            boolean neverWritten = state.emitted() == null;
            if (neverWritten ? !flags.isEmpty() : !signature.equals(state.emitted())) {
                int kinds = ReviewFlags.kinds(flags);
                countKinds(state.flaggedKinds(), kinds);
                context.forward(record.withKey(residentId).withValue(review(residentId, recipient, flags, record)));
                meters.output(context.currentSystemTimeMs() - record.timestamp());
                state = state.withEmitted(signature, kinds);
            }
        }
        if (state.isEmpty()) {
            residents.delete(residentId);
        } else {
            residents.put(residentId, state);
        }
    }

    /** The recipient record a review is about: the one with the smallest key, if several. */
    private static ReviewFact recipientOf(List<ReviewFact> facts) {
        for (ReviewFact f : facts) {
            if (f.kind() == Kind.RECIPIENT) {
                return f; // facts are ordered by kind, then key
            }
        }
        return null;
    }

    private static SocialAssistanceReview review(
            String residentId, ReviewFact recipient, List<ReviewFlags.Flag> flags, Record<?, ?> record) {
        List<ReviewFlag> avro = new ArrayList<>(flags.size());
        for (ReviewFlags.Flag f : flags) {
            avro.add(f.toAvro());
        }
        return SocialAssistanceReview.newBuilder()
                .setResidentId(residentId)
                .setName(recipient.name() == null ? "" : recipient.name())
                .setRegionCode(recipient.regionCode() == null ? "" : recipient.regionCode())
                .setRecipient(recipient.evidence().toAvro())
                .setFlags(avro)
                .setChangedAt(Instant.ofEpochMilli(record.timestamp()))
                .build();
    }

    /** Moves one recipient from the kinds in {@code before} to those in {@code after}. */
    private void countKinds(int before, int after) {
        if (before == after) {
            return;
        }
        for (ReviewFlagKind kind : ReviewFlags.KINDS) {
            int bit = 1 << kind.ordinal();
            int delta = ((after & bit) != 0 ? 1 : 0) - ((before & bit) != 0 ? 1 : 0);
            if (delta != 0) {
                counts[kind.ordinal()] += delta;
                flagCounts.put(kind.name(), counts[kind.ordinal()]);
                meters.flagged(kind, delta);
            }
        }
    }

    @Override
    public void close() {
        // This task's recipients leave the gauges with it; the task that takes them over adds them.
        for (ReviewFlagKind kind : ReviewFlags.KINDS) {
            meters.flagged(kind, -counts[kind.ordinal()]);
            counts[kind.ordinal()] = 0;
        }
    }
}
