package city.heze.peony.schemas.registry;

import java.util.Locale;

/**
 * Confluent's compatibility levels. Backward: the new schema reads data written with the old one
 * (consumers upgrade first). Forward: the old schema reads data written with the new one (producers
 * upgrade first). Full: both. Transitive levels check every live version, the others only the latest.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    /** Confluent's default when nothing is configured. */
    public static final CompatibilityLevel DEFAULT = BACKWARD;

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** Whether the new schema must read data written with the old ones. */
    public boolean backward() {
        return backward;
    }

    /** Whether the old schemas must read data written with the new one. */
    public boolean forward() {
        return forward;
    }

    /** Whether every live version is checked rather than only the latest. */
    public boolean transitive() {
        return transitive;
    }

    /**
     * The level named by {@code text}, case-insensitively (the REST API accepts {@code "full"} as
     * well as {@code "FULL"}).
     *
     * @throws SchemaRegistryException 42203 for anything else
     */
    public static CompatibilityLevel parse(String text) {
        if (text != null) {
            String upper = text.trim().toUpperCase(Locale.ROOT);
            for (CompatibilityLevel level : values()) {
                if (level.name().equals(upper)) {
                    return level;
                }
            }
        }
        throw RegistryErrors.invalidCompatibilityLevel(text);
    }
}
