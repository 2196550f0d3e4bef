package city.heze.peony.schemas.serde;

import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import java.util.Map;
import org.apache.avro.generic.GenericData;

/**
 * What Peony's Avro serializer and deserializer share: their settings, the registry client (closed
 * only when they created it from the settings) and the {@link GenericData} that does or does not
 * convert logical types.
 */
abstract class RegistrySerde implements AutoCloseable {
    SchemaRegistryClient client;
    private boolean ownsClient;
    PeonyAvroSerdeConfig config;
    GenericData genericData = GenericData.get();

    RegistrySerde(SchemaRegistryClient client) {
        this.client = client;
    }

    /** Reads the settings and, unless a client was given, creates one from them; then {@link #reset}. */
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = PeonyAvroSerdeConfig.of(configs, isKey);
        if (client == null) {
            client = SchemaRegistryClients.fromConfig(configs);
            ownsClient = true;
        }
        genericData = config.logicalTypeConverters() ? LogicalTypes.genericDataWithConversions() : GenericData.get();
        reset(isKey);
    }

    /** Forgets what was cached under the previous settings. */
    abstract void reset(boolean isKey);

    /** The registry client in use. */
    public SchemaRegistryClient client() {
        return client;
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
