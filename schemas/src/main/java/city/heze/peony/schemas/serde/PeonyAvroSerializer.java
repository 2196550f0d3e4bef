package city.heze.peony.schemas.serde;

import city.heze.peony.schemas.registry.RegisteredSchema;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (SpecificRecord, GenericRecord, or an Avro primitive) in Confluent's wire
 * format, registering or looking up the schema in the registry under the subject the configured
 * strategy names. Configured with Confluent's names (see {@link PeonyAvroSerdeConfig}).
 *
 * <p>The registry is asked once per topic and schema; after that a record costs a cache hit and the
 * Avro encoding, with the datum writer cached per schema and the encoder reused.
 */
public class PeonyAvroSerializer extends RegistrySerde implements Serializer<Object> {
    static {
        AvroGeneratedClasses.trust();
    }

    private record WriterKey(String topic, Schema schema, Class<?> specificClass) {}

    /** What writing records of one schema to one topic needs, found once. */
    private record WriterPlan(int schemaId, DatumWriter<Object> writer) {}

    /** The plan used last, checked by identity first: most serializers write one schema to one topic. */
    private record LastPlan(String topic, Schema schema, Class<?> specificClass, WriterPlan plan) {}

    private final Map<WriterKey, WriterPlan> plans = new ConcurrentHashMap<>();
    private volatile LastPlan last;
    private boolean isKey;

    /** For Kafka to create from a class name; {@link #configure} must follow. */
    public PeonyAvroSerializer() {
        super(null);
    }

    /** Uses {@code client}; {@link #configure} must still follow (it then needs no registry URL). */
    public PeonyAvroSerializer(SchemaRegistryClient client) {
        super(client);
    }

    /** Uses {@code client}, configured at once. */
    public PeonyAvroSerializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this(client);
        configure(configs, isKey);
    }

    @Override
    void reset(boolean isKey) {
        this.isKey = isKey;
        plans.clear();
        last = null;
    }

    @Override
    public byte[] serialize(String topic, Object record) {
        if (record == null) {
            return null;
        }
        if (config == null) {
            throw new IllegalStateException("PeonyAvroSerializer used before configure()");
        }
        Schema schema;
        Class<?> specificClass = null;
        Object datum = record;
        if (record instanceof GenericContainer container) {
            schema = container.getSchema();
            specificClass = record instanceof SpecificRecord ? record.getClass() : null;
        } else {
            schema = PrimitiveSchemas.of(record);
            if (schema == null) {
                throw new SerializationException("Cannot serialize a "
                        + record.getClass().getName() + " for topic '"
                        + topic + "': expected an Avro record (SpecificRecord or GenericRecord) or an Avro primitive"
                        + " (String, Integer, Long, Float, Double, Boolean, byte[], ByteBuffer)");
            }
            if (record instanceof byte[] bytes) {
                datum = ByteBuffer.wrap(bytes);
            }
        }
        WriterPlan plan = plan(topic, schema, specificClass);
        try {
            return AvroOutputBuffer.get().encode(plan.schemaId(), plan.writer(), datum);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot serialize a record of topic '" + topic + "' with schema id " + plan.schemaId() + " ("
                            + schema.getFullName() + "): " + e,
                    e);
        }
    }

    private WriterPlan plan(String topic, Schema schema, Class<?> specificClass) {
        LastPlan recent = last;
        if (recent != null
                && recent.topic() == topic
                && recent.schema() == schema
                && recent.specificClass() == specificClass) {
            return recent.plan();
        }
        WriterKey key = new WriterKey(topic, schema, specificClass);
        WriterPlan plan = plans.get(key);
        if (plan == null) {
            // Found outside the map's lock: it may call the registry over HTTP.
            plan = newPlan(topic, schema, specificClass);
            WriterPlan raced = plans.putIfAbsent(key, plan);
            plan = raced != null ? raced : plan;
        }
        last = new LastPlan(topic, schema, specificClass, plan);
        return plan;
    }

    private WriterPlan newPlan(String topic, Schema schema, Class<?> specificClass) {
        String subject = config.subjectNameStrategy().subjectName(topic, isKey, schema);
        int id;
        try {
            if (config.useLatestVersion()) {
                RegisteredSchema latest = client.latest(subject);
                if (!latest.avroSchema().equals(schema)) {
                    throw new SerializationException("Cannot serialize a record of topic '" + topic + "' with "
                            + PeonyAvroSerdeConfig.USE_LATEST_VERSION + "=true: the latest schema of subject '"
                            + subject + "' (version " + latest.version() + ", id " + latest.id()
                            + ") differs from the record's schema " + schema.getFullName()
                            + "; register the record's schema or build records with the latest one");
                }
                id = latest.id();
            } else if (config.autoRegister()) {
                id = client.register(subject, schema);
            } else {
                id = client.idOf(subject, schema);
            }
        } catch (SchemaRegistryException e) {
            String action = config.useLatestVersion()
                    ? "find the latest schema of subject '" + subject + "'"
                    : config.autoRegister()
                            ? "register schema " + schema.getFullName() + " under subject '" + subject + "'"
                            : "find schema " + schema.getFullName() + " under subject '" + subject + "' ("
                                    + PeonyAvroSerdeConfig.AUTO_REGISTER_SCHEMAS + "=false)";
            throw new SerializationException(
                    "Cannot serialize a record of topic '" + topic + "': could not " + action
                            + " in the schema registry at " + client.location() + ": " + e.getMessage(),
                    e);
        }
        DatumWriter<Object> writer = specificClass != null
                // The class's own model: it knows the class's logical-type conversions, and
                // Avro need not look the class up by name.
                ? new SpecificDatumWriter<>(schema, SpecificData.getForClass(specificClass))
                : new GenericDatumWriter<>(schema, genericData);
        return new WriterPlan(id, writer);
    }
}
