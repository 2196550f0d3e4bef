package city.heze.peony.schemas.registry;

import org.apache.avro.Schema;

/**
 * One version of a subject, as the registry answers {@code GET /subjects/{s}/versions/{v}}: the
 * subject, its version number, the global schema id and the schema text.
 */
public record RegisteredSchema(String subject, int version, int id, String schema) {

    /** Parses {@link #schema()} (each call parses again: keep the result if you need it often). */
    public Schema avroSchema() {
        return new Schema.Parser().parse(schema);
    }
}
