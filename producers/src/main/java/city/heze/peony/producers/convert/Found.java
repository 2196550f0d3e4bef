package city.heze.peony.producers.convert;

import com.fasterxml.jackson.databind.JsonNode;

/** How a reason shows the value it found: its JSON kind and a bounded excerpt, never a whole line. */
final class Found {
    private static final int SHOWN = 40;

    private Found() {}

    static String json(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "string " + text(node.textValue());
            case NUMBER -> "number " + cut(node.asText());
            case BOOLEAN -> "boolean " + node.asText();
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    static String text(String text) {
        return "\"" + cut(text) + "\"";
    }

    static String cut(String text) {
        return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "…";
    }
}
