package city.heze.peony.streams.validation;

import city.heze.peony.streams.topology.StreamsTopics;

/**
 * What the validation processors share, handed to each explicitly: the settings, the topics with
 * their serdes (and the one registry client under them), the compiled catalogs, and the meters.
 * Build it once per application with {@link #of}, give it to {@link ValidationTopology#addTo}, and
 * {@link #close()} it after the Kafka Streams instance: it owns the registry client.
 */
public record ValidationContext(
        ValidationTopology.Settings settings,
        StreamsTopics topics,
        CatalogDirectory directory,
        ValidationMeters meters,
        QualityGauges gauges)
        implements AutoCloseable {

    public static ValidationContext of(ValidationTopology.Settings settings) {
        return new ValidationContext(
                settings,
                StreamsTopics.connect(settings.registryConfigs()),
                new CatalogDirectory(),
                new ValidationMeters(settings.meterRegistry()),
                new QualityGauges(settings.meterRegistry()));
    }

    /** How many catalogs the topology knows (for a status line). */
    public int catalogCount() {
        return directory.size();
    }

    /** Closes the registry client; call after the Kafka Streams instance is closed. */
    @Override
    public void close() {
        topics.close();
    }
}
