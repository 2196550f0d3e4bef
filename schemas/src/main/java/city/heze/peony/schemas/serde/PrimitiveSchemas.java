package city.heze.peony.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.avro.Schema;

/** The Avro schema of a Java value that is an Avro primitive, as Confluent's serializers accept them. */
final class PrimitiveSchemas {
    private static final Schema STRING = Schema.create(Schema.Type.STRING);
    private static final Schema INT = Schema.create(Schema.Type.INT);
    private static final Schema LONG = Schema.create(Schema.Type.LONG);
    private static final Schema FLOAT = Schema.create(Schema.Type.FLOAT);
    private static final Schema DOUBLE = Schema.create(Schema.Type.DOUBLE);
    private static final Schema BOOLEAN = Schema.create(Schema.Type.BOOLEAN);
    private static final Schema BYTES = Schema.create(Schema.Type.BYTES);

    private PrimitiveSchemas() {}

    /** The schema, or null when the value is not an Avro primitive. */
    static Schema of(Object value) {
        if (value instanceof CharSequence) {
            return STRING;
        } else if (value instanceof Integer) {
            return INT;
        } else if (value instanceof Long) {
            return LONG;
        } else if (value instanceof Float) {
            return FLOAT;
        } else if (value instanceof Double) {
            return DOUBLE;
        } else if (value instanceof Boolean) {
            return BOOLEAN;
        } else if (value instanceof byte[] || value instanceof ByteBuffer) {
            return BYTES;
        }
        return null;
    }
}
