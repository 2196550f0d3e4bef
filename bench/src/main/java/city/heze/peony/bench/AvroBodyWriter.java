package city.heze.peony.bench;

import city.heze.peony.schemas.serde.AvroWireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Encodes records of one schema to Avro's binary form with one reused buffer and encoder, for
 * preparing a bench's inputs before anything is timed (the timed raw-Avro baselines keep their own
 * loops, being what they measure).
 */
final class AvroBodyWriter {
    private final GenericDatumWriter<GenericRecord> writer;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    private BinaryEncoder encoder;

    AvroBodyWriter(Schema schema) {
        this.writer = new GenericDatumWriter<>(schema);
    }

    /** The Avro body of {@code record}, without the wire header. */
    byte[] body(GenericRecord record) {
        out.reset();
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Magic byte, {@code schemaId}, then {@code body}: what Peony's serializer writes. */
    static byte[] framed(int schemaId, byte[] body) {
        byte[] framed = new byte[AvroWireFormat.HEADER_SIZE + body.length];
        AvroWireFormat.writeHeader(schemaId, framed);
        System.arraycopy(body, 0, framed, AvroWireFormat.HEADER_SIZE, body.length);
        return framed;
    }
}
