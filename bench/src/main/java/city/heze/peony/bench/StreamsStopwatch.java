package city.heze.peony.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Times a streams application over input that is already in its topics. What is timed, exactly:
 * from the first poll in which the application's main consumer returned records ({@link
 * FirstPollProbe}) to the first end-offset poll that saw every expected output record visible to
 * consumers ({@link OutputWatch}: written for {@code at_least_once}, committed for {@code
 * exactly_once_v2}). Start-up, group join, task assignment and state restoration come before the
 * first poll and are not timed; neither is the close. The throughput is input records over that
 * time.
 */
final class StreamsStopwatch {

    /** An application under measurement. */
    interface RunningApp extends AutoCloseable {
        /** Why the application cannot deliver its output (stopped, failed), or null while it runs. */
        String failure();

        @Override
        void close();

        /**
         * One of Peony's applications: failed once its streams are in error or stopped; closing
         * it also removes its local state, so the next run starts from nothing.
         */
        static RunningApp of(String name, Supplier<KafkaStreams.State> state, Runnable close, KafkaStreams streams) {
            return new RunningApp() {
                @Override
                public String failure() {
                    KafkaStreams.State now = state.get();
                    return now == KafkaStreams.State.ERROR
                                    || now == KafkaStreams.State.PENDING_ERROR
                                    || now == KafkaStreams.State.NOT_RUNNING
                            ? name + " is " + now
                            : null;
                }

                @Override
                public void close() {
                    close.run();
                    streams.cleanUp();
                }
            };
        }
    }

    /**
     * A streams measurement: input records per second, the heap growth at its peak, and the records
     * that arrived on each output topic.
     */
    record Timing(double recordsPerSecond, double peakHeapMebibytes, Map<String, Long> delivered, boolean cutShort) {}

    /** The allowance every measurement gets, whatever its size: start-up, group join, first fetches. */
    static final Duration BASE_TIMEOUT = Duration.ofSeconds(60);
    /** Per 1,000 input records: the records themselves, at a throughput far below any measured. */
    static final Duration PER_THOUSAND_RECORDS = Duration.ofSeconds(1);
    /**
     * Per source topic the application meets for the first time (one per catalog for validation).
     * Each costs work once, before its first record is out: the writer-schema check of its records
     * (two registry calls, ~45 ms each while the registry's HTTP server ran without TCP_NODELAY,
     * ~2 ms with it), the first fetch of its partitions and the producer's metadata for its shared
     * topic. 150 ms covers the worst measured (~110 ms per catalog, docs/scaling.md) with margin,
     * so {@code --catalogs 2000} can finish (60 s + 300 s) even on a loaded machine, while a
     * measurement that truly hangs still fails in bounded time.
     */
    static final Duration PER_TOPIC = Duration.ofMillis(150);

    private StreamsStopwatch() {}

    /**
     * How long a measurement over {@code inputRecords} records in {@code sourceTopics} topics may
     * take before it fails: it grows with both, since both add work before the last output.
     */
    static Duration timeoutFor(long inputRecords, int sourceTopics) {
        if (inputRecords < 0 || sourceTopics < 0) {
            throw new IllegalArgumentException(
                    "inputRecords " + inputRecords + " and sourceTopics " + sourceTopics + ": expected 0 or more");
        }
        return BASE_TIMEOUT
                .plus(PER_THOUSAND_RECORDS.multipliedBy(inputRecords / 1000))
                .plus(PER_TOPIC.multipliedBy(sourceTopics));
    }

    /**
     * @param applicationId the application's id (its consumer group), for the first-poll probe
     * @param outputs the topics the expected output records go to
     * @param transactional whether the application runs with {@code exactly_once_v2}
     * @param inputRecords records in the input, for the throughput
     * @param sourceTopics topics the input is spread over (the catalogs, for validation), for the timeout
     * @param expectedOutputs output records that mark the end
     * @param start starts the application (configured with {@link FirstPollProbe#install})
     */
    static Timing time(
            BenchCluster cluster,
            String applicationId,
            List<String> outputs,
            boolean transactional,
            long inputRecords,
            int sourceTopics,
            long expectedOutputs,
            Supplier<RunningApp> start) {
        FirstPollProbe.forget(applicationId);
        Duration timeout = timeoutFor(inputRecords, sourceTopics);
        try (OutputWatch watch = new OutputWatch(cluster, outputs, transactional);
                HeapProbe heap = HeapProbe.start();
                RunningApp app = start.get()) {
            long end = watch.awaitRecords(expectedOutputs, timeout, app::failure);
            Long first = FirstPollProbe.firstPollNanos(applicationId);
            if (first == null) {
                throw new BenchFailure("application " + applicationId
                        + " delivered its output but its main consumer was never seen polling records;"
                        + " is FirstPollProbe installed in its configuration?");
            }
            double seconds = Math.max(end - first, 1) / 1e9;
            Map<String, Long> delivered = new LinkedHashMap<>();
            outputs.forEach(topic -> delivered.put(topic, watch.delivered(topic)));
            // After the timing, while the application still runs: the probe's last collection.
            return new Timing(inputRecords / seconds, heap.peakGrowthMebibytes(), delivered, false);
        } catch (BenchFailure e) {
            throw new BenchFailure(applicationId + ": " + e.getMessage(), e);
        } finally {
            FirstPollProbe.forget(applicationId);
        }
    }

    /**
     * Times an application over a {@link SteadyWindow} that opens the settling time after its main
     * consumer's first non-empty poll: output records that became visible inside the window, per
     * second. The input ({@code inputRecords} in its topics, one output record each) must last
     * beyond the window; if it does not, the window closes when the output is complete and the
     * rate says it was cut short.
     */
    static Timing steady(
            BenchCluster cluster,
            String applicationId,
            List<String> outputs,
            boolean transactional,
            long inputRecords,
            SteadyWindow window,
            Supplier<RunningApp> start) {
        FirstPollProbe.forget(applicationId);
        try (OutputWatch watch = new OutputWatch(cluster, outputs, transactional);
                HeapProbe heap = HeapProbe.start();
                RunningApp app = start.get()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            Long first;
            while ((first = FirstPollProbe.firstPollNanos(applicationId)) == null) {
                String why = app.failure();
                if (why != null) {
                    throw new BenchFailure(why + " before its first poll");
                }
                if (System.nanoTime() > deadline) {
                    throw new BenchFailure("its main consumer returned no record within 120 s of the start;"
                            + " is FirstPollProbe installed in its configuration?");
                }
                sleep();
            }
            SteadyWindow.Rate rate = window.measure(first, watch::offsetsNow, () -> {
                String why = app.failure();
                if (why != null) {
                    throw new BenchFailure(why);
                }
                return watch.offsetsNow() >= inputRecords;
            });
            return new Timing(rate.recordsPerSecond(), heap.peakGrowthMebibytes(), Map.of(), rate.cutShort());
        } catch (BenchFailure e) {
            throw new BenchFailure(applicationId + ": " + e.getMessage(), e);
        } finally {
            FirstPollProbe.forget(applicationId);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(OutputWatch.POLL_MILLIS);
        } catch (InterruptedException e) {
            throw BenchCluster.interrupted(e);
        }
    }

    /** A failure description for a plain {@link KafkaStreams} instance. */
    static String failureOf(KafkaStreams streams, Throwable[] uncaught) {
        if (uncaught[0] != null) {
            return "the stream thread failed: " + uncaught[0];
        }
        KafkaStreams.State state = streams.state();
        return switch (state) {
            case ERROR, PENDING_ERROR, NOT_RUNNING, PENDING_SHUTDOWN -> "the application is " + state;
            default -> null;
        };
    }
}
