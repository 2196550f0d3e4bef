package city.heze.peony.streams.validation;

import java.nio.charset.StandardCharsets;

/** Reads what {@link CompactWriter} wrote; a value that is cut short fails naming what it was reading. */
final class CompactReader {
    private final byte[] bytes;
    private final String what;
    private int position;

    CompactReader(byte[] bytes, String what) {
        this.bytes = bytes;
        this.what = what;
    }

    int readByte() {
        need(1);
        return bytes[position++] & 0xff;
    }

    int readInt() {
        need(4);
        int value = ((bytes[position] & 0xff) << 24)
                | ((bytes[position + 1] & 0xff) << 16)
                | ((bytes[position + 2] & 0xff) << 8)
                | (bytes[position + 3] & 0xff);
        position += 4;
        return value;
    }

    long readLong() {
        need(8);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[position++] & 0xff);
        }
        return value;
    }

    String readString() {
        int length = readInt();
        if (length < 0) {
            throw new IllegalStateException(what + ": negative string length " + length + " at byte " + position);
        }
        need(length);
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /** Checks the format version written first. */
    CompactReader expectVersion(int version) {
        int found = readByte();
        if (found != version) {
            throw new IllegalStateException(what + ": format version " + found + ", expected " + version
                    + " (state written by another version of Peony; reset the application to rebuild it)");
        }
        return this;
    }

    private void need(int count) {
        if (position + count > bytes.length) {
            throw new IllegalStateException(what + ": " + bytes.length + " bytes, cut short at byte " + position
                    + " while reading " + count + " more");
        }
    }
}
