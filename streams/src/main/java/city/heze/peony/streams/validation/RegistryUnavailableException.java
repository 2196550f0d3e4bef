package city.heze.peony.streams.validation;

/**
 * The schema registry did not answer (connection refused, timeout, a 5xx) after the client's own
 * retries. Not a fault of the record: validation throws it so that the stream thread fails and is
 * replaced, and the record is processed again from the last commit, instead of sending a good
 * record to the dead-letter topic because the registry blinked.
 */
public final class RegistryUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
