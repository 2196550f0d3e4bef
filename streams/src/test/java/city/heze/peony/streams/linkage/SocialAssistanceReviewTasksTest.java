package city.heze.peony.streams.linkage;

import static city.heze.peony.streams.linkage.ReviewRecords.resident;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.linkage.ReviewFlagKind;
import city.heze.peony.avro.linkage.SocialAssistanceReview;
import city.heze.peony.streams.linkage.ReviewFact.Evidence;
import city.heze.peony.streams.linkage.ReviewFact.Kind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The review processor as two tasks of one instance (MockProcessorContext, in-memory stores): the
 * flag gauges add up both tasks' recipients, a task that stops takes its share away, and the task
 * that starts on its stores (after a rebalance or restart) brings it back.
 */
class SocialAssistanceReviewTasksTest {
    private final ReviewMeters meters = new ReviewMeters(new SimpleMeterRegistry());

    /** One task: its context with its own two stores. */
    private static MockProcessorContext<String, SocialAssistanceReview> task() {
        MockProcessorContext<String, SocialAssistanceReview> context = new MockProcessorContext<>();
        KeyValueStore<String, FactSet> residents = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(SocialAssistanceReviewTopology.RESIDENTS_STORE),
                        Serdes.String(),
                        FactSet.serde())
                .withLoggingDisabled()
                .build();
        KeyValueStore<String, Long> counts = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(SocialAssistanceReviewTopology.FLAG_COUNTS_STORE),
                        Serdes.String(),
                        Serdes.Long())
                .withLoggingDisabled()
                .build();
        residents.init(context.getStateStoreContext(), residents);
        counts.init(context.getStateStoreContext(), counts);
        context.addStateStore(residents);
        context.addStateStore(counts);
        context.setCurrentSystemTimeMs(0);
        return context;
    }

    private ResidentReviewProcessor started(MockProcessorContext<String, SocialAssistanceReview> context) {
        ResidentReviewProcessor p = new ResidentReviewProcessor(
                SocialAssistanceReviewTopology.RESIDENTS_STORE,
                SocialAssistanceReviewTopology.FLAG_COUNTS_STORE,
                LinkageSettings.defaults(),
                meters);
        p.init(context);
        return p;
    }

    private static Record<String, ReviewFact> fact(String residentId, Kind kind, String key) {
        Evidence e = new Evidence("c", key, "shared.c", 0, 0, 0, new TreeMap<>());
        return new Record<>(residentId, new ReviewFact(kind, key, true, true, 0, null, "n", "371702", e), 0L);
    }

    @Test
    void theGaugesAddUpTheTasksAndFollowATaskThatStopsAndStartsAgain() {
        MockProcessorContext<String, SocialAssistanceReview> first = task();
        MockProcessorContext<String, SocialAssistanceReview> second = task();
        ResidentReviewProcessor a = started(first);
        ResidentReviewProcessor b = started(second);

        a.process(fact(resident(1), Kind.RECIPIENT, "MZ-1"));
        a.process(fact(resident(1), Kind.VEHICLE, "GA-1"));
        b.process(fact(resident(2), Kind.RECIPIENT, "MZ-2"));
        b.process(fact(resident(2), Kind.VEHICLE, "GA-2"));
        b.process(fact(resident(2), Kind.DEATH, "WJ-2"));
        assertThat(meters.flagged(ReviewFlagKind.VEHICLE)).isEqualTo(2);
        assertThat(meters.flagged(ReviewFlagKind.DECEASED)).isEqualTo(1);

        b.close();
        assertThat(meters.flagged(ReviewFlagKind.VEHICLE)).isEqualTo(1);
        assertThat(meters.flagged(ReviewFlagKind.DECEASED)).isZero();

        ResidentReviewProcessor again = started(second);
        assertThat(meters.flagged(ReviewFlagKind.VEHICLE)).isEqualTo(2);
        assertThat(meters.flagged(ReviewFlagKind.DECEASED)).isEqualTo(1);

        again.process(new Record<>(resident(2), ReviewFact.retraction(Kind.DEATH, "WJ-2"), 1L));
        assertThat(meters.flagged(ReviewFlagKind.DECEASED)).isZero();
        a.close();
        again.close();
        assertThat(meters.flagged(ReviewFlagKind.VEHICLE)).isZero();
    }
}
