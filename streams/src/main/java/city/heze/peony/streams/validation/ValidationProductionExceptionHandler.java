package city.heze.peony.streams.validation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What validation does when a record cannot be written ({@code production.exception.handler}): a
 * retriable error (a {@code shared.<catalog>} topic not created yet, a leader moving) is retried
 * until {@code task.timeout.ms}; anything else fails the stream thread, which is replaced and
 * resumes from the last commit. A record that passed validation is never dropped. Logged at most
 * once a minute per topic, not per record.
 */
public final class ValidationProductionExceptionHandler implements ProductionExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ValidationProductionExceptionHandler.class);
    private static final long LOG_EVERY_MS = 60_000;

    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public Response handleError(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            if (shouldLog(record.topic())) {
                log.warn(
                        "cannot write to {} yet ({}); retrying (does the topic exist? peony catalog register creates"
                                + " shared.<catalog>)",
                        record.topic(),
                        exception.toString());
            }
            return Response.retry();
        }
        log.error(
                "cannot write to {} the record from {} partition {} offset {}: {}; failing the stream thread so that"
                        + " nothing is dropped (it is replaced and resumes from the last commit)",
                record.topic(),
                context.topic(),
                context.partition(),
                context.offset(),
                exception.toString());
        return Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes") // Kafka's signature
    public Response handleSerializationError(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception exception,
            SerializationExceptionOrigin origin) {
        log.error(
                "cannot serialize the {} of a record for {} (a bug; please report it)",
                origin,
                record.topic(),
                exception);
        return Response.fail();
    }

    private boolean shouldLog(String topic) {
        long now = System.currentTimeMillis();
        Long last = lastLogged.get(topic);
        if (last != null && now - last < LOG_EVERY_MS) {
            return false;
        }
        lastLogged.put(topic, now);
        return true;
    }
}
