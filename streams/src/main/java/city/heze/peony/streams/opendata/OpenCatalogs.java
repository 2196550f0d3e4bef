package city.heze.peony.streams.opendata;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.OpenField;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every catalog of {@code peony.catalog}, compiled for opening, shared by the stream threads of one
 * instance; the global thread keeps it current, a stream thread reads it with one lookup per record.
 */
public final class OpenCatalogs {
    private final Map<String, OpenCatalog> catalogs = new ConcurrentHashMap<>();

    public OpenCatalog get(String catalogId) {
        return catalogs.get(catalogId);
    }

    void put(OpenCatalog catalog) {
        catalogs.put(catalog.catalogId(), catalog);
    }

    void remove(String catalogId) {
        catalogs.remove(catalogId);
    }

    public Collection<OpenCatalog> all() {
        return catalogs.values();
    }

    /** A catalog entry's open treatments; none when it has no {@code open:} section. */
    public static List<OpenField> fieldsOf(CatalogEntry entry) {
        List<OpenField> fields = entry.getOpenFields();
        return fields == null ? List.of() : fields;
    }
}
