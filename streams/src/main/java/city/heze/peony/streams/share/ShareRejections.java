package city.heze.peony.streams.share;

import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.Severity;
import city.heze.peony.schemas.serde.AvroWireFormat;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds the {@code peony.rejected} envelope of a share request or decision that cannot be accepted. */
final class ShareRejections {
    private ShareRejections() {}

    /**
     * @param source where the record was read
     * @param recordTimestamp its timestamp
     * @param key its key bytes, as read
     * @param value its value bytes, as read (kept so that it can be fixed and replayed)
     * @param catalogId the catalog, when known
     * @param department the provider department, when known
     */
    static Rejection of(
            RecordMetadata source,
            long recordTimestamp,
            byte[] key,
            byte[] value,
            InvalidShareEvent why,
            String catalogId,
            String department,
            long now) {
        return of(
                source.topic(),
                source.partition(),
                source.offset(),
                recordTimestamp,
                key,
                value,
                why,
                catalogId,
                department,
                now);
    }

    /** The same for a record read earlier (a decision that waited for its request). */
    static Rejection of(
            String topic,
            int partition,
            long offset,
            long recordTimestamp,
            byte[] key,
            byte[] value,
            InvalidShareEvent why,
            String catalogId,
            String department,
            long now) {
        Integer schemaId = AvroWireFormat.hasHeader(value) ? AvroWireFormat.schemaIdOf(topic, value) : null;
        return new Rejection(
                topic,
                partition,
                offset,
                Instant.ofEpochMilli(recordTimestamp),
                catalogId,
                department,
                why.kind(),
                List.of(new RuleFailure(why.ruleId(), why.field(), Severity.BLOCKING, why.reason())),
                schemaId,
                key == null ? null : ByteBuffer.wrap(key),
                value == null ? null : ByteBuffer.wrap(value),
                Instant.ofEpochMilli(now));
    }
}
