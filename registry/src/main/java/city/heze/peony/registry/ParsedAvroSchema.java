package city.heze.peony.registry;

import city.heze.peony.schemas.registry.RegistryErrors;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * An Avro schema with the canonical text the registry compares and stores.
 *
 * <p>The canonical text is Avro's own {@link Schema#toString()} of the parsed schema, the same
 * choice as Confluent's registry: whitespace and attribute order do not create a new id, while
 * defaults, logical types, aliases and docs are kept. Avro's "parsing canonical form" is not used
 * because it drops defaults and logical types, so two schemas that evolve differently (one field
 * with a default, one without) would share an id.
 */
public record ParsedAvroSchema(Schema schema, String canonical) {

    /**
     * Parses a schema text as the registry receives it.
     *
     * @throws SchemaRegistryException 42201 with Avro's parse message
     */
    public static ParsedAvroSchema parse(String text) {
        if (text == null || text.isBlank()) {
            throw RegistryErrors.invalidSchema("the schema is empty");
        }
        try {
            Schema schema = new Schema.Parser().parse(text);
            return new ParsedAvroSchema(schema, schema.toString());
        } catch (AvroRuntimeException | IllegalArgumentException e) {
            // SchemaParseException is an AvroRuntimeException; bad defaults surface as either.
            throw RegistryErrors.invalidSchema(e.getMessage() + " (in " + abbreviate(text) + ")");
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 160 ? oneLine.substring(0, 160) + "..." : oneLine;
    }

    /** A schema already parsed by the caller. */
    public static ParsedAvroSchema of(Schema schema) {
        return new ParsedAvroSchema(schema, schema.toString());
    }
}
