package city.heze.peony.streams.validation;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.Rejection;
import city.heze.peony.avro.common.RejectionKind;
import city.heze.peony.registry.LocalSchemaRegistries;
import city.heze.peony.schemas.registry.RegistryErrors;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import city.heze.peony.schemas.serde.SpecificAvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The error handling validation configures: what each handler decides, and what it keeps. */
class ErrorHandlingTest {
    private final String registryName = "handlers-" + UUID.randomUUID();
    private final Map<String, Object> configs = Map.of("schema.registry.url", "local://" + registryName);

    /** What Kafka Streams tells a handler about the failed record. */
    private record Context(String topic, int partition, long offset, String processorNodeId, byte[] key, byte[] value)
            implements ErrorHandlerContext {
        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, partition);
        }

        @Override
        public long timestamp() {
            return 1_750_000_000_000L;
        }

        @Override
        public byte[] sourceRawKey() {
            return key;
        }

        @Override
        public byte[] sourceRawValue() {
            return value;
        }
    }

    @AfterEach
    void dropRegistry() {
        LocalSchemaRegistries.drop(registryName);
    }

    private ValidationProcessingExceptionHandler processingHandler() {
        ValidationProcessingExceptionHandler handler = new ValidationProcessingExceptionHandler();
        handler.configure(configs);
        return handler;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRegistryThatDoesNotAnswerFailsTheThreadSoThatTheRecordIsRetried() {
        var context = new Context("raw.mz.x", 2, 41, ValidationTopology.VALIDATOR, utf8("k"), utf8("v"));
        RuntimeException failure =
                new org.apache.kafka.streams.errors.StreamsException(new RegistryUnavailableException(
                        "registry down", new SchemaRegistryException(RegistryErrors.UNREACHABLE, "unreachable")));

        ProcessingExceptionHandler.Response response =
                processingHandler().handleError(context, new Record<>(utf8("k"), utf8("v"), 0), failure);

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void anUnexpectedValidationFailureSendsTheRecordToTheDeadLetterTopicAndGoesOn() {
        var context = new Context("raw.mz.x", 2, 41, ValidationTopology.VALIDATOR, utf8("k"), utf8("original"));

        ProcessingExceptionHandler.Response response = processingHandler()
                .handleError(context, new Record<>(utf8("k"), utf8("original"), 0), new NullPointerException("boom"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
        ProducerRecord<byte[], byte[]> dlq = response.deadLetterQueueRecords().get(0);
        assertThat(dlq.topic()).isEqualTo("peony.rejected");
        assertThat(dlq.key()).isEqualTo(utf8("k"));
        SpecificAvroSerde<Rejection> serde = new SpecificAvroSerde<>(Rejection.class);
        serde.configure(configs, false);
        Rejection rejection = serde.deserializer().deserialize("peony.rejected", dlq.value());
        assertThat(rejection.getKind()).isEqualTo(RejectionKind.UNKNOWN);
        assertThat(rejection.getCatalogId()).isEqualTo("mz.x");
        assertThat(rejection.getSourcePartition()).isEqualTo(2);
        assertThat(rejection.getSourceOffset()).isEqualTo(41);
        assertThat(rejection.getFailures().get(0).getRuleId()).isEqualTo("peony.processing-error");
        assertThat(rejection.getFailures().get(0).getReason()).contains("NullPointerException: boom");
        assertThat(rejection.getOriginalValue().array()).isEqualTo(utf8("original"));
    }

    @Test
    void aFailureOutsideTheValidatorIsSkippedWithoutADeadLetter() {
        var context = new Context(
                "app-validation-scorecard-partials-repartition",
                0,
                7,
                ValidationTopology.QUALITY_PROCESSOR,
                utf8("k"),
                utf8("v"));

        ProcessingExceptionHandler.Response response = processingHandler()
                .handleError(context, new Record<>(utf8("k"), utf8("v"), 0), new IllegalStateException("odd"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void aCatalogEntryThatCannotBeReadIsNeverSkipped() {
        var context = new Context("peony.catalog", 0, 3, ValidationTopology.CATALOG_UPDATER, utf8("mz.x"), utf8("v"));

        ProcessingExceptionHandler.Response response = processingHandler()
                .handleError(context, new Record<>(utf8("mz.x"), utf8("v"), 0), new IllegalStateException("odd"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    }

    @Test
    void aRecordThatCannotBeWrittenIsRetriedWhenRetriableAndOtherwiseNeverDropped() {
        ValidationProductionExceptionHandler handler = new ValidationProductionExceptionHandler();
        var context = new Context("raw.mz.x", 0, 1, ValidationTopology.SHARED_SINK, null, null);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("shared.mz.x", utf8("v"));

        assertThat(handler.handleError(context, record, new UnknownTopicOrPartitionException("no topic"))
                        .result())
                .isEqualTo(ProductionExceptionHandler.Result.RETRY);
        assertThat(handler.handleError(context, record, new TimeoutException("slow"))
                        .result())
                .isEqualTo(ProductionExceptionHandler.Result.RETRY);
        assertThat(handler.handleError(
                                context,
                                record,
                                new org.apache.kafka.common.errors.RecordTooLargeException("too large"))
                        .result())
                .isEqualTo(ProductionExceptionHandler.Result.FAIL);
    }

    @Test
    void aDeadStreamThreadIsReplacedUntilFailuresKeepComingBack() {
        ThreadFailurePolicy policy = new ThreadFailurePolicy(3, 60_000);
        RuntimeException failure = new RegistryUnavailableException("registry down", null);

        assertThat(policy.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(policy.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(policy.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(policy.handle(failure)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }
}
