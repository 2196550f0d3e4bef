package city.heze.peony.producers.convert;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads the values of one Avro schema from JSON or from CSV text. One reader per schema node, built
 * once by {@link ValueReaders#of} when the converter is built, so a row costs no schema lookups.
 * Values come out as Avro's own representation (days for {@code date}, millis for {@code
 * timestamp-millis}, two's-complement bytes for {@code decimal}), which every Avro writer accepts
 * with or without logical-type conversions.
 */
abstract class ValueReader {

    /**
     * The value at the parser's current token, consuming it (a container up to its end): the one
     * JSON reading of the type. A JSON string goes through {@link #fromText} where the type takes
     * text (dates, base64, decimals), so text and JSON agree by construction.
     */
    abstract Object fromParser(JsonParser p) throws IOException;

    /**
     * The value a JSON node holds; {@code node} is never Java null but may be a JSON null. Derived
     * from {@link #fromParser} by walking the tree as tokens, so results and messages are the same;
     * a union overrides it to try its branches on the tree.
     */
    Object fromJson(JsonNode node) {
        try (JsonParser p = node.traverse(JsonText.STREAMING)) {
            p.nextToken();
            return fromParser(p);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a JSON tree in memory", e); // a tree has no I/O
        }
    }

    /** Whether the current token is a whole JSON number that fits an int. */
    static boolean isIntToken(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT;
    }

    /** Whether the current token is a whole JSON number that fits a long (an int does). */
    static boolean isLongToken(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            return false;
        }
        JsonParser.NumberType type = p.getNumberType();
        return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
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
