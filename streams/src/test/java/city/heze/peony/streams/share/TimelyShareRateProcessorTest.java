package city.heze.peony.streams.share;

import static city.heze.peony.streams.share.ShareFixtures.at;
import static city.heze.peony.streams.share.ShareFixtures.endOf;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.TimelyShareRate;
import city.heze.peony.avro.common.ShareOutcomeStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rate processor alone, with MockProcessorContext and in-memory stores: counts survive a task
 * restart between an outcome and the punctuation that would have emitted its rate (the dirty flag
 * is stored), and a status change moves an application between counts instead of adding it twice.
 */
class TimelyShareRateProcessorTest {
    private final ShareMeters meters = new ShareMeters(new SimpleMeterRegistry());
    private MockProcessorContext<String, TimelyShareRate> context;
    private KeyValueStore<String, RatedOutcome> rated;
    private KeyValueStore<String, RateCounts> counts;

    @BeforeEach
    void stores() {
        context = new MockProcessorContext<>();
        rated = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(ShareSlaTopology.RATED_STORE),
                        Serdes.String(),
                        RatedOutcome.serde())
                .withLoggingDisabled()
                .build();
        counts = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(ShareSlaTopology.COUNTS_STORE),
                        Serdes.String(),
                        RateCounts.serde())
                .withLoggingDisabled()
                .build();
        rated.init(context.getStateStoreContext(), rated);
        counts.init(context.getStateStoreContext(), counts);
        context.addStateStore(rated);
        context.addStateStore(counts);
        context.setCurrentSystemTimeMs(at("2025-10-20T12:00").toEpochMilli());
    }

    private TimelyShareRateProcessor started() {
        TimelyShareRateProcessor p = new TimelyShareRateProcessor(ShareSlaSettings.defaults(), meters);
        p.init(context);
        return p;
    }

    private static Record<String, RatedOutcome> outcome(String id, ShareOutcomeStatus status) {
        RatedOutcome o = new RatedOutcome(
                id, "mz", "mz.social-assistance", endOf("2025-10-16").toEpochMilli(), status);
        return new Record<>("mz", o, 0L);
    }

    private Map<String, TimelyShareRate> punctuate() {
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(context.currentSystemTimeMs());
        Map<String, TimelyShareRate> out = new LinkedHashMap<>();
        context.forwarded().forEach(f -> out.put(f.record().key(), f.record().value()));
        context.resetForwards();
        return out;
    }

    @Test
    void ratesChangedBeforeARestartAreEmittedAfterIt() {
        TimelyShareRateProcessor first = started();
        first.process(outcome("A", ShareOutcomeStatus.TIMELY));
        first.process(outcome("B", ShareOutcomeStatus.OVERDUE));
        first.close(); // the task stops before its punctuation ran

        context = withStores(new MockProcessorContext<>());
        TimelyShareRateProcessor second = started();
        Map<String, TimelyShareRate> rates = punctuate();

        TimelyShareRate day = rates.get("mz/*/DAY/2025-10-16");
        assertThat(day.getDue()).isEqualTo(2);
        assertThat(day.getTimely()).isEqualTo(1);
        assertThat(day.getRate()).isEqualTo(0.5);
        assertThat(rates).containsKeys("mz/mz.social-assistance/DAY/2025-10-16", "mz/*/MONTH/2025-10");
        assertThat(punctuate())
                .as("sent once: only the rolling window may repeat, and it did not change")
                .isEmpty();
        second.close();
    }

    @Test
    void aChangedStatusMovesTheApplicationAndAWithdrawalRemovesIt() {
        TimelyShareRateProcessor p = started();
        p.process(outcome("A", ShareOutcomeStatus.OVERDUE));
        p.process(outcome("A", ShareOutcomeStatus.LATE));
        p.process(outcome("A", ShareOutcomeStatus.LATE)); // the same again
        p.process(outcome("B", ShareOutcomeStatus.OVERDUE));
        p.process(outcome("B", ShareOutcomeStatus.WITHDRAWN));
        TimelyShareRate day = punctuate().get("mz/*/DAY/2025-10-16");
        assertThat(day.getDue()).isEqualTo(1);
        assertThat(day.getLate()).isEqualTo(1);
        assertThat(day.getOverdue()).isZero();
        assertThat(day.getRate()).isEqualTo(0.0);
        assertThat(rated.approximateNumEntries()).isEqualTo(1);
    }

    private MockProcessorContext<String, TimelyShareRate> withStores(MockProcessorContext<String, TimelyShareRate> c) {
        c.addStateStore(rated);
        c.addStateStore(counts);
        c.setCurrentSystemTimeMs(context.currentSystemTimeMs());
        return c;
    }
}
