package city.heze.peony.schemas.serde;

import city.heze.peony.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serializer and deserializer of Avro records in Confluent's wire format, for any record type:
 * GenericRecord by default, generated classes with {@code specific.avro.reader=true}. Kafka can
 * create it from its class name; Streams code usually prefers {@link SpecificAvroSerde} or {@link
 * GenericAvroSerde} for their types.
 */
public class PeonyAvroSerde extends Serdes.WrapperSerde<Object> {

    public PeonyAvroSerde() {
        super(new PeonyAvroSerializer(), new PeonyAvroDeserializer());
    }

    public PeonyAvroSerde(SchemaRegistryClient client) {
        super(new PeonyAvroSerializer(client), new PeonyAvroDeserializer(client));
    }
}
