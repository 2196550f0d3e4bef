package city.heze.peony.streams.validation;

import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.common.RejectionKind;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.Severity;
import city.heze.peony.schemas.Topics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Builds the dead-letter envelopes of {@code peony.rejected}: where the record came from, why it
 * was rejected, and its original key and value bytes (wrapped, not copied), serialized at once
 * with the topology's registry client.
 */
final class Rejections {
    private final Serializer<Rejection> serializer;

    Rejections(Serializer<Rejection> serializer) {
        this.serializer = serializer;
    }

    /** Where a rejected record was read. */
    record Source(String topic, int partition, long offset, long timestamp) {}

    /** A record that failed blocking rules: every failure, blocking first, then warnings. */
    byte[] ruleFailed(
            Source source,
            CompiledCatalog catalog,
            List<RuleFailure> failures,
            int schemaId,
            byte[] key,
            byte[] value,
            long nowMs) {
        return serialize(new Rejection(
                source.topic(),
                source.partition(),
                source.offset(),
                Instant.ofEpochMilli(source.timestamp()),
                catalog.catalogId(),
                catalog.department(),
                RejectionKind.RULE_FAILED,
                failures,
                schemaId,
                wrap(key),
                wrap(value),
                Instant.ofEpochMilli(nowMs)));
    }

    /** A record that never reached the rules, with its poison pill's rule id and the reason. */
    byte[] poison(
            Source source,
            String catalogId,
            String department,
            PoisonPill pill,
            String reason,
            Integer schemaId,
            byte[] key,
            byte[] value,
            long nowMs) {
        return serialize(envelope(
                source, catalogId, department, pill.kind(), pill.ruleId(), reason, schemaId, key, value, nowMs));
    }

    static Rejection envelope(
            Source source,
            String catalogId,
            String department,
            RejectionKind kind,
            String ruleId,
            String reason,
            Integer schemaId,
            byte[] key,
            byte[] value,
            long nowMs) {
        return new Rejection(
                source.topic(),
                source.partition(),
                source.offset(),
                Instant.ofEpochMilli(source.timestamp()),
                catalogId,
                department,
                kind,
                List.of(new RuleFailure(ruleId, null, Severity.BLOCKING, reason)),
                schemaId,
                wrap(key),
                wrap(value),
                Instant.ofEpochMilli(nowMs));
    }

    private byte[] serialize(Rejection rejection) {
        return serializer.serialize(Topics.REJECTED.name(), rejection);
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes);
    }
}
