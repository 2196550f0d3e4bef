package city.heze.peony.producers.convert;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * The readers of values made of other values: array and map (JSON; in CSV the cell holds the JSON
 * text) and union (JSON null is the null branch; any other value goes to the first branch that
 * takes it). Records are {@link RecordReader}.
 */
final class ContainerReaders {
    private ContainerReaders() {}

    static final class ArrayReader extends ValueReader {
        private final Schema schema;
        private final ValueReader items;

        ArrayReader(Schema schema, ValueReader items) {
            this.schema = schema;
            this.items = items;
        }

        @Override
        Object fromText(String text) {
            return fromJson(JsonText.parse(text, this));
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw wrong(p);
            }
            GenericData.Array<Object> array = new GenericData.Array<>(4, schema);
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                try {
                    array.add(items.fromParser(p));
                } catch (ConversionException e) {
                    throw e.inside("[" + i + "]");
                }
                i++;
            }
            return array;
        }

        @Override
        String expected() {
            return "a JSON array of " + items.expected();
        }
    }

    static final class MapReader extends ValueReader {
        private final ValueReader values;

        MapReader(ValueReader values) {
            this.values = values;
        }

        @Override
        Object fromText(String text) {
            return fromJson(JsonText.parse(text, this));
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw wrong(p);
            }
            Map<String, Object> map = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (map.containsKey(key)) {
                    throw ConversionException.of("key '" + key + "' appears twice; expected each key once")
                            .inside("['" + key + "']");
                }
                try {
                    map.put(key, values.fromParser(p));
                } catch (ConversionException e) {
                    throw e.inside("['" + key + "']");
                }
            }
            return map;
        }

        @Override
        String expected() {
            return "a JSON object of " + values.expected();
        }
    }

    static final class UnionReader extends ValueReader {
        private final boolean nullable;
        private final ValueReader[] branches;
        private final String expected;

        UnionReader(boolean nullable, ValueReader[] branches) {
            this.nullable = nullable;
            this.branches = branches;
            String joined = Arrays.stream(branches).map(ValueReader::expected).collect(Collectors.joining(" or "));
            this.expected = nullable ? (branches.length == 0 ? "null" : joined + " or null") : joined;
        }

        @Override
        Object fromJson(JsonNode node) {
            if (node.isNull()) {
                if (nullable) {
                    return null;
                }
                throw wrong(node);
            }
            return firstTaking(node, false);
        }

        @Override
        Object fromText(String text) {
            return firstTaking(text, true);
        }

        /**
         * The value of the first branch that takes {@code input} (a CSV cell if {@code isText}, else a
         * JSON node); a single branch's own error stands, being the more precise.
         */
        private Object firstTaking(Object input, boolean isText) {
            if (branches.length == 1) {
                return read(branches[0], input, isText);
            }
            for (ValueReader branch : branches) {
                try {
                    return read(branch, input, isText);
                } catch (ConversionException e) {
                    // the next branch may take it
                }
            }
            throw isText ? wrong((String) input) : wrong((JsonNode) input);
        }

        private static Object read(ValueReader branch, Object input, boolean isText) {
            return isText ? branch.fromText((String) input) : branch.fromJson((JsonNode) input);
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                if (nullable) {
                    return null;
                }
                throw wrong(p);
            }
            if (branches.length == 1) {
                return branches[0].fromParser(p);
            }
            return fromJson(tree(p)); // branches are tried on a tree, which can be read again
        }

        @Override
        String expected() {
            return expected;
        }

        @Override
        boolean nullable() {
            return nullable;
        }
    }
}
