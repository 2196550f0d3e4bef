package city.heze.peony.schemas.serde;

import city.heze.peony.schemas.registry.RegistryErrors;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent's wire format: finds the writer's schema by the id in the header and resolves it
 * against the reader's schema (the writer's own, the generated class's with {@code
 * specific.avro.reader=true}, or one the caller gives), so that records written with an older or
 * newer compatible schema read fine.
 *
 * <p>The registry is asked once per schema id; datum readers are cached per writer and reader
 * schema, and the decoder is reused. Bad input (no magic byte, unknown id, truncated or trailing
 * bytes) fails with a {@link SerializationException} naming the topic, the schema id and the fault.
 */
public class PeonyAvroDeserializer extends RegistrySerde implements Deserializer<Object> {
    static {
        AvroGeneratedClasses.trust();
    }

    private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();

    private record ReaderKey(int schemaId, Schema readerSchema) {}

    /** How to read records of one writer schema id into one reader schema; a failure is cached too. */
    private record ReaderPlan(
            int schemaId, Schema writerSchema, DatumReader<Object> reader, boolean primitive, String failure) {}

    private record LastPlan(int schemaId, Schema readerSchema, ReaderPlan plan) {}

    private final Map<ReaderKey, ReaderPlan> plans = new ConcurrentHashMap<>();
    private volatile LastPlan last;

    /** For Kafka to create from a class name; {@link #configure} must follow. */
    public PeonyAvroDeserializer() {
        super(null);
    }

    /** Uses {@code client}; {@link #configure} must still follow (it then needs no registry URL). */
    public PeonyAvroDeserializer(SchemaRegistryClient client) {
        super(client);
    }

    /** Uses {@code client}, configured at once. */
    public PeonyAvroDeserializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this(client);
        configure(configs, isKey);
    }

    @Override
    void reset(boolean isKey) {
        plans.clear();
        last = null;
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        return deserialize(topic, data, (Schema) null);
    }

    @Override
    public Object deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, data, (Schema) null);
    }

    /**
     * Reads the payload into {@code readerSchema} (null: the writer's schema, or the generated
     * class's with {@code specific.avro.reader=true}).
     */
    public Object deserialize(String topic, byte[] data, Schema readerSchema) {
        if (data == null) {
            return null;
        }
        if (config == null) {
            throw new IllegalStateException("PeonyAvroDeserializer used before configure()");
        }
        int schemaId = AvroWireFormat.schemaIdOf(topic, data);
        ReaderPlan plan = plan(topic, schemaId, readerSchema);
        if (plan.failure() != null) {
            throw new SerializationException(plan.failure());
        }
        int bodyLength = data.length - AvroWireFormat.HEADER_SIZE;
        BinaryDecoder decoder =
                DecoderFactory.get().binaryDecoder(data, AvroWireFormat.HEADER_SIZE, bodyLength, DECODERS.get());
        DECODERS.set(decoder);
        Object result;
        try {
            result = plan.reader().read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException(describe(topic, plan, bodyLength)
                        + " has bytes left over after the record: the schema id does not match the bytes");
            }
        } catch (EOFException | ArrayIndexOutOfBoundsException e) {
            throw new SerializationException(describe(topic, plan, bodyLength) + " is truncated: " + e, e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException serialization) {
                throw serialization;
            }
            throw new SerializationException(describe(topic, plan, bodyLength) + " is not valid Avro: " + e, e);
        }
        return plan.primitive() ? unwrapPrimitive(result) : result;
    }

    private static String describe(String topic, ReaderPlan plan, int bodyLength) {
        return "Cannot read a record of topic '" + topic + "' with schema id " + plan.schemaId() + " ("
                + plan.writerSchema().getFullName() + "): the Avro body (" + bodyLength + " bytes after the header)";
    }

    /** Top-level strings and bytes come back as String and byte[], as Confluent's deserializer returns them. */
    private static Object unwrapPrimitive(Object value) {
        if (value instanceof Utf8 utf8) {
            return utf8.toString();
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
        return value;
    }

    private ReaderPlan plan(String topic, int schemaId, Schema readerSchema) {
        LastPlan recent = last;
        if (recent != null && recent.schemaId() == schemaId && recent.readerSchema() == readerSchema) {
            return recent.plan();
        }
        ReaderKey key = new ReaderKey(schemaId, readerSchema);
        ReaderPlan plan = plans.get(key);
        if (plan == null) {
            // Found outside the map's lock: it may call the registry over HTTP.
            plan = newPlan(topic, schemaId, readerSchema);
            ReaderPlan raced = plans.putIfAbsent(key, plan);
            plan = raced != null ? raced : plan;
        }
        last = new LastPlan(schemaId, readerSchema, plan);
        return plan;
    }

    private ReaderPlan newPlan(String topic, int schemaId, Schema readerSchema) {
        Schema writer;
        try {
            writer = client.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            // Not cached: the id may be registered later (a record can arrive before its schema is visible).
            String what = e.errorCode() == RegistryErrors.SCHEMA_NOT_FOUND
                    ? "schema id " + schemaId + " is unknown to the schema registry at " + client.location()
                    : "schema id " + schemaId + " could not be fetched from the schema registry at "
                            + client.location();
            throw new SerializationException(
                    "Cannot read a record of topic '" + topic + "': " + what + " (" + e.getMessage() + ")", e);
        }
        boolean primitive = writer.getType() != Schema.Type.RECORD
                && writer.getType() != Schema.Type.ENUM
                && writer.getType() != Schema.Type.FIXED;
        Schema reader = readerSchema;
        Class<?> specificClass = null;
        if (config.specificReader() && !primitive) {
            specificClass = SpecificData.get().getClass(reader != null ? reader : writer);
            if (specificClass == null) {
                return failed(
                        schemaId,
                        writer,
                        "Cannot read a record of topic '" + topic + "' with schema id "
                                + schemaId + ": " + PeonyAvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG
                                + "=true but no generated class " + (reader != null ? reader : writer).getFullName()
                                + " is on the classpath");
            }
            if (reader == null) {
                reader = SpecificData.getForClass(specificClass).getSchema(specificClass);
            }
        }
        if (reader == null) {
            reader = writer;
        } else if (!reader.equals(writer)) {
            SchemaCompatibility.SchemaPairCompatibility pair =
                    SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
            if (pair.getType() != SchemaCompatibilityType.COMPATIBLE) {
                return failed(
                        schemaId,
                        writer,
                        "Cannot read a record of topic '" + topic + "' with schema id "
                                + schemaId + " (" + writer.getFullName() + ") as " + reader.getFullName() + ": "
                                + pair.getResult().getIncompatibilities().stream()
                                        .map(i -> i.getMessage() + " at " + i.getLocation())
                                        .toList());
            }
        }
        DatumReader<Object> datumReader = specificClass != null
                ? new SpecificDatumReader<>(writer, reader, SpecificData.getForClass(specificClass))
                : new GenericDatumReader<>(writer, reader, genericData);
        return new ReaderPlan(schemaId, writer, datumReader, primitive, null);
    }

    private static ReaderPlan failed(int schemaId, Schema writer, String failure) {
        return new ReaderPlan(schemaId, writer, null, false, failure);
    }
}
