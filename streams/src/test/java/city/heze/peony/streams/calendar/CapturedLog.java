package city.heze.peony.streams.calendar;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** The lines one class logs while a test runs, read back through log4j2, the tests' SLF4J backend. */
final class CapturedLog extends AbstractAppender implements AutoCloseable {

    private final Logger logger;
    private final List<LogEvent> events = new CopyOnWriteArrayList<>();

    private CapturedLog(Class<?> source) {
        super("captured-" + source.getSimpleName(), null, null, true, Property.EMPTY_ARRAY);
        this.logger = (Logger) LogManager.getLogger(source);
    }

    static CapturedLog of(Class<?> source) {
        CapturedLog log = new CapturedLog(source);
        log.start();
        log.logger.addAppender(log);
        return log;
    }

    @Override
    public void append(LogEvent event) {
        events.add(event.toImmutable());
    }

    List<String> warnings() {
        return events.stream()
                .filter(event -> event.getLevel() == Level.WARN)
                .map(event -> event.getMessage().getFormattedMessage())
                .toList();
    }

    @Override
    public void close() {
        logger.removeAppender(this);
        stop();
    }
}
