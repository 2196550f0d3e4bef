package city.heze.peony.ops.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The state of a Kafka Streams application as gauges: Micrometer's {@code KafkaStreamsMetrics}
 * binder exports only numeric Kafka metrics, and the client's {@code state} metric is a string, so
 * Prometheus would never see whether the topology is RUNNING.
 *
 * <ul>
 *   <li>{@code peony.streams.running} {application}: 1 while RUNNING, else 0 (the alert's input);
 *   <li>{@code peony.streams.state} {application, state}: 1 for the current state, 0 for the others
 *       (seven states, so bounded), for a dashboard to show which state it is stuck in.
 * </ul>
 */
public final class StreamsStateGauges {
    public static final String RUNNING = "peony.streams.running";
    public static final String STATE = "peony.streams.state";

    private StreamsStateGauges() {}

    /**
     * Registers both gauges for {@code streams}; the gauges keep a strong reference to it (the
     * default weak one would turn the gauge to NaN once the caller only holds it elsewhere).
     */
    public static void register(MeterRegistry registry, KafkaStreams streams, String application) {
        Gauge.builder(RUNNING, streams, s -> s.state() == KafkaStreams.State.RUNNING ? 1 : 0)
                .description("1 while the Kafka Streams application is RUNNING, else 0")
                .tag("application", application)
                .strongReference(true)
                .register(registry);
        for (KafkaStreams.State state : KafkaStreams.State.values()) {
            Gauge.builder(STATE, streams, s -> s.state() == state ? 1 : 0)
                    .description("1 for the state the Kafka Streams application is in, 0 for the others")
                    .tags("application", application, "state", state.name())
                    .strongReference(true)
                    .register(registry);
        }
    }
}
