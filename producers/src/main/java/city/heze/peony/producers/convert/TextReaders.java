package city.heze.peony.producers.convert;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * The readers of values written as words or text: null, boolean, string, enum, bytes and fixed
 * (base64), and uuid. Each reads a JSON token and a text (a CSV cell); a JSON string goes through the
 * text form wherever the type takes text, and the JSON tree form is derived ({@link
 * ValueReader#fromJson}).
 */
final class TextReaders {
    private TextReaders() {}

    static final class NullReader extends ValueReader {
        @Override
        Object fromText(String text) {
            if (text.isEmpty()) {
                return null;
            }
            throw wrong(text);
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return null;
            }
            throw wrong(p);
        }

        @Override
        String expected() {
            return "null";
        }

        @Override
        boolean nullable() {
            return true;
        }
    }

    static final class BooleanReader extends ValueReader {
        @Override
        Object fromText(String text) {
            String t = text.trim();
            if (t.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (t.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
            throw wrong(text);
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_TRUE) {
                return Boolean.TRUE;
            }
            if (t == JsonToken.VALUE_FALSE) {
                return Boolean.FALSE;
            }
            throw wrong(p);
        }

        @Override
        String expected() {
            return "a boolean (true or false)";
        }
    }

    /** A JSON string (a number is the wrong type); the CSV cell as is, never trimmed. */
    static final class StringReader extends ValueReader {
        @Override
        Object fromText(String text) {
            return text;
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            throw wrong(p);
        }

        @Override
        String expected() {
            return "a string";
        }
    }

    /**
     * A type whose JSON form is a string holding its text form (base64, a UUID, a date): one parser,
     * {@link #fromText}, for both. A type that also takes a JSON number (dates and times in their
     * unit, decimals) reads the number first and leaves the rest to this.
     */
    abstract static class TextValueReader extends ValueReader {
        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return fromText(p.getText());
            }
            throw wrong(p);
        }
    }

    private static byte[] base64(String text, ValueReader reader) {
        try {
            return Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw reader.wrong(text);
        }
    }

    static final class BytesReader extends TextValueReader {
        @Override
        Object fromText(String text) {
            return ByteBuffer.wrap(base64(text, this));
        }

        @Override
        String expected() {
            return "bytes as base64 text";
        }
    }

    static final class FixedReader extends TextValueReader {
        private final Schema schema;

        FixedReader(Schema schema) {
            this.schema = schema;
        }

        @Override
        Object fromText(String text) {
            byte[] bytes = base64(text, this);
            if (bytes.length != schema.getFixedSize()) {
                throw ConversionException.of(
                        bytes.length + " bytes, expected exactly " + schema.getFixedSize() + " (" + expected() + ")");
            }
            return new GenericData.Fixed(schema, bytes);
        }

        @Override
        String expected() {
            return schema.getFixedSize() + " bytes as base64 text (fixed " + schema.getFullName() + ")";
        }
    }

    /**
     * One of its symbols, exactly. An unknown symbol is a bad line even if the enum has a default:
     * the default is for readers of an older schema, not a licence to turn a typo into UNKNOWN.
     */
    static final class EnumReader extends ValueReader {
        private final Map<String, GenericData.EnumSymbol> symbols = new HashMap<>();
        private final String expected;

        EnumReader(Schema schema) {
            for (String symbol : schema.getEnumSymbols()) {
                // Immutable, so one instance per symbol serves every row.
                symbols.put(symbol, new GenericData.EnumSymbol(schema, symbol));
            }
            List<String> names = schema.getEnumSymbols();
            String listed = names.size() <= 12
                    ? String.join(", ", names)
                    : String.join(", ", names.subList(0, 12)) + ", … (" + names.size() + " symbols)";
            this.expected = "one of " + listed + " (enum " + schema.getName() + ")";
        }

        @Override
        Object fromText(String text) {
            GenericData.EnumSymbol symbol = symbols.get(text.trim());
            if (symbol != null) {
                return symbol;
            }
            throw text.isBlank() ? wrong(text) : unknown(text);
        }

        /** Exactly a symbol: a JSON string is not trimmed, unlike a CSV cell. */
        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                GenericData.EnumSymbol symbol = symbols.get(p.getText());
                if (symbol != null) {
                    return symbol;
                }
                throw unknown(p.getText());
            }
            throw wrong(p);
        }

        private ConversionException unknown(String symbol) {
            return ConversionException.of("unknown symbol " + Found.text(symbol) + ", expected " + expected);
        }

        @Override
        String expected() {
            return expected;
        }
    }

    /** {@code uuid} on a string (kept as lower-case text) or a 16-byte fixed. */
    static final class UuidReader extends TextValueReader {
        private final Schema fixed;

        UuidReader(Schema fixed) {
            this.fixed = fixed;
        }

        @Override
        Object fromText(String text) {
            String t = text.trim();
            if (!isCanonical(t)) {
                throw wrong(text);
            }
            if (fixed == null) {
                return t.toLowerCase(Locale.ROOT);
            }
            UUID uuid = UUID.fromString(t);
            ByteBuffer bytes = ByteBuffer.allocate(16);
            bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            return new GenericData.Fixed(fixed, bytes.array());
        }

        private static boolean isCanonical(String t) {
            if (t.length() != 36) {
                return false;
            }
            for (int i = 0; i < 36; i++) {
                char c = t.charAt(i);
                boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
                if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        String expected() {
            return "a UUID xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
        }
    }
}
