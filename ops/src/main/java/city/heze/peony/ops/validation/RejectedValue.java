package city.heze.peony.ops.validation;

import city.heze.peony.schemas.serde.AvroWireFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A rejected record's original key or value as a person can read it: the value decoded with its
 * writer's schema as JSON when it is Confluent Avro the registry knows, otherwise base64 and why it
 * could not be decoded.
 */
record RejectedValue(JsonNode json, String base64, String undecodedBecause) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static RejectedValue of(ByteBuffer buffer, Deserializer<Object> values, String topic) {
        if (buffer == null) {
            return new RejectedValue(null, null, "no value (a tombstone)");
        }
        byte[] bytes = bytes(buffer);
        String base64 = Base64.getEncoder().encodeToString(bytes);
        if (!AvroWireFormat.hasHeader(bytes)) {
            return new RejectedValue(null, base64, "not Confluent Avro (no magic byte 0 and schema id)");
        }
        Object decoded;
        try {
            decoded = values.deserialize(topic, bytes);
        } catch (RuntimeException e) {
            return new RejectedValue(null, base64, e.getMessage());
        }
        if (decoded instanceof GenericContainer container) {
            return new RejectedValue(AvroJson.of(decoded, container.getSchema()), null, null);
        }
        return new RejectedValue(JSON.getNodeFactory().textNode(String.valueOf(decoded)), null, null);
    }

    /** A key as text when it is printable UTF-8, else base64 (prefixed so that the two cannot be confused). */
    static String key(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = bytes(buffer);
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            if (text.codePoints().noneMatch(Character::isISOControl)) {
                return text;
            }
        } catch (CharacterCodingException e) {
            // not text: base64 below
        }
        return "base64:" + Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    String text() {
        if (json != null) {
            return json.toString();
        }
        return base64 == null ? "(none: " + undecodedBecause + ")" : "base64 " + base64 + " (" + undecodedBecause + ")";
    }
}
