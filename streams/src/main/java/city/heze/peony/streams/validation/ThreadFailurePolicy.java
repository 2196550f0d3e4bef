package city.heze.peony.streams.validation;

import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Peony application's answer to a stream thread that died: replace it (validation's, and the
 * linkage scenarios'). Under
 * exactly_once_v2 the dead thread's transaction is aborted and the new thread resumes from the
 * last commit, so a passing fault (the registry blinked, a broker moved) heals itself without
 * losing or repeating a record. A fault that keeps coming back ({@code maxFailures} within {@code
 * windowMs}) is not passing: the client shuts down, so that an operator sees it rather than a
 * thread restarting forever.
 */
public final class ThreadFailurePolicy implements StreamsUncaughtExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ThreadFailurePolicy.class);

    private final int maxFailures;
    private final long windowMs;
    private final String application;
    private final Deque<Long> recent = new ArrayDeque<>();

    ThreadFailurePolicy(int maxFailures, long windowMs) {
        this(maxFailures, windowMs, "validation");
    }

    /** @param application what the log lines call the application, e.g. {@code linkage pension-certification} */
    public ThreadFailurePolicy(int maxFailures, long windowMs, String application) {
        this.maxFailures = maxFailures;
        this.windowMs = windowMs;
        this.application = application;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        long now = System.currentTimeMillis();
        recent.addLast(now);
        while (!recent.isEmpty() && recent.peekFirst() < now - windowMs) {
            recent.removeFirst();
        }
        boolean registry = ValidationProcessingExceptionHandler.causedBy(exception, RegistryUnavailableException.class);
        if (recent.size() > maxFailures) {
            log.error(
                    "a stream thread failed {} times within {} s; shutting {} down: {}",
                    recent.size(),
                    windowMs / 1000,
                    application,
                    rootMessage(exception),
                    exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        if (registry) {
            // Expected while the registry is down: no stack trace, the cause says it all.
            log.warn("a stream thread stopped because {}; replacing it", rootMessage(exception));
        } else {
            log.error("a stream thread failed; replacing it (it resumes from the last commit)", exception);
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private static String rootMessage(Throwable exception) {
        Throwable t = exception;
        while (t.getCause() != null && !(t instanceof RegistryUnavailableException)) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
