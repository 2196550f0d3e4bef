package city.heze.peony.producers;

/**
 * A record refused by a {@link DepartmentPublisher} before it was sent, because its schema is not
 * the one registered for the catalog: the message names the catalog, the catalog's schema (with its
 * subject, version and id) and the record's schema.
 */
public final class ForeignSchemaException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String catalogId;

    public ForeignSchemaException(String catalogId, String message) {
        super(message);
        this.catalogId = catalogId;
    }

    public String catalogId() {
        return catalogId;
    }
}
