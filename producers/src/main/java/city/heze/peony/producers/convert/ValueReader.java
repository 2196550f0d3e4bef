package city.heze.peony.producers.convert;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;

/**
 * Reads the values of one Avro schema from JSON or from CSV text. One reader per schema node, built
 * once by {@link ValueReaders#of} when the converter is built, so a row costs no schema lookups.
 * Values come out as Avro's own representation (days for {@code date}, millis for {@code
 * timestamp-millis}, two's-complement bytes for {@code decimal}), which every Avro writer accepts
 * with or without logical-type conversions.
 */
abstract class ValueReader {

    /** The value a JSON node holds; {@code node} is never Java null but may be a JSON null. */
    abstract Object fromJson(JsonNode node);

    /**
     * The value at the parser's current token, consuming it (a container up to its end). Readers of
     * the common types read the token directly; the rest read the value as a tree and go through
     * {@link #fromJson}, with the same results and messages.
     */
    Object fromParser(JsonParser p) throws IOException {
        return fromJson(tree(p));
    }

    /** The current value as a tree (for the rare types and for error messages). */
    static JsonNode tree(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return NullNode.getInstance();
        }
        JsonNode node = p.readValueAsTree();
        return node == null ? NullNode.getInstance() : node;
    }

    /** The value a CSV cell holds; {@code text} is never null (an empty cell was handled before). */
    abstract Object fromText(String text);

    /** What the reader expects, as a reason says it: "an int", "a date yyyy-MM-dd". */
    abstract String expected();

    /** Whether null is a value of the schema (the null type, or a union with it). */
    boolean nullable() {
        return false;
    }

    final ConversionException wrong(JsonParser p) throws IOException {
        return wrong(tree(p));
    }

    final ConversionException wrong(JsonNode node) {
        return ConversionException.of("expected " + expected() + ", found " + Found.json(node));
    }

    final ConversionException wrong(String text) {
        return ConversionException.of(
                text.isBlank()
                        ? "empty, expected " + expected()
                        : "expected " + expected() + ", found " + Found.text(text));
    }
}
