package city.heze.peony.broker;

/**
 * A broker could not start because of something the user can fix: a port already taken, a data
 * directory that cannot be written or that belongs to another cluster. The message names the
 * input and says what to do; callers print it as one line, without a stack trace.
 */
public final class BrokerStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BrokerStartException(String message) {
        super(message);
    }

    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
