package city.heze.peony.streams.validation;

import city.heze.peony.avro.common.FieldRule;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The reader schema validation decodes a catalog's records into: the catalog's schema, with each
 * string decoded the cheapest way for what validation does with it. A field some rule reads becomes
 * a {@code java.lang.String} ({@code "avro.java.string": "String"}, one UTF-8 decode, then plain
 * character access); every other string stays a {@code Utf8} view of the bytes, never decoded,
 * since the record is shared as its original bytes anyway. Field positions and types are those of
 * the catalog's schema: only how strings are represented in Java changes.
 */
final class ReaderSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String JAVA_STRING_PROPERTY = "avro.java.string";

    private ReaderSchemas() {}

    /**
     * @param rules the catalog's rules: the fields they name (as {@code field} or as a parameter
     *     value, such as {@code birthDateField}) are read as Java strings
     * @throws SchemaParseException when the text is not an Avro schema
     */
    static Schema parse(String schemaText, List<FieldRule> rules) {
        JsonNode tree;
        try {
            tree = JSON.readTree(schemaText);
        } catch (JsonProcessingException e) {
            throw new SchemaParseException("not JSON: " + e.getOriginalMessage());
        }
        Set<String> ruled = new HashSet<>();
        for (FieldRule rule : rules) {
            if (rule.getField() != null) {
                ruled.add(rule.getField());
            }
            ruled.addAll(rule.getParameters().values());
        }
        JsonNode fields = tree.path("fields");
        if (fields.isArray()) {
            for (JsonNode field : fields) {
                if (field instanceof ObjectNode object && object.has("type")) {
                    object.set(
                            "type",
                            ruled.contains(object.path("name").asText())
                                    ? javaStrings(object.get("type"))
                                    : utf8Strings(object.get("type")));
                }
            }
        }
        return new Schema.Parser().parse(tree.toString());
    }

    /** Strings stay Utf8: no property. */
    private static JsonNode utf8Strings(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(JAVA_STRING_PROPERTY);
        }
        node.forEach(ReaderSchemas::utf8Strings);
        return node;
    }

    /** Strings become java.lang.String, whatever the catalog's text said; returns the node to use. */
    private static JsonNode javaStrings(JsonNode node) {
        if (node.isTextual()) {
            return node.asText().equals("string")
                    ? JSON.createObjectNode().put("type", "string").put(JAVA_STRING_PROPERTY, "String")
                    : node;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, javaStrings(array.get(i)));
            }
            return array;
        }
        if (node instanceof ObjectNode object) {
            if ("string".equals(object.path("type").asText())) {
                object.put(JAVA_STRING_PROPERTY, "String");
            }
            for (String child : new String[] {"type", "items", "values", "fields"}) {
                if (object.has(child)
                        && !(child.equals("type") && object.get(child).isTextual())) {
                    object.set(child, javaStrings(object.get(child)));
                }
            }
        }
        return node;
    }
}
