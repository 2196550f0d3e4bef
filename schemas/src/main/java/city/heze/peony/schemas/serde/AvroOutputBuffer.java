package city.heze.peony.schemas.serde;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;

/**
 * A per-thread buffer and encoder for serialising records: the header and the Avro body are written
 * into one growing array that is reused from record to record, so that each record costs only the
 * copy of its bytes, as raw Avro with a reused encoder does.
 */
final class AvroOutputBuffer extends OutputStream {
    private static final int INITIAL_SIZE = 1024;
    /** A thread that once wrote a huge record does not keep a huge buffer. */
    private static final int RETAINED_SIZE = 1 << 20;

    private static final ThreadLocal<AvroOutputBuffer> LOCAL = ThreadLocal.withInitial(AvroOutputBuffer::new);

    private byte[] buffer = new byte[INITIAL_SIZE];
    private int count;
    private BinaryEncoder encoder;

    static AvroOutputBuffer get() {
        return LOCAL.get();
    }

    /** The wire-format bytes of {@code datum}: header for {@code schemaId}, then its Avro encoding. */
    byte[] encode(int schemaId, DatumWriter<Object> writer, Object datum) throws IOException {
        AvroWireFormat.writeHeader(schemaId, buffer);
        count = AvroWireFormat.HEADER_SIZE;
        BinaryEncoder reused = encoder;
        encoder = null; // a failed write leaves the encoder's buffer half-full: start afresh next time
        BinaryEncoder active = EncoderFactory.get().binaryEncoder(this, reused);
        writer.write(datum, active);
        active.flush();
        encoder = active;
        byte[] result = Arrays.copyOf(buffer, count);
        if (buffer.length > RETAINED_SIZE) {
            buffer = new byte[INITIAL_SIZE];
        }
        return result;
    }

    @Override
    public void write(int b) {
        ensureRoom(1);
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        ensureRoom(length);
        System.arraycopy(bytes, offset, buffer, count, length);
        count += length;
    }

    private void ensureRoom(int more) {
        if (count + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, count + more));
        }
    }
}
