package city.heze.peony.streams.linkage;

import city.heze.peony.avro.linkage.LinkageEvidence;
import city.heze.peony.schemas.serde.PeonyAvroDeserializer;
import city.heze.peony.streams.topology.StreamsTopics;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Reads records of {@code shared.<catalog>} for a linkage topology: validation passed them on byte
 * for byte, so they are Confluent Avro of the catalog's schema and decode with the writer's schema
 * (cached per schema id, one registry call per id). One instance per processor: it keeps a decoder.
 *
 * <p>A value that does not decode was not written by validation (or the registry lost its schema);
 * it is skipped and counted by the caller, never allowed to stop the scenario.
 */
public final class SharedRecordReader {
    private final PeonyAvroDeserializer decoder;

    public SharedRecordReader(StreamsTopics topics) {
        this.decoder = topics.recordDeserializer();
    }

    /** The record, or null when {@code value} is null or not Avro of a registered schema. */
    public GenericRecord read(String topic, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return decoder.deserialize(topic, value) instanceof GenericRecord r ? r : null;
        } catch (SerializationException e) {
            return null;
        }
    }

    /** A string field as a {@code String} (Avro gives {@code Utf8}), or null when absent or null. */
    public static String text(GenericRecord record, String field) {
        Object v = record.hasField(field) ? record.get(field) : null;
        return v == null ? null : v.toString();
    }

    /** A {@code date} field as a {@link LocalDate}, or null. */
    public static LocalDate date(GenericRecord record, String field) {
        Object v = record.hasField(field) ? record.get(field) : null;
        if (v instanceof LocalDate d) {
            return d;
        }
        return v instanceof Integer days ? LocalDate.ofEpochDay(days) : null;
    }

    /** A {@code long} or {@code int} field, or null. */
    public static Long number(GenericRecord record, String field) {
        Object v = record.hasField(field) ? record.get(field) : null;
        return v instanceof Number n ? n.longValue() : null;
    }

    /** The catalog id of a {@code shared.<catalog>} topic. */
    public static String catalogOf(String sharedTopic) {
        return sharedTopic.startsWith("shared.") ? sharedTopic.substring("shared.".length()) : sharedTopic;
    }

    /** Evidence for the record being processed: its topic, partition, offset and key, with {@code fields}. */
    public static LinkageEvidence evidence(
            RecordMetadata metadata, byte[] key, long timestamp, Map<String, String> fields) {
        String topic = metadata.topic();
        return LinkageEvidence.newBuilder()
                .setCatalogId(catalogOf(topic))
                .setRecordKey(key == null ? "" : new String(key, StandardCharsets.UTF_8))
                .setTopic(topic)
                .setPartition(metadata.partition())
                .setOffset(metadata.offset())
                .setRecordTime(java.time.Instant.ofEpochMilli(timestamp))
                .setFields(Map.copyOf(fields))
                .build();
    }
}
