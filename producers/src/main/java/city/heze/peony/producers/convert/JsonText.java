package city.heze.peony.producers.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Parses JSON the way conversion needs it: numbers with a fraction as exact decimals (a {@code
 * decimal(18,2)} must not pass through a double), a duplicated key or trailing text is an error, and
 * a parse error reads as one line with its column.
 */
final class JsonText {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Duplicates are found by the readers (a record's fields by position, a tree's keys here):
            // cheaper than the parser's own detection, which keeps a set per object.
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    /**
     * Creates the parsers of JSON Lines rows, which are read as tokens: without {@code
     * FAIL_ON_TRAILING_TOKENS}, which would refuse the rest of a row after a value read as a tree.
     */
    static final ObjectMapper STREAMING = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private JsonText() {}

    /** The JSON text in a CSV cell, for a type that is JSON in CSV (array, map, record). */
    static JsonNode parse(String text, ValueReader reader) {
        if (text.isBlank()) {
            throw reader.wrong(text);
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ConversionException.of("not valid JSON for " + reader.expected() + ": " + describe(e));
        }
    }

    static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int cut = message.indexOf('\n');
        if (cut >= 0) {
            message = message.substring(0, cut);
        }
        if (message.length() > 160) {
            message = message.substring(0, 160) + "…";
        }
        return e.getLocation() == null
                ? message
                : message + " (column " + e.getLocation().getColumnNr() + ")";
    }
}
