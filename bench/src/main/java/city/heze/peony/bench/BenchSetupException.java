package city.heze.peony.bench;

/**
 * The bench cannot start: the cluster is not there or lacks Peony's topics, the catalog cannot be
 * registered. {@code peony bench} shows the message as one line and exits with {@link #exitCode()}
 * (2 when an option is wrong, 1 otherwise), as for any user error.
 */
public final class BenchSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public BenchSetupException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
