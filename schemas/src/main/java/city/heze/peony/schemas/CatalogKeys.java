package city.heze.peony.schemas;

import city.heze.peony.avro.CatalogEntry;

/** Which field of a catalog's records is the record key. */
public final class CatalogKeys {
    /** The key field of a catalog entry that names none. */
    public static final String DEFAULT_KEY_FIELD = "recordId";

    private CatalogKeys() {}

    /** The declared key field, or {@link #DEFAULT_KEY_FIELD} when {@code declared} is null. */
    public static String keyField(String declared) {
        return declared == null ? DEFAULT_KEY_FIELD : declared;
    }

    /** The key field of {@code entry}'s records. */
    public static String keyField(CatalogEntry entry) {
        return keyField(entry.getKeyField());
    }
}
