package city.heze.peony.schemas.serde;

import city.heze.peony.schemas.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A typed {@code Serde<T>} for a generated Avro class, in Confluent's wire format, for Kafka
 * Streams: {@code new SpecificAvroSerde<>(SocialAssistanceRecipient.class)} then {@code
 * configure(Map.of("schema.registry.url", url), false)}.
 *
 * <p>Given the class, records are always read into its schema, so a record written with an older
 * or newer compatible version reads fine; without it the class is found from the writer's schema
 * name.
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final PeonyAvroSerializer serializer;
    private final PeonyAvroDeserializer deserializer;
    private final Class<T> type;
    private final Schema readerSchema;

    /** For Kafka to create from a class name: reads into the class the writer's schema names. */
    public SpecificAvroSerde() {
        this(null, null);
    }

    public SpecificAvroSerde(Class<T> type) {
        this(null, type);
    }

    public SpecificAvroSerde(SchemaRegistryClient client) {
        this(client, null);
    }

    /** {@code client} may be null (the registry then comes from {@code schema.registry.url}), so may {@code type}. */
    public SpecificAvroSerde(SchemaRegistryClient client, Class<T> type) {
        this.serializer = client == null ? new PeonyAvroSerializer() : new PeonyAvroSerializer(client);
        this.deserializer = client == null ? new PeonyAvroDeserializer() : new PeonyAvroDeserializer(client);
        this.type = type;
        this.readerSchema = type == null ? null : SpecificData.getForClass(type).getSchema(type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> specific = new HashMap<>(configs);
        specific.put(PeonyAvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
        serializer.configure(specific, isKey);
        deserializer.configure(specific, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer::serialize;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::deserialize;
    }

    private T deserialize(String topic, byte[] data) {
        Object record = deserializer.deserialize(topic, data, readerSchema);
        if (record == null || type == null) {
            @SuppressWarnings("unchecked")
            T typed = (T) record;
            return typed;
        }
        if (!type.isInstance(record)) {
            throw new SerializationException("Record of topic '" + topic + "' is a "
                    + record.getClass().getName() + ", not the expected " + type.getName());
        }
        return type.cast(record);
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
