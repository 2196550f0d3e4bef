package city.heze.peony.bench;

/**
 * A measurement could not be made: the cluster refused something, or an application stopped or
 * did not deliver its output in time. Never thrown for a slow figure: a bench never fails on a
 * timing.
 */
public final class BenchFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BenchFailure(String message) {
        super(message);
    }

    BenchFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
