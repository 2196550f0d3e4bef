package city.heze.peony.streams.opendata;

import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.streams.topology.StreamsTopics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * What the open-data processors share: the settings, the topics with their serdes (and the one
 * registry client under them), the compiled catalogs and the meters. Close it after the Kafka
 * Streams instance: it owns the registry client.
 */
public record OpenDataContext(Settings settings, StreamsTopics topics, OpenCatalogs catalogs, OpenMeters meters)
        implements AutoCloseable {

    /**
     * @param registryConfigs serde and registry settings ({@code schema.registry.url}, ...)
     * @param meterRegistry where the {@code peony.open.*} meters go
     * @param rateInterval how often (wall clock) changed rates go to {@code peony.open.rates} and the gauges
     */
    public record Settings(Map<String, ?> registryConfigs, MeterRegistry meterRegistry, Duration rateInterval) {
        public static final Duration DEFAULT_RATE_INTERVAL = Duration.ofSeconds(5);

        public Settings {
            Objects.requireNonNull(registryConfigs, "registryConfigs");
            Objects.requireNonNull(meterRegistry, "meterRegistry");
            if (rateInterval.isNegative() || rateInterval.isZero()) {
                throw new IllegalArgumentException("rateInterval " + rateInterval + ": expected a positive duration");
            }
            registryConfigs = Map.copyOf(registryConfigs);
        }

        public static Settings of(Properties clientProperties, MeterRegistry meterRegistry) {
            return new Settings(
                    ClientConfigs.toMap(ClientConfigs.kafkaOnly(clientProperties)),
                    meterRegistry,
                    DEFAULT_RATE_INTERVAL);
        }
    }

    public static OpenDataContext of(Settings settings) {
        return new OpenDataContext(
                settings,
                StreamsTopics.connect(settings.registryConfigs()),
                new OpenCatalogs(),
                new OpenMeters(settings.meterRegistry()));
    }

    @Override
    public void close() {
        meters.close();
        topics.close();
    }
}
