package city.heze.peony.ops;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) or SIGTERM. Handling the signals ourselves, rather than in a JVM shutdown hook,
 * lets the main thread stop every part in order and exit with status 0, which is what a service
 * manager expects of a clean stop. Long-running commands ({@code up}, {@code validate}) wait for
 * it, or for their work to stop by itself, whichever comes first.
 */
public final class ShutdownSignal {
    private final CompletableFuture<String> received = new CompletableFuture<>();

    public ShutdownSignal() {
        for (String signal : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(signal), s -> received.complete("SIG" + s.getName()));
        }
    }

    /** Completes with the signal's name when one arrives. */
    public CompletableFuture<String> received() {
        return received;
    }

    /** Blocks until a signal arrives; returns its name. */
    public String await() throws InterruptedException {
        try {
            return received.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
