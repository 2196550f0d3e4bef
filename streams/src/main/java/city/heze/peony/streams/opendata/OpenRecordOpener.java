package city.heze.peony.streams.opendata;

import city.heze.peony.avro.OpenWithheld;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.RegistryErrors;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import city.heze.peony.schemas.serde.AvroWireFormat;
import city.heze.peony.schemas.serde.PeonyAvroDeserializer;
import io.micrometer.core.instrument.Counter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The hot path of open data: one shared record in; for an OPEN catalog, its masked record out to
 * {@code open.<catalog>} or an {@link OpenWithheld} out to {@code peony.open.withheld}, never both,
 * and in either case its outcome to the rate counter. Records of other catalogs are skipped and
 * counted: they are not due to be opened.
 *
 * <p>Per record: one directory lookup, one Avro decode into the catalog's schema, the masking, the
 * checks, one Avro encode into a reused buffer, a forward. The open schema is registered once per
 * catalog version (the first record of it); nothing is logged per record.
 */
final class OpenRecordOpener implements Processor<byte[], byte[], byte[], byte[]> {
    private static final String NOT_OPEN = "not-open";
    private static final String UNKNOWN_CATALOG = "unknown-catalog";

    /** What this task keeps per catalog version: the writer and the counters. */
    private static final class Slot {
        final OpenCatalog catalog;
        final GenericDatumWriter<GenericRecord> writer;
        final Counter opened;
        final Counter withheld;
        final byte[] department;

        Slot(OpenCatalog catalog, OpenMeters meters) {
            this.catalog = catalog;
            this.writer = catalog.openSchema() == null ? null : new GenericDatumWriter<>(catalog.openSchema());
            this.opened = meters.records(catalog.department(), catalog.catalogId(), true);
            this.withheld = meters.records(catalog.department(), catalog.catalogId(), false);
            this.department =
                    (catalog.department() == null ? "unknown" : catalog.department()).getBytes(StandardCharsets.UTF_8);
        }
    }

    private final OpenDataContext ctx;
    private final RecordOpening opening = new RecordOpening();
    private final Map<String, String> catalogByTopic = new HashMap<>();
    private final Map<String, Slot> slots = new HashMap<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private BinaryEncoder encoder;
    private ProcessorContext<byte[], byte[]> context;
    private PeonyAvroDeserializer decoder;
    private Serializer<OpenWithheld> withheldSerializer;

    OpenRecordOpener(OpenDataContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.decoder = ctx.topics().recordDeserializer();
        this.withheldSerializer = ctx.topics().openWithheld.valueSerde().serializer();
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        String topic = metadata.topic();
        String catalogId = catalogByTopic.computeIfAbsent(topic, Topics::catalogOfShared);
        OpenCatalog catalog = ctx.catalogs().get(catalogId);
        if (catalog == null) {
            ctx.meters().skipped(UNKNOWN_CATALOG);
            return;
        }
        if (!catalog.isOpen()) {
            ctx.meters().skipped(NOT_OPEN);
            return;
        }
        Slot slot = slots.get(catalogId);
        if (slot == null || slot.catalog != catalog) {
            slot = new Slot(catalog, ctx.meters());
            slots.put(catalogId, slot);
        }
        if (catalog.usable()) {
            ensureRegistered(catalog);
        }
        if (!catalog.usable()) {
            withhold(
                    record,
                    metadata,
                    slot,
                    OpenChecks.add(null, OpenChecks.UNUSABLE_CATALOG, null, catalog.unusableReason()));
            return;
        }
        GenericRecord decoded;
        try {
            decoded = (GenericRecord) decoder.deserialize(topic, record.value(), catalog.schema());
        } catch (SerializationException e) {
            if (e.getCause() instanceof SchemaRegistryException registry
                    && registry.errorCode() != RegistryErrors.SCHEMA_NOT_FOUND) {
                // The registry did not answer: fail, and the record is tried again by a new thread.
                throw e;
            }
            withhold(
                    record,
                    metadata,
                    slot,
                    OpenChecks.add(
                            null,
                            OpenChecks.UNDECODABLE,
                            null,
                            "the shared record cannot be read as catalog " + catalogId + ": " + e.getMessage()));
            return;
        } catch (ClassCastException e) {
            withhold(
                    record,
                    metadata,
                    slot,
                    OpenChecks.add(
                            null,
                            OpenChecks.UNDECODABLE,
                            null,
                            "the shared record is not an Avro record of catalog " + catalogId));
            return;
        }
        RecordOpening.Result result;
        try {
            result = opening.open(catalog, decoded);
        } catch (RuntimeException e) {
            // A value the masking did not expect: withheld (never opened unchecked) rather than a
            // thread that fails on the same record again and again.
            withhold(
                    record,
                    metadata,
                    slot,
                    OpenChecks.add(
                            null,
                            OpenChecks.PROCESSING_ERROR,
                            null,
                            "masking or checking failed (" + e.getClass().getSimpleName()
                                    + "); the record is withheld"));
            return;
        }
        if (!result.opened()) {
            withhold(record, metadata, slot, result.reasons());
            return;
        }
        byte[] value = encode(slot, result.open());
        context.forward(
                record.withKey(catalog.keyOpened() ? record.key() : null).withValue(value), OpenDataTopology.OPEN_SINK);
        slot.opened.increment();
        outcome(slot, record.timestamp(), true);
    }

    private void ensureRegistered(OpenCatalog catalog) {
        if (catalog.openSchemaId() >= 0) {
            return;
        }
        try {
            catalog.registered(ctx.topics()
                    .registryClient()
                    .register(Topics.openValueSubject(catalog.catalogId()), catalog.openSchema()));
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == RegistryErrors.INCOMPATIBLE_SCHEMA || e.errorCode() == RegistryErrors.INVALID_SCHEMA) {
                catalog.refused(e.getMessage());
            } else {
                throw e;
            }
        }
    }

    private byte[] encode(Slot slot, GenericRecord open) {
        buffer.reset();
        int id = slot.catalog.openSchemaId();
        buffer.write(AvroWireFormat.MAGIC_BYTE);
        buffer.write(id >>> 24);
        buffer.write(id >>> 16);
        buffer.write(id >>> 8);
        buffer.write(id);
        encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
        try {
            slot.writer.write(open, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private void withhold(
            Record<byte[], byte[]> record, RecordMetadata metadata, Slot slot, List<RuleFailure> reasons) {
        OpenCatalog catalog = slot.catalog;
        OpenWithheld envelope = new OpenWithheld(
                metadata.topic(),
                metadata.partition(),
                metadata.offset(),
                Instant.ofEpochMilli(record.timestamp()),
                catalog.catalogId(),
                catalog.department(),
                reasons,
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
        byte[] value = withheldSerializer.serialize(Topics.OPEN_WITHHELD.name(), envelope);
        context.forward(
                record.withKey(catalog.catalogId().getBytes(StandardCharsets.UTF_8))
                        .withValue(value),
                OpenDataTopology.WITHHELD_SINK);
        slot.withheld.increment();
        for (int i = 0; i < reasons.size(); i++) {
            ctx.meters().failedCheck(reasons.get(i).getRuleId());
        }
        outcome(slot, record.timestamp(), false);
    }

    private void outcome(Slot slot, long timestamp, boolean opened) {
        OpenOutcome outcome = new OpenOutcome(slot.catalog.department(), slot.catalog.catalogId(), timestamp, opened);
        context.forward(new Record<>(slot.department, outcome.toBytes(), timestamp), OpenDataTopology.OUTCOMES);
    }

    @Override
    public void close() {
        if (decoder != null) {
            decoder.close();
        }
    }
}
