package city.heze.peony.ops.catalog;

/** A catalog file is wrong; the message names the file, the field and what was expected. */
public final class CatalogFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CatalogFileException(String message) {
        super(message);
    }
}
