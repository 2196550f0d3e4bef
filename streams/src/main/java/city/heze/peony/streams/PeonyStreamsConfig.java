package city.heze.peony.streams;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams settings every Peony topology runs with. Client properties (bootstrap servers,
 * security, {@code schema.registry.url}) come from the caller; Peony adds its guarantees on top.
 */
public final class PeonyStreamsConfig {
    /** The processing guarantee unless told otherwise: no record lost or duplicated. */
    public static final String DEFAULT_GUARANTEE = StreamsConfig.EXACTLY_ONCE_V2;

    private PeonyStreamsConfig() {}

    /**
     * @param client Kafka client properties (bootstrap.servers, security, schema.registry.url, ...)
     * @param applicationId the {@code application.id}: instances with the same one share the work
     * @param guarantee {@code exactly_once_v2} or {@code at_least_once}
     * @param stateDir where state stores live
     */
    public static Properties of(Properties client, String applicationId, String guarantee, Path stateDir) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // Every store, repartition and changelog topic must carry a name we chose.
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, "INFO");
        // No Peony topology needs records of one input to wait for another's: validation treats every
        // raw topic on its own, the share topology pairs requests and decisions in any order. With
        // Kafka's default (0) a task holding idle raw partitions pays for the idling check on every
        // record (a quarter of the validation thread under JFR); -1 never idles.
        props.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        // Replicate internal topics as the broker's default says: 1 on the embedded broker, 3 on a cluster.
        props.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        return props;
    }
}
