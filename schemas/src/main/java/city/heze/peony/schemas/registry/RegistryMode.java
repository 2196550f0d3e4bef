package city.heze.peony.schemas.registry;

import java.util.Locale;

/**
 * Confluent's registry modes. READONLY refuses registrations and deletions (for example during a
 * migration); IMPORT accepts schemas with their ids and versions given by the caller, to copy a
 * registry without changing any id.
 */
public enum RegistryMode {
    READWRITE,
    READONLY,
    IMPORT;

    /**
     * The mode named by {@code text}, case-insensitively.
     *
     * @throws SchemaRegistryException 42204 for anything else
     */
    public static RegistryMode parse(String text) {
        if (text != null) {
            String upper = text.trim().toUpperCase(Locale.ROOT);
            for (RegistryMode mode : values()) {
                if (mode.name().equals(upper)) {
                    return mode;
                }
            }
        }
        throw RegistryErrors.invalidMode(text);
    }
}
