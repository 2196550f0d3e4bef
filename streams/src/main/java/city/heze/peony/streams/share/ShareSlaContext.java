package city.heze.peony.streams.share;

import city.heze.peony.streams.topology.StreamsTopics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Properties;

/**
 * What the share processors share, handed to each explicitly: deadlines, calendar and intervals,
 * the topics with their serdes (one registry client under them), and the meters. Close it after the
 * Kafka Streams instance: it owns the registry client.
 */
public record ShareSlaContext(ShareSlaSettings settings, StreamsTopics topics, ShareMeters meters)
        implements AutoCloseable {

    /**
     * @param clientProperties Kafka client properties with {@code schema.registry.url}
     * @param meterRegistry where the share meters are registered
     */
    public static ShareSlaContext of(
            ShareSlaSettings settings, Properties clientProperties, MeterRegistry meterRegistry) {
        return new ShareSlaContext(settings, StreamsTopics.connect(clientProperties), new ShareMeters(meterRegistry));
    }

    /** Unregisters the meters and closes the registry client; call after the Kafka Streams instance is closed. */
    @Override
    public void close() {
        meters.close();
        topics.close();
    }
}
