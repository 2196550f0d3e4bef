package city.heze.peony.ops;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Waits for Ctrl-C (SIGINT) or SIGTERM. Handling the signals ourselves, rather than in a JVM
 * shutdown hook, lets the main thread stop every part in order and exit with status 0, which is
 * what a service manager expects of a clean stop.
 */
final class ShutdownSignal {
    private final CountDownLatch received = new CountDownLatch(1);
    private volatile String name;

    ShutdownSignal() {
        for (String signal : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(signal), s -> {
                name = "SIG" + s.getName();
                received.countDown();
            });
        }
    }

    /** Blocks until a signal arrives; returns its name. */
    String await() throws InterruptedException {
        received.await();
        return name;
    }
}
