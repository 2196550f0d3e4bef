package city.heze.peony.streams.validation;

import city.heze.peony.avro.common.RejectionKind;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.Severity;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import city.heze.peony.schemas.serde.AvroWireFormat;
import city.heze.peony.schemas.serde.PeonyAvroDeserializer;
import city.heze.peony.streams.rules.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The hot path of validation: one raw record in, its original bytes out to {@code shared.<catalog>}
 * or a {@code Rejection} out to {@code peony.rejected}, never both, never neither.
 *
 * <p>Per record: one directory lookup, the schema id read from the header, a cached answer about
 * that id, one Avro decode into the catalog's schema, the compiled rules, a forward to a named
 * child, counter increments and an increment of this task's hour tally (in memory; the {@link
 * ScorecardTallyStore} writes it to its changelog at each commit, so the counts are exactly as
 * committed). Nothing is logged, compiled or asked of the registry per record.
 *
 * <p>Every {@code partialsInterval} of wall-clock time the task sends its changed hour tallies to
 * the scorecard aggregator ({@link QualityScorecards}); tallies are cumulative, so resending is
 * harmless, and after a restart every tally within the retention is sent again.
 */
final class RecordValidator implements Processor<byte[], byte[], byte[], byte[]> {

    /** What this processor knows about one raw topic. */
    private static final class TopicSlot {
        final String catalogId;
        CompiledCatalog lastCatalog;
        int lastSchemaId;
        WriterCheck lastCheck;

        TopicSlot(String topic) {
            this.catalogId = Topics.catalogOfRaw(topic);
        }
    }

    private final ValidationContext ctx;
    private final long retentionMs;
    private ProcessorContext<byte[], byte[]> context;
    private ScorecardTallyStore tallyStore;
    private PeonyAvroDeserializer decoder;
    private Rejections rejections;
    private WriterSchemas writerSchemas;
    private int partition;

    private final Map<String, TopicSlot> slots = new HashMap<>();
    private String lastTopic;
    private TopicSlot lastSlot;

    /** Tallies changed since the last partials were sent. */
    private final Set<String> changed = new HashSet<>();

    private CompiledCatalog lastTallyCatalog;
    private long lastTallyHour;
    private String lastTallyKey;
    private ScorecardCounts lastTally;
    /** Whether {@link #lastTallyKey} is already in {@link #changed}: saves a set insert per record. */
    private boolean lastTallyChanged;

    private boolean resendAll;
    private long lastCleanupMs;

    RecordValidator(ValidationContext ctx) {
        this.ctx = ctx;
        this.retentionMs = ctx.settings().scorecardRetention().toMillis();
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.tallyStore = context.getStateStore(ValidationTopology.TALLY_STORE);
        this.decoder = ctx.topics().recordDeserializer();
        this.rejections = new Rejections(ctx.topics().rejected.valueSerde().serializer());
        this.writerSchemas = new WriterSchemas(ctx.topics().registryClient());
        this.partition = context.taskId().partition();
        // A task may be initialised again after a failure: what was in memory may never have been committed.
        changed.clear();
        lastTallyCatalog = null;
        lastTally = null;
        resendAll = true;
        context.schedule(ctx.settings().partialsInterval(), PunctuationType.WALL_CLOCK_TIME, this::sendPartials);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        TopicSlot slot = slot(metadata.topic());
        CompiledCatalog catalog = ctx.directory().get(slot.catalogId);
        long now = context.currentSystemTimeMs();
        if (catalog == null) {
            rejectUnknownCatalog(record, metadata, slot, now);
            return;
        }
        catalog.meters().received();
        if (!catalog.usable()) {
            reject(record, metadata, catalog, PoisonPill.UNUSABLE_CATALOG, catalog.unusableReason(), null, now);
            return;
        }
        byte[] value = record.value();
        if (!AvroWireFormat.hasHeader(value)) {
            reject(record, metadata, catalog, PoisonPill.NOT_AVRO, notAvroReason(value), null, now);
            return;
        }
        int schemaId = AvroWireFormat.schemaIdOf(metadata.topic(), value);
        WriterCheck check = writerCheck(slot, catalog, schemaId, now);
        if (!check.accepted()) {
            reject(record, metadata, catalog, check.poisonPill(), check.reason(), schemaId, now);
            return;
        }
        GenericRecord decoded;
        try {
            decoded = (GenericRecord) decoder.deserialize(metadata.topic(), value, catalog.schema());
        } catch (SerializationException e) {
            SchemaRegistryException registry = WriterSchemas.registryFailure(e);
            if (registry != null && !WriterSchemas.isNotFound(e)) {
                throw new RegistryUnavailableException(
                        metadata.topic() + " partition " + metadata.partition() + " offset " + metadata.offset() + ": "
                                + e.getMessage(),
                        e);
            }
            reject(record, metadata, catalog, PoisonPill.UNDECODABLE, e.getMessage(), schemaId, now);
            return;
        }
        ValidationResult result = catalog.rules().evaluate(decoded);
        List<RuleFailure> warnings = result.warnings();
        ValidationMeters.CatalogMeters meters = catalog.meters();
        if (result.passed()) {
            context.forward(record, ValidationTopology.SHARED_SINK);
            meters.shared();
            for (int i = 0; i < warnings.size(); i++) {
                meters.ruleFailure(warnings.get(i).getRuleId(), Severity.WARNING);
            }
            ScorecardCounts counts = tally(catalog, record.timestamp());
            if (counts != null) {
                counts.countPassed(record.timestamp(), now, warnings.size());
                saveTally(counts);
            }
            return;
        }
        List<RuleFailure> blocking = result.blockingFailures();
        byte[] envelope = rejections.ruleFailed(
                source(metadata, record), catalog, result.allFailures(), schemaId, record.key(), value, now);
        context.forward(record.withValue(envelope), ValidationTopology.REJECTED_SINK);
        meters.rejected(RejectionKind.RULE_FAILED);
        List<String> failedRules = new ArrayList<>(blocking.size());
        for (int i = 0; i < blocking.size(); i++) {
            String ruleId = blocking.get(i).getRuleId();
            meters.ruleFailure(ruleId, Severity.BLOCKING);
            failedRules.add(ruleId);
        }
        for (int i = 0; i < warnings.size(); i++) {
            meters.ruleFailure(warnings.get(i).getRuleId(), Severity.WARNING);
        }
        ScorecardCounts counts = tally(catalog, record.timestamp());
        if (counts != null) {
            counts.countFailed(record.timestamp(), now, failedRules, warnings.size());
            saveTally(counts);
        }
    }

    private TopicSlot slot(String topic) {
        if (topic.equals(lastTopic)) {
            return lastSlot;
        }
        TopicSlot slot = slots.computeIfAbsent(topic, TopicSlot::new);
        lastTopic = topic;
        lastSlot = slot;
        return slot;
    }

    private WriterCheck writerCheck(TopicSlot slot, CompiledCatalog catalog, int schemaId, long now) {
        WriterCheck last = slot.lastCheck;
        if (last != null && slot.lastCatalog == catalog && slot.lastSchemaId == schemaId && !last.expired(now)) {
            return last;
        }
        WriterCheck check = writerSchemas.check(catalog, schemaId, now);
        slot.lastCatalog = catalog;
        slot.lastSchemaId = schemaId;
        slot.lastCheck = check;
        return check;
    }

    private void rejectUnknownCatalog(
            Record<byte[], byte[]> record, RecordMetadata metadata, TopicSlot slot, long now) {
        ValidationMeters.CatalogMeters unknown = ctx.meters().unknownCatalog();
        unknown.received();
        unknown.rejected(PoisonPill.NO_SUCH_CATALOG.kind());
        String reason = "topic " + metadata.topic() + " names catalog '" + slot.catalogId + "', which is not on "
                + Topics.CATALOG.name() + "; register the catalog (peony catalog register) and replay its rejected"
                + " records (peony dlq replay --catalog " + slot.catalogId + ")";
        Integer schemaId = AvroWireFormat.hasHeader(record.value())
                ? AvroWireFormat.schemaIdOf(metadata.topic(), record.value())
                : null;
        forwardPoison(record, metadata, slot.catalogId, null, PoisonPill.NO_SUCH_CATALOG, reason, schemaId, now);
    }

    /** Sends the record, in a {@code Rejection} envelope, to {@code peony.rejected}. */
    private void forwardPoison(
            Record<byte[], byte[]> record,
            RecordMetadata metadata,
            String catalogId,
            String department,
            PoisonPill pill,
            String reason,
            Integer schemaId,
            long now) {
        byte[] envelope = rejections.poison(
                source(metadata, record),
                catalogId,
                department,
                pill,
                reason,
                schemaId,
                record.key(),
                record.value(),
                now);
        context.forward(record.withValue(envelope), ValidationTopology.REJECTED_SINK);
    }

    private void reject(
            Record<byte[], byte[]> record,
            RecordMetadata metadata,
            CompiledCatalog catalog,
            PoisonPill pill,
            String reason,
            Integer schemaId,
            long now) {
        forwardPoison(record, metadata, catalog.catalogId(), catalog.department(), pill, reason, schemaId, now);
        catalog.meters().rejected(pill.kind());
        ScorecardCounts counts = tally(catalog, record.timestamp());
        if (counts != null) {
            counts.countFailed(record.timestamp(), now, List.of(pill.ruleId()), 0);
            saveTally(counts);
        }
    }

    private static Rejections.Source source(RecordMetadata metadata, Record<?, ?> record) {
        return new Rejections.Source(metadata.topic(), metadata.partition(), metadata.offset(), record.timestamp());
    }

    static String notAvroReason(byte[] value) {
        if (value == null) {
            return "the value is null (a tombstone); expected a record in Confluent's Avro wire format"
                    + " (magic byte 0, a 4-byte schema id, the Avro body)";
        }
        if (value.length < AvroWireFormat.HEADER_SIZE) {
            return "the value is " + value.length + " byte(s), shorter than the 5-byte header of Confluent's Avro wire"
                    + " format (magic byte 0 and a 4-byte schema id)";
        }
        return String.format(
                "the value starts with byte 0x%02x, not the magic byte 0x00 of Confluent's Avro wire format;"
                        + " expected a record written by a schema-registry Avro serializer",
                value[0] & 0xff);
    }

    /** The tally of the record's hour; null when the hour is older than the scorecards keep. */
    private ScorecardCounts tally(CompiledCatalog catalog, long recordTimestamp) {
        long hourStart = CityWindows.hourStart(recordTimestamp);
        if (catalog == lastTallyCatalog && hourStart == lastTallyHour && lastTally != null) {
            return lastTally;
        }
        if (expired(hourStart, context.currentSystemTimeMs())) {
            return null;
        }
        String key = tallyKey(catalog.catalogId(), hourStart);
        ScorecardCounts counts = tallyStore.get(key, catalog.department());
        counts.department(catalog.department());
        lastTallyCatalog = catalog;
        lastTallyHour = hourStart;
        lastTallyKey = key;
        lastTally = counts;
        lastTallyChanged = false;
        return counts;
    }

    private void saveTally(ScorecardCounts counts) {
        tallyStore.changed(lastTallyKey);
        if (!lastTallyChanged) {
            changed.add(lastTallyKey);
            lastTallyChanged = true;
        }
    }

    private boolean expired(long hourStart, long now) {
        return hourStart + CityWindows.HOUR_MS <= now - retentionMs;
    }

    /** Sends the changed tallies to the aggregator; drops tallies past the retention once an hour. */
    private void sendPartials(long now) {
        if (resendAll || now - lastCleanupMs >= CityWindows.HOUR_MS) {
            for (String key : tallyStore.keys()) {
                if (expired(hourOfKey(key), now)) {
                    tallyStore.delete(key);
                    changed.remove(key);
                } else if (resendAll) {
                    changed.add(key);
                }
            }
            lastTallyCatalog = null;
            lastTally = null;
            resendAll = false;
            lastCleanupMs = now;
        }
        for (String key : changed) {
            String catalogId = catalogOfKey(key);
            ScorecardPartial partial =
                    new ScorecardPartial(catalogId, partition, hourOfKey(key), tallyStore.get(key, null));
            context.forward(
                    new Record<>(catalogId.getBytes(StandardCharsets.UTF_8), partial.toBytes(), now),
                    ValidationTopology.PARTIALS);
        }
        changed.clear();
        lastTallyChanged = false;
    }

    /** {@code <catalog>|<hour start, 15 digits>}: sorts by catalog, then hour. */
    static String tallyKey(String catalogId, long hourStart) {
        return catalogId + '|' + String.format("%015d", hourStart);
    }

    static String catalogOfKey(String key) {
        return key.substring(0, key.lastIndexOf('|'));
    }

    static long hourOfKey(String key) {
        return Long.parseLong(key.substring(key.lastIndexOf('|') + 1));
    }

    @Override
    public void close() {
        if (decoder != null) {
            decoder.close();
        }
    }
}
