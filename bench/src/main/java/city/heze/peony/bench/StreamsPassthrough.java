package city.heze.peony.bench;

import city.heze.peony.streams.PeonyStreamsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * S, Kafka Streams' own limit on this broker: a topology that copies records byte for byte from
 * one topic to another, configured as Peony's topologies are ({@link PeonyStreamsConfig}), one
 * stream thread. Timed over a steady window ({@link StreamsStopwatch#steady}).
 */
final class StreamsPassthrough {

    private StreamsPassthrough() {}

    static Topology topology(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(
                        input,
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("bench-passthrough-source"))
                .to(
                        output,
                        Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("bench-passthrough-sink"));
        return builder.build();
    }

    /**
     * Copies the {@code records} records of {@code input} to {@code output} (a fresh, empty topic),
     * timed over the window.
     *
     * @param guarantee {@code at_least_once} or {@code exactly_once_v2}
     */
    static StreamsStopwatch.Timing run(
            BenchCluster cluster,
            String applicationId,
            String guarantee,
            String input,
            String output,
            long records,
            SteadyWindow window,
            Path stateDir) {
        Properties config = PeonyStreamsConfig.of(cluster.clientProperties(), applicationId, guarantee, stateDir);
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        FirstPollProbe.install(config);
        boolean transactional = StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee);
        return StreamsStopwatch.steady(cluster, applicationId, List.of(output), transactional, records, window, () -> {
            KafkaStreams streams = new KafkaStreams(topology(input, output), config);
            Throwable[] uncaught = new Throwable[1];
            streams.setUncaughtExceptionHandler(e -> {
                uncaught[0] = e;
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
            return new StreamsStopwatch.RunningApp() {
                @Override
                public String failure() {
                    return StreamsStopwatch.failureOf(streams, uncaught);
                }

                @Override
                public void close() {
                    streams.close(Duration.ofSeconds(30));
                    streams.cleanUp();
                }
            };
        });
    }
}
