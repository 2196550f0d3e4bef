package city.heze.peony.producers;

/** Registering a catalog failed for a reason the user can act on; the message says which and why. */
public final class CatalogRegistrationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CatalogRegistrationException(String message) {
        super(message);
    }
}
