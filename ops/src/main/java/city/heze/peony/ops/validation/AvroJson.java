package city.heze.peony.ops.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * A decoded Avro value as JSON a person can read: dates as {@code yyyy-MM-dd}, timestamps as ISO
 * instants, decimals as numbers, bytes as base64 — rather than the epoch days, milliseconds and raw
 * bytes Avro's own {@code toString} shows.
 */
final class AvroJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroJson() {}

    static JsonNode of(Object datum, Schema schema) {
        if (datum == null) {
            return NODES.nullNode();
        }
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case UNION:
                return of(datum, schema.getTypes().get(GenericData.get().resolveUnion(schema, datum)));
            case RECORD:
                ObjectNode object = NODES.objectNode();
                GenericRecord record = (GenericRecord) datum;
                for (Schema.Field field : schema.getFields()) {
                    object.set(field.name(), of(record.get(field.pos()), field.schema()));
                }
                return object;
            case ARRAY:
                ArrayNode array = NODES.arrayNode();
                for (Object item : (Collection<?>) datum) {
                    array.add(of(item, schema.getElementType()));
                }
                return array;
            case MAP:
                ObjectNode map = NODES.objectNode();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) datum).entrySet()) {
                    map.set(e.getKey().toString(), of(e.getValue(), schema.getValueType()));
                }
                return map;
            case INT:
                if (logical instanceof LogicalTypes.Date) {
                    return NODES.textNode(
                            LocalDate.ofEpochDay(((Number) datum).longValue()).toString());
                }
                return NODES.numberNode(((Number) datum).intValue());
            case LONG:
                if (logical instanceof LogicalTypes.TimestampMillis) {
                    return NODES.textNode(
                            Instant.ofEpochMilli(((Number) datum).longValue()).toString());
                }
                return NODES.numberNode(((Number) datum).longValue());
            case FLOAT:
            case DOUBLE:
                return NODES.numberNode(((Number) datum).doubleValue());
            case BOOLEAN:
                return NODES.booleanNode((Boolean) datum);
            case BYTES:
                return bytes(((ByteBuffer) datum).duplicate(), logical);
            case FIXED:
                return bytes(ByteBuffer.wrap(((GenericFixed) datum).bytes()), logical);
            default:
                return NODES.textNode(datum.toString());
        }
    }

    private static JsonNode bytes(ByteBuffer buffer, LogicalType logical) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return NODES.numberNode(new BigDecimal(new BigInteger(bytes), decimal.getScale()));
        }
        return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    }
}
