package city.heze.peony.ops.logging;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.core.filter.CompositeFilter;

/**
 * Keeps errors that Kafka itself recovers from off the console. Whatever Peony prints at ERROR
 * must be something the user acts on; these conditions need nothing, so each is replaced, the
 * first time it happens, by one WARN line that says what happened and that nothing was lost. Every
 * other event passes untouched.
 *
 * <ul>
 *   <li>The broker's {@code ReplicaManager} refusing a batch with {@code OutOfOrderSequenceException:
 *       Expected sequence 0 for transactions v2 idempotent producer with no existing state}: a
 *       pipelined batch of a new transaction overtook a retried first batch (KAFKA-18202's guard).
 *       The producer gets a retriable error and resends in order.
 *   <li>{@code TaskCorruptedException} from Kafka Streams after an unclean stop: the task's local
 *       state had no checkpoint, so Streams wipes it and restores it from the changelog.
 *   <li>A Kafka Streams admin client's {@code PartitionLeaderStrategy} logging {@code Received unknown
 *       topic error for topic <application>-...-changelog} (or {@code -repartition}): Streams asked
 *       for the offsets of an internal topic it had just created before the broker's metadata showed
 *       it, and asks again.
 *   <li>The controller's {@code Unexpected error handling request CONTROLLER_REGISTRATION ...
 *       NotControllerException} when the node starts on the data of an unclean stop: the request
 *       came before the election ended, and is retried.
 * </ul>
 *
 * <p>It is a filter rather than a level override, so a different error from the
 * same Kafka loggers still reaches the console.
 */
public final class RecoveredKafkaErrors extends AbstractFilter {
    /** The logger of the one-line notices; under {@code city.heze.peony}, so shown at its WARN default. */
    static final String NOTICE_LOGGER = "city.heze.peony.recovered";

    /** A condition Kafka recovers from, and what the user is told about it once. */
    enum Recovered {
        OUT_OF_ORDER_FIRST_BATCH(
                "Kafka refused a producer batch that overtook the retried first batch of its transaction"
                        + " (OutOfOrderSequenceException, KAFKA-18202); the producer resent both in order and"
                        + " nothing was lost. Further occurrences are not logged."),
        TASK_CORRUPTED("Kafka Streams found a task's local state without a checkpoint (the last stop was unclean,"
                + " TaskCorruptedException); it rebuilt the state from its changelog and nothing was"
                + " lost. Further occurrences are not logged."),
        CONTROLLER_NOT_YET_ACTIVE("Kafka's controller got a request while it was still becoming the active controller"
                + " (NotControllerException, usual when starting on the data of an unclean stop); the"
                + " request was retried and nothing was lost. Further occurrences are not logged."),
        NEW_INTERNAL_TOPIC_NOT_YET_KNOWN(
                "Kafka Streams asked for the offsets of an internal topic it had just created before the broker"
                        + " knew it (UnknownTopicOrPartitionException); it asked again and nothing was lost."
                        + " Further occurrences are not logged."),
        COORDINATOR_LOAD_SUPERSEDED(
                "Kafka stopped loading a coordinator partition because its leadership changed while it"
                        + " started (NotLeaderOrFollowerException, usual after an unclean stop); it loads it again"
                        + " with the new leader epoch and nothing was lost. Further occurrences are not logged.");

        final String notice;

        Recovered(String notice) {
            this.notice = notice;
        }
    }

    private final Set<Recovered> told = ConcurrentHashMap.newKeySet();

    public RecoveredKafkaErrors() {
        super(Result.NEUTRAL, Result.NEUTRAL);
    }

    /**
     * Adds the filter to every logger configuration of the current log4j2 configuration (the root
     * and the named ones), so an event is stopped at the first one it reaches. Not on the appenders:
     * an appender filter runs inside the appender's recursion guard, where the notice it logs would
     * be dropped. Idempotent.
     */
    public static void install() {
        if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
            return; // another logging backend: nothing to filter
        }
        Configuration config = context.getConfiguration();
        RecoveredKafkaErrors filter = new RecoveredKafkaErrors();
        filter.start();
        List<LoggerConfig> loggers = new ArrayList<>(config.getLoggers().values());
        loggers.add(config.getRootLogger());
        for (LoggerConfig logger : loggers) {
            if (!has(logger.getFilter())) {
                logger.addFilter(filter);
            }
        }
        context.updateLoggers();
    }

    private static boolean has(Filter filter) {
        if (filter instanceof CompositeFilter composite) {
            return Arrays.stream(composite.getFiltersArray()).anyMatch(RecoveredKafkaErrors.class::isInstance);
        }
        return filter instanceof RecoveredKafkaErrors;
    }

    @Override
    public Result filter(LogEvent event) {
        Recovered recovered = recognise(event);
        if (recovered == null) {
            return Result.NEUTRAL;
        }
        // A different logger below ERROR: the notices are not recognised again when they reach here.
        if (told.add(recovered)) {
            notices().warn(recovered.notice);
        } else {
            // PEONY_LOG_LEVEL=DEBUG shows each occurrence, e.g. to count them.
            notices().debug("{} again: {}", recovered, event.getMessage().getFormattedMessage());
        }
        return Result.DENY;
    }

    /** Which recovered condition the event reports, or null for any other event. */
    static Recovered recognise(LogEvent event) {
        if (!event.getLevel().isMoreSpecificThan(Level.WARN)) {
            return null;
        }
        String message = event.getMessage() == null ? "" : event.getMessage().getFormattedMessage();
        for (Throwable t = event.getThrown(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getName();
            if (name.equals("org.apache.kafka.common.errors.OutOfOrderSequenceException")
                    && String.valueOf(t.getMessage()).contains("with no existing state")) {
                return Recovered.OUT_OF_ORDER_FIRST_BATCH;
            }
            if (name.equals("org.apache.kafka.streams.errors.TaskCorruptedException")) {
                return Recovered.TASK_CORRUPTED;
            }
            // Only from the controller's request handler: the single node is its own controller, so
            // the sender (the broker registering itself) retries until the election is over.
            if (name.equals("org.apache.kafka.common.errors.NotControllerException")
                    && "kafka.server.ControllerApis".equals(event.getLoggerName())) {
                return Recovered.CONTROLLER_NOT_YET_ACTIVE;
            }
            // Only a Streams application's internal topics: any other unknown topic is the user's to see.
            if (name.equals("org.apache.kafka.common.errors.UnknownTopicOrPartitionException")
                    && String.valueOf(event.getLoggerName()).endsWith(".PartitionLeaderStrategy")
                    && message.contains("Received unknown topic error for topic")
                    && (message.endsWith("-changelog") || message.endsWith("-repartition"))) {
                return Recovered.NEW_INTERNAL_TOPIC_NOT_YET_KNOWN;
            }
            // A coordinator (group, transaction, share) loading a partition whose leader epoch moved on.
            if (name.equals("org.apache.kafka.common.errors.NotLeaderOrFollowerException")
                    && String.valueOf(event.getLoggerName()).endsWith(".CoordinatorRuntime")) {
                return Recovered.COORDINATOR_LOAD_SUPERSEDED;
            }
        }
        if (message.contains("TaskCorruptedException")) {
            return Recovered.TASK_CORRUPTED;
        }
        if (message.contains("OutOfOrderSequenceException") && message.contains("with no existing state")) {
            return Recovered.OUT_OF_ORDER_FIRST_BATCH;
        }
        return null;
    }

    /** For tests: which conditions were told about. */
    Set<Recovered> told() {
        return told.isEmpty() ? EnumSet.noneOf(Recovered.class) : EnumSet.copyOf(told);
    }

    private static Logger notices() {
        return LogManager.getLogger(NOTICE_LOGGER);
    }
}
