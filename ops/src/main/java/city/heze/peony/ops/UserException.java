package city.heze.peony.ops;

/**
 * Something the user gave us (an option, a file, a port) is wrong. The command prints the message
 * as one line on stderr, without a stack trace, and exits with {@link #exitCode()}.
 */
public class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The exit code for bad usage, as picocli uses for unknown options. */
    public static final int USAGE = 2;

    private final int exitCode;

    public UserException(String message) {
        this(message, USAGE);
    }

    public UserException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public UserException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
