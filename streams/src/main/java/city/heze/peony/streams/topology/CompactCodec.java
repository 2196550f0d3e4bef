package city.heze.peony.streams.topology;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The byte layout of every topology's internal state and repartition values: a version byte, then
 * fixed-width big-endian numbers and length-prefixed UTF-8 strings. Internal data never leaves the
 * application's own changelog and repartition topics, so it needs neither the registry nor Avro's
 * schema resolution, and costs one small array per value.
 */
public final class CompactCodec {
    private CompactCodec() {}

    /**
     * The serde of a state or repartition value from its two functions; null (a tombstone) passes
     * through both ways, so the functions see only values.
     */
    public static <T> Serde<T> serde(Function<T, byte[]> toBytes, Function<byte[], T> fromBytes) {
        return Serdes.serdeFrom(
                (topic, value) -> value == null ? null : toBytes.apply(value),
                (topic, bytes) -> bytes == null ? null : fromBytes.apply(bytes));
    }

    /** Appends values to a growing array. */
    public static final class Writer {
        private byte[] bytes;
        private int size;

        public Writer(int expectedSize) {
            bytes = new byte[Math.max(16, expectedSize)];
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        public Writer writeByte(int value) {
            ensure(1);
            bytes[size++] = (byte) value;
            return this;
        }

        public Writer writeInt(int value) {
            ensure(4);
            bytes[size++] = (byte) (value >>> 24);
            bytes[size++] = (byte) (value >>> 16);
            bytes[size++] = (byte) (value >>> 8);
            bytes[size++] = (byte) value;
            return this;
        }

        public Writer writeLong(long value) {
            writeInt((int) (value >>> 32));
            return writeInt((int) value);
        }

        /** A string, or null, as a length (-1 for null) and UTF-8 bytes. */
        public Writer writeString(String value) {
            if (value == null) {
                return writeInt(-1);
            }
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            writeInt(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
            return this;
        }

        /** Bytes, or null, as a length (-1 for null) and the bytes themselves. */
        public Writer writeBytes(byte[] value) {
            if (value == null) {
                return writeInt(-1);
            }
            writeInt(value.length);
            ensure(value.length);
            System.arraycopy(value, 0, bytes, size, value.length);
            size += value.length;
            return this;
        }

        public byte[] toByteArray() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }

    /**
     * Reads values back in the order they were written; a value of another format version, cut short
     * or malformed fails naming what it was reading.
     */
    public static final class Reader {
        private final String what;
        private final byte[] bytes;
        private int position;

        /** @param what what the bytes hold, for the message if they cannot be read ("scorecard counts") */
        public Reader(String what, byte[] bytes) {
            this.what = what;
            this.bytes = bytes;
        }

        private void need(int count) {
            if (position + count > bytes.length) {
                throw new SerializationException(what + ": " + bytes.length + " bytes, cut short at byte " + position
                        + " while reading " + count + " more");
            }
        }

        public int readByte() {
            need(1);
            return bytes[position++] & 0xff;
        }

        public int readInt() {
            need(4);
            int value = ((bytes[position] & 0xff) << 24)
                    | ((bytes[position + 1] & 0xff) << 16)
                    | ((bytes[position + 2] & 0xff) << 8)
                    | (bytes[position + 3] & 0xff);
            position += 4;
            return value;
        }

        public long readLong() {
            long high = readInt() & 0xffffffffL;
            long low = readInt() & 0xffffffffL;
            return (high << 32) | low;
        }

        /** A string written by {@link Writer#writeString}, null included. */
        public String readString() {
            int length = readInt();
            if (length == -1) {
                return null;
            }
            if (length < 0) {
                throw new SerializationException(what + ": string length " + length + " at byte " + (position - 4));
            }
            need(length);
            String value = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return value;
        }

        /** Bytes written by {@link Writer#writeBytes}, null included. */
        public byte[] readBytes() {
            int length = readInt();
            if (length == -1) {
                return null;
            }
            if (length < 0) {
                throw new SerializationException(what + ": byte array length " + length + " at byte " + (position - 4));
            }
            need(length);
            byte[] value = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return value;
        }

        /** Reads the format version written first and checks it is one of {@code known}. */
        public int readVersion(int... known) {
            int version = readByte();
            for (int k : known) {
                if (k == version) {
                    return version;
                }
            }
            throw new SerializationException(what + ": format version " + version + ", expected one of "
                    + Arrays.toString(known)
                    + " (state written by another version of Peony; reset the application to rebuild it)");
        }

        /** Checks the format version written first. */
        public Reader expectVersion(int expected) {
            int version = readByte();
            if (version != expected) {
                throw new SerializationException(what + ": format version " + version + ", expected " + expected
                        + " (state written by another version of Peony; reset the application to rebuild it)");
            }
            return this;
        }
    }
}
