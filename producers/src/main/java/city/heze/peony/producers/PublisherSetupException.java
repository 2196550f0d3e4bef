package city.heze.peony.producers;

/**
 * A {@link DepartmentPublisher} (or the simulator) cannot start: an unknown catalog, no schema
 * registered for it, catalogs of several departments, an unreachable registry. The message names the
 * catalog and what was expected; it is the user's to fix, not a bug.
 */
public final class PublisherSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PublisherSetupException(String message) {
        super(message);
    }

    public PublisherSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
