package city.heze.peony.streams.linkage;

import city.heze.peony.streams.linkage.ReviewFact.Evidence;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Reads one shared catalog: decodes each record, finds whom it is about and forwards its fact keyed
 * by that subject (a resident ID, or a credit code for the business catalogs).
 *
 * <p>The latest record per key wins, so the processor remembers the subject each record key was last
 * sent to ({@code record key -> subject}, in its store, local because the source is partitioned by
 * record key): a record naming another subject (a vehicle sold to someone else) retracts the fact
 * from the previous one, and a tombstone retracts it outright. A record without a subject retracts
 * too (the latest record names nobody), and is counted as skipped. An undecodable record is skipped
 * and counted, and changes nothing: it is not known what it would have said.
 */
final class FactExtractor implements Processor<byte[], byte[], String, ReviewFact> {
    private final ReviewSource source;
    private final String storeName;
    private final ReviewMeters meters;
    private final SharedRecordReader reader;
    private ProcessorContext<String, ReviewFact> context;
    private KeyValueStore<String, String> subjects;

    FactExtractor(ReviewSource source, String storeName, SharedRecordReader reader, ReviewMeters meters) {
        this.source = source;
        this.storeName = storeName;
        this.reader = reader;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, ReviewFact> context) {
        this.context = context;
        this.subjects = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        meters.input(source.catalogId);
        if (record.key() == null) {
            // Without a key there is no "latest record per key" to replace or retract.
            meters.skipped(source.catalogId, "no-key");
            return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        String previous = subjects.get(key);
        if (record.value() == null) {
            retract(record, previous, key);
            return;
        }
        GenericRecord value = reader.read(metadata.topic(), record.value());
        if (value == null) {
            meters.skipped(source.catalogId, "undecodable");
            return;
        }
        String subject = source.subjectOf(value);
        if (subject == null) {
            meters.skipped(source.catalogId, source.missingSubjectReason());
            retract(record, previous, key);
            return;
        }
        if (previous != null && !previous.equals(subject)) {
            context.forward(record.withKey(previous).withValue(ReviewFact.retraction(source.kind, key)));
        }
        if (!subject.equals(previous)) {
            subjects.put(key, subject);
        }
        TreeMap<String, String> fields = new TreeMap<>();
        source.fields(value, fields);
        Evidence evidence = new Evidence(
                source.catalogId,
                key,
                metadata.topic(),
                metadata.partition(),
                metadata.offset(),
                record.timestamp(),
                fields);
        context.forward(record.withKey(subject).withValue(source.fact(value, key, evidence)));
    }

    private void retract(Record<byte[], byte[]> record, String previous, String key) {
        if (previous != null) {
            subjects.delete(key);
            context.forward(record.withKey(previous).withValue(ReviewFact.retraction(source.kind, key)));
        }
    }
}
