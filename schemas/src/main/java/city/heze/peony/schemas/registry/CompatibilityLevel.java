package city.heze.peony.schemas.registry;

import java.util.Locale;

/**
 * Confluent's compatibility levels. Backward: the new schema reads data written with the old one
 * (consumers upgrade first). Forward: the old schema reads data written with the new one (producers
 * upgrade first). Full: both. Transitive levels check every live version, the others only the latest.
 */
public enum CompatibilityLevel {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE;

    /** Confluent's default when nothing is configured. */
    public static final CompatibilityLevel DEFAULT = BACKWARD;

    /** Whether the new schema must read data written with the old ones. */
    public boolean backward() {
        return name().startsWith("BACKWARD") || name().startsWith("FULL");
    }

    /** Whether the old schemas must read data written with the new one. */
    public boolean forward() {
        return name().startsWith("FORWARD") || name().startsWith("FULL");
    }

    /** Whether every live version is checked rather than only the latest. */
    public boolean transitive() {
        return name().endsWith("_TRANSITIVE");
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
