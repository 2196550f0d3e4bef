package city.heze.peony.registry;

import city.heze.peony.schemas.registry.InProcessRegistries;
import city.heze.peony.schemas.registry.SchemaRegistryClient;

/**
 * Lets {@code SchemaRegistryClients} in peony-schemas resolve {@code local://NAME} to the named
 * registry of {@link LocalSchemaRegistries}; found through {@code META-INF/services}.
 */
public final class LocalRegistriesProvider implements InProcessRegistries {
    @Override
    public SchemaRegistryClient clientOf(String name, String url) {
        return new InProcessSchemaRegistryClient(LocalSchemaRegistries.named(name), url);
    }
}
