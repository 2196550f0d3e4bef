package city.heze.peony.ops.logging;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.ops.logging.RecoveredKafkaErrors.Recovered;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter.Result;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

class RecoveredKafkaErrorsTest {
    /** The broker's message, as Kafka 4.x writes it for KAFKA-18202's guard. */
    private static final OutOfOrderSequenceException FIRST_BATCH_OVERTAKEN = new OutOfOrderSequenceException(
            "Out of order sequence number for producer 7 at offset 1234 in partition shared.mz.social-assistance-0:"
                    + " 3 (incoming seq. number). Expected sequence 0 for transactions v2 idempotent producer with"
                    + " no existing state.");

    private static LogEvent event(String logger, Level level, String message, Throwable thrown) {
        return Log4jLogEvent.newBuilder()
                .setLoggerName(logger)
                .setLevel(level)
                .setMessage(new SimpleMessage(message))
                .setThrown(thrown)
                .build();
    }

    @Test
    void theOverTakenFirstBatchIsToldOnceAndNeverPrintedAsAnError() {
        RecoveredKafkaErrors filter = new RecoveredKafkaErrors();
        LogEvent error = event(
                "kafka.server.ReplicaManager",
                Level.ERROR,
                "[ReplicaManager broker=1] Error processing append operation on partition X",
                FIRST_BATCH_OVERTAKEN);

        assertThat(filter.filter(error)).isEqualTo(Result.DENY);
        assertThat(filter.filter(error)).isEqualTo(Result.DENY);
        assertThat(filter.told()).containsExactly(Recovered.OUT_OF_ORDER_FIRST_BATCH);
    }

    @Test
    void aCorruptedTaskAfterAnUncleanStopIsRecognisedInTheCauseChainOrTheMessage() {
        TaskCorruptedException corrupted = new TaskCorruptedException(java.util.Set.of());
        assertThat(RecoveredKafkaErrors.recognise(event(
                        "org.apache.kafka.streams.processor.internals.StreamThread",
                        Level.ERROR,
                        "stream-thread failed",
                        new RuntimeException("wrapped", corrupted))))
                .isEqualTo(Recovered.TASK_CORRUPTED);
        assertThat(RecoveredKafkaErrors.recognise(event(
                        "org.apache.kafka.streams.processor.internals.TaskManager",
                        Level.ERROR,
                        "Encountered org.apache.kafka.streams.errors.TaskCorruptedException: Tasks [0_1] are corrupted",
                        null)))
                .isEqualTo(Recovered.TASK_CORRUPTED);
    }

    @Test
    void theControllerAnsweringBeforeItsElectionEndedIsRecognisedOnlyFromItsRequestHandler() {
        RuntimeException notYet =
                new java.util.concurrent.CompletionException(new org.apache.kafka.common.errors.NotControllerException(
                        "The active controller appears to be node 1."));
        assertThat(RecoveredKafkaErrors.recognise(event(
                        "kafka.server.ControllerApis",
                        Level.ERROR,
                        "[ControllerApis nodeId=1] Unexpected error handling request RequestHeader(apiKey="
                                + "CONTROLLER_REGISTRATION, ...)",
                        notYet)))
                .isEqualTo(Recovered.CONTROLLER_NOT_YET_ACTIVE);
        assertThat(RecoveredKafkaErrors.recognise(event("city.heze.peony.ops.PeonyStack", Level.ERROR, "x", notYet)))
                .isNull();
    }

    @Test
    void aCoordinatorLoadSupersededByANewLeaderEpochIsRecognised() {
        assertThat(RecoveredKafkaErrors.recognise(event(
                        "org.apache.kafka.coordinator.common.runtime.CoordinatorRuntime",
                        Level.ERROR,
                        "[GroupCoordinator id=1] Failed to load metadata from __consumer_offsets-5 with epoch 2",
                        new org.apache.kafka.common.errors.NotLeaderOrFollowerException("Stopped loading records"))))
                .isEqualTo(Recovered.COORDINATOR_LOAD_SUPERSEDED);
    }

    @Test
    void anInternalTopicNotYetKnownToTheBrokerIsRecognisedOnlyForStreamsInternalTopics() {
        String logger = "org.apache.kafka.clients.admin.internals.PartitionLeaderStrategy";
        var unknown = new org.apache.kafka.common.errors.UnknownTopicOrPartitionException(
                "This server does not host this topic-partition.");
        assertThat(RecoveredKafkaErrors.recognise(event(
                        logger,
                        Level.ERROR,
                        "[AdminClient clientId=peony-linkage-pension-certification-6962-admin] Received unknown topic"
                                + " error for topic peony-linkage-pension-certification-pension-cert-run-counts-store"
                                + "-changelog",
                        unknown)))
                .isEqualTo(Recovered.NEW_INTERNAL_TOPIC_NOT_YET_KNOWN);
        assertThat(RecoveredKafkaErrors.recognise(event(
                        logger,
                        Level.ERROR,
                        "[AdminClient clientId=adminclient-1] Received unknown topic error for topic shared.mz.typo",
                        unknown)))
                .isNull();
    }

    @Test
    void everyOtherErrorPassesUntouched() {
        RecoveredKafkaErrors filter = new RecoveredKafkaErrors();
        // Same logger, another cause: the user must see it.
        assertThat(filter.filter(event(
                        "kafka.server.ReplicaManager",
                        Level.ERROR,
                        "Error processing append operation on partition X",
                        new TimeoutException("disk"))))
                .isEqualTo(Result.NEUTRAL);
        // An out-of-order sequence that is not the recovered first-batch race is real data loss risk.
        assertThat(filter.filter(event(
                        "kafka.server.ReplicaManager",
                        Level.ERROR,
                        "Error processing append operation on partition X",
                        new OutOfOrderSequenceException("Out of order sequence number: 9, expected 4"))))
                .isEqualTo(Result.NEUTRAL);
        // Below WARN nothing is rewritten (DEBUG runs show everything as it is).
        assertThat(filter.filter(event("kafka.server.ReplicaManager", Level.DEBUG, "x", FIRST_BATCH_OVERTAKEN)))
                .isEqualTo(Result.NEUTRAL);
        assertThat(filter.told()).isEmpty();
    }

    @Test
    void installedOnEveryLoggerConfigSoTheKafkaLoggersStopTheEventAndOthersPass() {
        RecoveredKafkaErrors.install();
        RecoveredKafkaErrors.install(); // idempotent
        org.apache.logging.log4j.core.config.Configuration config = ((org.apache.logging.log4j.core.LoggerContext)
                        org.apache.logging.log4j.LogManager.getContext(false))
                .getConfiguration();
        org.apache.logging.log4j.core.config.LoggerConfig replicaManager =
                config.getLoggerConfig("kafka.server.ReplicaManager");
        assertThat(replicaManager.isFiltered(event(
                        "kafka.server.ReplicaManager", Level.ERROR, "Error processing append", FIRST_BATCH_OVERTAKEN)))
                .isTrue();
        assertThat(replicaManager.isFiltered(event(
                        "kafka.server.ReplicaManager",
                        Level.ERROR,
                        "Error processing append",
                        new TimeoutException("x"))))
                .isFalse();
        assertThat(config.getRootLogger().isFiltered(event("any", Level.ERROR, "x", FIRST_BATCH_OVERTAKEN)))
                .isTrue();
    }
}
