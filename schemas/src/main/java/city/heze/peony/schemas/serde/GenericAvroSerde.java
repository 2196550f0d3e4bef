package city.heze.peony.schemas.serde;

import city.heze.peony.schemas.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A {@code Serde<GenericRecord>} in Confluent's wire format, whatever {@code specific.avro.reader} says. */
public class GenericAvroSerde implements Serde<GenericRecord> {
    private final PeonyAvroSerializer serializer;
    private final PeonyAvroDeserializer deserializer;

    public GenericAvroSerde() {
        this.serializer = new PeonyAvroSerializer();
        this.deserializer = new PeonyAvroDeserializer();
    }

    public GenericAvroSerde(SchemaRegistryClient client) {
        this.serializer = new PeonyAvroSerializer(client);
        this.deserializer = new PeonyAvroDeserializer(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> generic = new HashMap<>(configs);
        generic.put(PeonyAvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, false);
        serializer.configure(generic, isKey);
        deserializer.configure(generic, isKey);
    }

    @Override
    public Serializer<GenericRecord> serializer() {
        return serializer::serialize;
    }

    @Override
    public Deserializer<GenericRecord> deserializer() {
        return (topic, data) -> (GenericRecord) deserializer.deserialize(topic, data);
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
