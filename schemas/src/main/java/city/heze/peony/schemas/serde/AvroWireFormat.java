package city.heze.peony.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format for Avro records: magic byte 0, the schema id as 4 bytes big-endian,
 * then the Avro binary encoding. Reading the id needs no registry and no decoding, so a topology
 * can route or reject a record by its schema id cheaply.
 */
public final class AvroWireFormat {
    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    private AvroWireFormat() {}

    /**
     * The schema id of a payload, without decoding it.
     *
     * @param topic named in the error, so that a bad record can be traced
     * @throws SerializationException when the payload is too short or lacks the magic byte
     */
    public static int schemaIdOf(String topic, byte[] payload) {
        if (payload == null || payload.length < HEADER_SIZE) {
            throw new SerializationException(
                    "Cannot read a record of topic '" + topic + "': the payload is "
                            + (payload == null ? "null" : payload.length + " bytes")
                            + ", shorter than the 5-byte header (magic byte 0 and a 4-byte schema id) of Confluent's wire format");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Cannot read a record of topic '%s': unknown magic byte 0x%02x (expected 0x00); the payload"
                            + " was not written by a schema-registry Avro serializer",
                    topic, payload[0] & 0xff));
        }
        return ((payload[1] & 0xff) << 24)
                | ((payload[2] & 0xff) << 16)
                | ((payload[3] & 0xff) << 8)
                | (payload[4] & 0xff);
    }

    /** Whether the payload starts like Confluent's wire format (long enough, magic byte 0). */
    public static boolean hasHeader(byte[] payload) {
        return payload != null && payload.length >= HEADER_SIZE && payload[0] == MAGIC_BYTE;
    }

    /** Writes the header for {@code schemaId} into the first 5 bytes of {@code target}. */
    public static void writeHeader(int schemaId, byte[] target) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }
}
