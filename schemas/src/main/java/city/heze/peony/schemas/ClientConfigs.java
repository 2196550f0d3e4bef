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
}
