package city.heze.peony.streams.linkage;

import city.heze.peony.streams.topology.StreamsTopics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Properties;

/**
 * What the linkage processors share, handed to each explicitly: thresholds and windows, the topics
 * with their serdes (one registry client under them), and where meters go. Close it after the Kafka
 * Streams instance: it owns the registry client.
 */
public record LinkageContext(LinkageSettings settings, StreamsTopics topics, MeterRegistry meterRegistry)
        implements AutoCloseable {

    /** @param clientProperties Kafka client properties with {@code schema.registry.url} */
    public static LinkageContext of(LinkageSettings settings, Properties clientProperties, MeterRegistry registry) {
        return new LinkageContext(settings, StreamsTopics.connect(clientProperties), registry);
    }

    @Override
    public void close() {
        topics.close();
    }
}
