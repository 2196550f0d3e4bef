package city.heze.peony.streams.validation;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every catalog of {@code peony.catalog}, compiled, shared by the stream threads of one Kafka
 * Streams instance. The global thread keeps it current as entries arrive (new catalogs are picked
 * up without a restart); a stream thread reads it with one map lookup per record, where reading the
 * global store would deserialize the entry every time.
 */
final class CatalogDirectory {
    private final Map<String, CompiledCatalog> catalogs = new ConcurrentHashMap<>();

    CompiledCatalog get(String catalogId) {
        return catalogs.get(catalogId);
    }

    void put(CompiledCatalog catalog) {
        catalogs.put(catalog.catalogId(), catalog);
    }

    void remove(String catalogId) {
        catalogs.remove(catalogId);
    }

    Collection<CompiledCatalog> all() {
        return catalogs.values();
    }

    int size() {
        return catalogs.size();
    }
}
