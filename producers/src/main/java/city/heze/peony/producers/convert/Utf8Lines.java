package city.heze.peony.producers.convert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads UTF-8 text line by line, decoding each line on its own and strictly, so that bytes that are
 * not UTF-8 are reported on the very line they are in (a reader that decodes ahead in large blocks
 * would blame the first line of the block). ASCII lines, the common case, skip the decoder. Lines end
 * at {@code \n}; a {@code \r} before it is dropped.
 */
final class Utf8Lines implements AutoCloseable {
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] line = new byte[1024];
    private int filled;
    private int at;
    private boolean eof;
    private long lineNumber;
    private boolean ascii;

    Utf8Lines(InputStream in) {
        this.in = in;
    }

    /** Lines read so far, counting one that failed to decode. */
    long lineNumber() {
        return lineNumber;
    }

    /**
     * The next line without its end, or null at the end of the input.
     *
     * @throws CharacterCodingException if the line is not UTF-8; {@link #lineNumber()} is its number
     */
    String readLine() throws IOException {
        int length = readLineBytes();
        if (length < 0) {
            return null;
        }
        if (ascii) {
            return new String(line, 0, length, StandardCharsets.ISO_8859_1);
        }
        // The JDK's own decoding is far faster than a CharsetDecoder but replaces bad bytes with
        // U+FFFD silently: a line with U+FFFD in it is checked again, strictly.
        String text = new String(line, 0, length, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0 || isUtf8(line, length)) {
            return text;
        }
        decoder.reset();
        return decoder.decode(ByteBuffer.wrap(line, 0, length)).toString(); // throws, saying what is wrong
    }

    /**
     * Reads the next line's bytes, without its end, into {@link #bytes()}; returns their count, or -1
     * at the end of the input. The bytes are not checked: the caller decodes them.
     */
    int readLineBytes() throws IOException {
        int length = 0;
        ascii = true;
        while (true) {
            if (at == filled) {
                if (eof || !fill()) {
                    if (length == 0) {
                        return -1;
                    }
                    break;
                }
            }
            int start = at;
            int newline = -1;
            boolean high = false;
            for (int i = at; i < filled; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    newline = i;
                    break;
                }
                high |= b < 0;
            }
            if (high) {
                ascii = false;
            }
            int end = newline < 0 ? filled : newline;
            int count = end - start;
            if (length + count > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
            }
            System.arraycopy(buffer, start, line, length, count);
            length += count;
            at = newline < 0 ? filled : newline + 1;
            if (newline >= 0) {
                break;
            }
        }
        lineNumber++;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        return length;
    }

    /** The bytes of the line {@link #readLineBytes()} read (valid up to its count, until the next read). */
    byte[] bytes() {
        return line;
    }

    /** Whether the bytes are well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF). */
    static boolean isUtf8(byte[] bytes, int length) {
        int i = 0;
        while (i < length) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int need;
            int min;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
                min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                min = 0x800;
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + need >= length) {
                return false;
            }
            int code = b & (0x3F >> need);
            for (int k = 1; k <= need; k++) {
                int c = bytes[i + k] & 0xFF;
                if ((c & 0xC0) != 0x80) {
                    return false;
                }
                code = (code << 6) | (c & 0x3F);
            }
            if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
                return false;
            }
            i += need + 1;
        }
        return true;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        filled = n;
        at = 0;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
