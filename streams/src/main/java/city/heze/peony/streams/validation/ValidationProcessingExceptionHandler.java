package city.heze.peony.streams.validation;

import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.common.RejectionKind;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.serde.SpecificAvroSerde;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What validation does when a processor throws ({@code processing.exception.handler}):
 *
 * <ul>
 *   <li>the schema registry did not answer ({@link RegistryUnavailableException}): FAIL. The
 *       stream thread dies and is replaced; under exactly_once_v2 its open transaction is aborted
 *       and the record is processed again from the last commit, so a good record is neither
 *       rejected nor lost because the registry blinked.
 *   <li>any other failure of the validator on a raw record (a bug): RESUME, with the record sent to
 *       {@code peony.rejected} in a {@code Rejection} of kind UNKNOWN and rule {@code
 *       peony.processing-error}, its original bytes kept for replay. One odd record does not stop
 *       every department's data.
 *   <li>a failure of the catalog updater on the global thread: FAIL. Skipping a catalog entry would
 *       validate records against the wrong version of their catalog; the reason is logged and the
 *       application stops.
 *   <li>a failure elsewhere (the scorecard aggregator, a punctuation): RESUME and log; scorecard
 *       partials are cumulative, so the next one repairs what was skipped.
 * </ul>
 */
public final class ValidationProcessingExceptionHandler implements ProcessingExceptionHandler {
    static final String PROCESSING_ERROR_RULE = "peony.processing-error";
    private static final Logger log = LoggerFactory.getLogger(ValidationProcessingExceptionHandler.class);

    private SpecificAvroSerde<Rejection> rejections;

    @Override
    public void configure(Map<String, ?> configs) {
        rejections = new SpecificAvroSerde<>(Rejection.class);
        rejections.configure(configs, false);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        String where = context.topic() == null
                ? "task " + context.taskId()
                : context.topic() + " partition " + context.partition() + " offset " + context.offset();
        if (causedBy(exception, RegistryUnavailableException.class)) {
            log.warn(
                    "{}: {}; failing the stream thread so that the record is retried from the last commit",
                    where,
                    exception.getMessage());
            return Response.fail();
        }
        if (ValidationTopology.CATALOG_UPDATER.equals(context.processorNodeId())) {
            log.error("{}: reading the catalog entry failed; failing rather than skipping it", where, exception);
            return Response.fail();
        }
        if (record == null || !ValidationTopology.VALIDATOR.equals(context.processorNodeId())) {
            log.error(
                    "{}: processor {} failed (a bug; please report it); skipped",
                    where,
                    context.processorNodeId(),
                    exception);
            return Response.resume();
        }
        String catalogId = context.topic().startsWith(Topics.RAW_PREFIX) ? Topics.catalogOfRaw(context.topic()) : null;
        Rejection envelope = Rejections.envelope(
                new Rejections.Source(context.topic(), context.partition(), context.offset(), context.timestamp()),
                catalogId,
                null,
                RejectionKind.UNKNOWN,
                PROCESSING_ERROR_RULE,
                "Peony failed to validate this record (a bug; please report it): " + exception,
                null,
                context.sourceRawKey(),
                context.sourceRawValue(),
                System.currentTimeMillis());
        byte[] value;
        try {
            value = rejections.serializer().serialize(Topics.REJECTED.name(), envelope);
        } catch (RuntimeException e) {
            log.error(
                    "{}: validation failed and the rejection could not be written either ({}); failing",
                    where,
                    e.toString(),
                    exception);
            return Response.fail();
        }
        log.error(
                "{}: validation failed (a bug; please report it); the record went to {}",
                where,
                Topics.REJECTED.name(),
                exception);
        return Response.resume(List.of(new ProducerRecord<>(
                Topics.REJECTED.name(), null, context.timestamp(), context.sourceRawKey(), value)));
    }

    static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
