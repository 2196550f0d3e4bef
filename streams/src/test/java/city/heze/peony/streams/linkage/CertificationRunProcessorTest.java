package city.heze.peony.streams.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.linkage.CertificationRun;
import city.heze.peony.avro.linkage.CertificationStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The run counter alone on its store: the status gauges are right after a restart (the new task adds
 * what its store holds, the closed one took its share away), and counts that reach zero leave.
 */
class CertificationRunProcessorTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private MockProcessorContext<String, CertificationRun> context;
    private KeyValueStore<String, CertificationRunCounts> counts;

    @BeforeEach
    void store() {
        context = new MockProcessorContext<>();
        counts = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(PensionCertificationTopology.RUN_COUNTS_STORE),
                        Serdes.String(),
                        CertificationRunCounts.serde())
                .withLoggingDisabled()
                .build();
        counts.init(context.getStateStoreContext(), counts);
        context.addStateStore(counts);
        context.setCurrentSystemTimeMs(5_000L);
    }

    @AfterEach
    void close() {
        counts.close();
    }

    private CertificationRunProcessor started(CertificationMeters meters) {
        CertificationRunProcessor p = new CertificationRunProcessor(meters);
        p.init(context);
        return p;
    }

    private static Record<String, CertificationRunChange> change(String run, CertificationStatus s, int delta) {
        return new Record<>(run, new CertificationRunChange(s, delta), 1_000L);
    }

    @Test
    void theGaugesAreRightAfterARestart() {
        CertificationMeters first = new CertificationMeters(registry);
        CertificationRunProcessor p = started(first);
        p.process(change("2026-03|371702", CertificationStatus.CERTIFIED, 1));
        p.process(change("2026-03|371702", CertificationStatus.CERTIFIED, 1));
        p.process(change("2026-03|371721", CertificationStatus.SUSPEND, 1));
        p.process(change("2026-04|371721", CertificationStatus.NEEDS_VISIT, 1));
        assertThat(registry.get(CertificationMeters.CERTIFICATION)
                        .tag("status", "certified")
                        .gauge()
                        .value())
                .isEqualTo(2);
        p.close();
        assertThat(first.pensioners(CertificationStatus.CERTIFIED))
                .as("the task took its share away")
                .isZero();
        first.close();

        // The application starts again on the same registry and the same (restored) store.
        CertificationMeters second = new CertificationMeters(registry);
        CertificationRunProcessor again = started(second);
        assertThat(registry.get(CertificationMeters.CERTIFICATION)
                        .tag("status", "certified")
                        .gauge()
                        .value())
                .isEqualTo(2);
        assertThat(registry.get(CertificationMeters.CERTIFICATION)
                        .tag("status", "suspend")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.get(CertificationMeters.CERTIFICATION)
                        .tag("status", "needs_visit")
                        .gauge()
                        .value())
                .isEqualTo(1);
        context.resetForwards();

        again.process(change("2026-03|371702", CertificationStatus.CERTIFIED, -1));
        CertificationRun run = context.forwarded().get(0).record().value();
        assertThat(run.getCertified()).as("counted on from the stored counts").isEqualTo(1);
        assertThat(run.getPensioners()).isEqualTo(1);
        assertThat(second.pensioners(CertificationStatus.CERTIFIED)).isEqualTo(1);
        again.close();
        second.close();
    }

    @Test
    void aRunWhoseLastPensionerLeftIsATombstone() {
        CertificationMeters meters = new CertificationMeters(registry);
        CertificationRunProcessor p = started(meters);
        p.process(change("2026-03|371702", CertificationStatus.NEEDS_VISIT, 1));
        p.process(change("2026-03|371702", CertificationStatus.NEEDS_VISIT, -1));
        assertThat(context.forwarded()).hasSize(2);
        assertThat(context.forwarded().get(1).record().key()).isEqualTo("2026-03|371702");
        assertThat(context.forwarded().get(1).record().value()).isNull();
        assertThat(counts.approximateNumEntries()).isZero();
        p.close();
        meters.close();
    }
}
