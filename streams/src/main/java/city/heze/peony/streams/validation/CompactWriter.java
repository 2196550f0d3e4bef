package city.heze.peony.streams.validation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the small internal values of the scorecard stores and repartition topic (counts, partials,
 * windows): fixed-width big-endian numbers and length-prefixed UTF-8 strings. Internal state is not
 * a contract, so no registry and no Avro: one array per value, no per-field objects.
 */
final class CompactWriter {
    private byte[] buffer;
    private int size;

    CompactWriter(int expectedSize) {
        buffer = new byte[Math.max(16, expectedSize)];
    }

    CompactWriter writeByte(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    CompactWriter writeInt(int value) {
        ensure(4);
        buffer[size++] = (byte) (value >>> 24);
        buffer[size++] = (byte) (value >>> 16);
        buffer[size++] = (byte) (value >>> 8);
        buffer[size++] = (byte) value;
        return this;
    }

    CompactWriter writeLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    CompactWriter writeString(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        writeInt(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, buffer, size, utf8.length);
        size += utf8.length;
        return this;
    }

    byte[] toByteArray() {
        return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
