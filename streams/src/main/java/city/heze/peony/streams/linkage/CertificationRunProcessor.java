package city.heze.peony.streams.linkage;

import city.heze.peony.avro.linkage.CertificationRun;
import city.heze.peony.avro.linkage.CertificationStatus;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts the monthly certification runs: changes arrive keyed {@code yyyy-MM|district} (so one
 * district's counts live in one task), each moves one pensioner into or out of a status, and the
 * run's new counts are written at once; a run whose last pensioner left it becomes a tombstone.
 *
 * <p>The status gauges mirror these counts: a task adds its stored counts when it starts and takes
 * them away when it stops, so the gauges are right after a restart and after a rebalance.
 */
final class CertificationRunProcessor implements Processor<String, CertificationRunChange, String, CertificationRun> {
    private static final CertificationStatus[] COUNTED = {
        CertificationStatus.SUSPEND, CertificationStatus.CERTIFIED, CertificationStatus.NEEDS_VISIT
    };

    private final CertificationMeters meters;
    private ProcessorContext<String, CertificationRun> context;
    private KeyValueStore<String, CertificationRunCounts> counts;

    CertificationRunProcessor(CertificationMeters meters) {
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, CertificationRun> context) {
        this.context = context;
        this.counts = context.getStateStore(PensionCertificationTopology.RUN_COUNTS_STORE);
        mirror(1);
    }

    @Override
    public void process(Record<String, CertificationRunChange> record) {
        CertificationRunChange change = record.value();
        if (change == null || record.key() == null) {
            return;
        }
        CertificationRunCounts current = counts.get(record.key());
        if (current == null) {
            current = CertificationRunCounts.empty(record.key());
        }
        CertificationRunCounts next = current.plus(change.status(), change.delta(), record.timestamp());
        meters.pensioners(change.status(), change.delta());
        if (next.pensioners() == 0) {
            // The run's last pensioner left it (a status moved on, a pension stopped): the run is
            // gone, not "a run of nobody", so that whether an empty run appears does not depend on
            // the order the records came in.
            counts.delete(record.key());
            context.forward(new Record<>(record.key(), null, record.timestamp()));
        } else {
            counts.put(record.key(), next);
            context.forward(new Record<>(record.key(), next.toRun(), record.timestamp()));
        }
        meters.output(context.currentSystemTimeMs(), record.timestamp());
    }

    @Override
    public void close() {
        mirror(-1);
    }

    /** Adds ({@code sign} 1) or takes away (-1) this task's counts to or from the status gauges. */
    private void mirror(int sign) {
        try (KeyValueIterator<String, CertificationRunCounts> all = counts.all()) {
            while (all.hasNext()) {
                KeyValue<String, CertificationRunCounts> e = all.next();
                for (CertificationStatus s : COUNTED) {
                    meters.pensioners(s, sign * e.value.count(s));
                }
            }
        }
    }
}
