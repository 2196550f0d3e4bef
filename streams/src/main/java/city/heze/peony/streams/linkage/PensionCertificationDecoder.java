package city.heze.peony.streams.linkage;

import city.heze.peony.streams.linkage.CertificationFact.Kind;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Reads one catalog's shared records (bytes, keyed by record key) and passes each on as a {@link
 * CertificationFact} keyed by resident ID, on its way to the resident's task.
 *
 * <p>The catalog's partition is the one place that sees every version of a record key in order, so
 * it remembers which resident each key last named ({@link PensionCertificationTopology#OWNERS_STORE}).
 * When a later version names another resident, or a tombstone removes the record, the resident it
 * named before gets a withdrawal: "latest per record key" then holds across residents too (a death
 * registered against the wrong resident and corrected no longer suspends the first one).
 *
 * <p>A record that does not decode, or lacks what the certification needs, is skipped and counted
 * with its reason; it never stops the scenario.
 */
final class PensionCertificationDecoder implements Processor<byte[], byte[], String, CertificationFact> {
    static final String UNDECODABLE = "undecodable";
    static final String NO_KEY = "no-record-key";
    static final String NO_RESIDENT_ID = "no-resident-id";
    static final String MISSING_FIELD = "missing-field";
    static final String BAD_REGION_CODE = "bad-region-code";

    private final LinkageContext linkage;
    private final CertificationMeters meters;
    private final Kind kind;
    private final String catalog;
    private final String ownerPrefix;

    private ProcessorContext<String, CertificationFact> context;
    private SharedRecordReader reader;
    private KeyValueStore<String, String> owners;
    private Counter inputs;

    PensionCertificationDecoder(LinkageContext linkage, CertificationMeters meters, String catalog, Kind kind) {
        this.linkage = linkage;
        this.meters = meters;
        this.catalog = catalog;
        this.kind = kind;
        this.ownerPrefix = kind.code + "\0";
    }

    @Override
    public void init(ProcessorContext<String, CertificationFact> context) {
        this.context = context;
        this.reader = new SharedRecordReader(linkage.topics());
        this.owners = context.getStateStore(PensionCertificationTopology.OWNERS_STORE);
        this.inputs = meters.inputs(catalog);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        inputs.increment();
        if (record.key() == null) {
            meters.skipped(catalog, NO_KEY);
            return;
        }
        String recordKey = new String(record.key(), StandardCharsets.UTF_8);
        String ownerKey = ownerPrefix + recordKey;
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        if (record.value() == null) {
            // A tombstone on the compacted shared topic: the record is gone.
            String owner = owners.delete(ownerKey);
            if (owner != null) {
                context.forward(withdrawal(record, owner, recordKey));
            }
            return;
        }
        GenericRecord value = reader.read(metadata.topic(), record.value());
        if (value == null) {
            meters.skipped(catalog, UNDECODABLE);
            return;
        }
        String residentId = SharedRecordReader.text(value, "residentId");
        if (residentId == null || residentId.isBlank()) {
            meters.skipped(catalog, NO_RESIDENT_ID);
            return;
        }
        CertificationFact fact = fact(value, residentId, recordKey, metadata, record.timestamp());
        if (fact == null) {
            return; // counted by fact()
        }
        String owner = owners.get(ownerKey);
        if (owner != null && !owner.equals(residentId)) {
            context.forward(withdrawal(record, owner, recordKey));
        }
        if (!residentId.equals(owner)) {
            owners.put(ownerKey, residentId);
        }
        context.forward(new Record<>(residentId, fact, record.timestamp()));
    }

    private Record<String, CertificationFact> withdrawal(Record<byte[], byte[]> record, String owner, String key) {
        return new Record<>(owner, CertificationFact.withdrawal(kind, owner, key), record.timestamp());
    }

    private CertificationFact fact(
            GenericRecord value, String residentId, String recordKey, RecordMetadata metadata, long timestamp) {
        long time;
        String name = null;
        String regionCode = null;
        String status = null;
        String detail;
        switch (kind) {
            case PENSION -> {
                Long updatedAt = millis(value, "updatedAt");
                name = SharedRecordReader.text(value, "name");
                regionCode = SharedRecordReader.text(value, "regionCode");
                status = SharedRecordReader.text(value, "status");
                if (updatedAt == null || name == null || regionCode == null || status == null) {
                    meters.skipped(catalog, MISSING_FIELD);
                    return null;
                }
                if (regionCode.length() < 6) {
                    meters.skipped(catalog, BAD_REGION_CODE);
                    return null;
                }
                time = updatedAt;
                detail = null;
            }
            case DEATH -> {
                LocalDate deathDate = SharedRecordReader.date(value, "deathDate");
                detail = SharedRecordReader.text(value, "certificateNo");
                if (deathDate == null) {
                    meters.skipped(catalog, MISSING_FIELD);
                    return null;
                }
                time = deathDate.toEpochDay();
            }
            case SETTLEMENT -> {
                Long settledAt = millis(value, "settledAt");
                detail = SharedRecordReader.text(value, "institutionCreditCode");
                if (settledAt == null) {
                    meters.skipped(catalog, MISSING_FIELD);
                    return null;
                }
                time = settledAt;
            }
            default -> throw new IllegalStateException("no fact kind " + kind);
        }
        return new CertificationFact(
                kind,
                false,
                residentId,
                recordKey,
                metadata.topic(),
                metadata.partition(),
                metadata.offset(),
                timestamp,
                time,
                name,
                regionCode,
                status,
                detail == null ? "" : detail);
    }

    /** A timestamp-millis field: an {@link Instant} when decoded with conversions, else a number. */
    static Long millis(GenericRecord record, String field) {
        Object v = record.hasField(field) ? record.get(field) : null;
        if (v instanceof Instant i) {
            return i.toEpochMilli();
        }
        return v instanceof Number n ? n.longValue() : null;
    }
}
