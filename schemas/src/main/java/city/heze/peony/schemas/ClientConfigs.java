package city.heze.peony.schemas;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Kafka client settings as the map that serde and client constructors take. */
public final class ClientConfigs {
    private ClientConfigs() {}

    /** A copy of {@code properties} with string keys. */
    public static Map<String, Object> toMap(Properties properties) {
        Map<String, Object> map = new HashMap<>();
        properties.forEach((k, v) -> map.put(k.toString(), v));
        return map;
    }

    /**
     * A copy of {@code properties} without Peony's own settings ({@code peony.*}, e.g. share
     * deadlines): they are not Kafka's, and a Kafka client would warn about each of them.
     */
    public static Properties kafkaOnly(Properties properties) {
        Properties kafka = new Properties();
        properties.forEach((k, v) -> {
            if (!k.toString().startsWith("peony.")) {
                kafka.put(k, v);
            }
        });
        return kafka;
    }
}
