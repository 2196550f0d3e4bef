package city.heze.peony.bench;

import city.heze.peony.schemas.serde.PeonyAvroDeserializer;
import city.heze.peony.schemas.serde.PeonyAvroSerdeConfig;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * serde/raw, in process: Peony's serializer and deserializer (Confluent wire format, schema id from
 * the registry, cached after the first record) against the plain Avro a hand-written client would
 * use ({@link GenericDatumWriter} and {@link GenericDatumReader} built once, encoder and decoder
 * reused), on the same records. Each side writes every record to a fresh byte array and reads it
 * back into a fresh record, as a producer and a consumer do. The records are split into {@value
 * #SLICES} slices that both sides take in turn (which side goes first alternates), so that a burst
 * of noise on the machine falls on both; each side's time is the sum over its slices, and its
 * figure is records per second (one record written and read).
 */
final class SerdeBench {
    static final int SLICES = 20;

    /** Records per second of Peony's serde and of raw Avro. */
    record Result(double peony, double raw) {}

    private SerdeBench() {}

    static Result run(BenchCluster cluster, BenchData data, int count, String topic) {
        Map<String, Object> configs = new HashMap<>(cluster.clientConfigs());
        configs.put(PeonyAvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);
        configs.put(PeonyAvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, false);
        PeonyAvroSerializer serializer = new PeonyAvroSerializer();
        PeonyAvroDeserializer deserializer = new PeonyAvroDeserializer();
        serializer.configure(configs, false);
        deserializer.configure(configs, false);
        try {
            RawAvro raw = new RawAvro(data);
            long peonyNanos = 0;
            long rawNanos = 0;
            long bytes = 0;
            for (int slice = 0; slice < SLICES; slice++) {
                int from = (int) ((long) count * slice / SLICES);
                int to = (int) ((long) count * (slice + 1) / SLICES);
                for (int side = 0; side < 2; side++) {
                    boolean peonyNow = (side + slice) % 2 == 0;
                    long start = System.nanoTime();
                    bytes += peonyNow ? peony(serializer, deserializer, data, from, to, topic) : raw.run(from, to);
                    long elapsed = System.nanoTime() - start;
                    if (peonyNow) {
                        peonyNanos += elapsed;
                    } else {
                        rawNanos += elapsed;
                    }
                }
            }
            if (bytes == 0) {
                // Never true; using the bytes keeps the JIT from dropping the loops' work as unused.
                throw new IllegalStateException("no bytes written");
            }
            return new Result(count / (Math.max(peonyNanos, 1) / 1e9), count / (Math.max(rawNanos, 1) / 1e9));
        } finally {
            serializer.close();
            deserializer.close();
        }
    }

    private static long peony(
            PeonyAvroSerializer serializer,
            PeonyAvroDeserializer deserializer,
            BenchData data,
            int from,
            int to,
            String topic) {
        long bytes = 0;
        for (int i = from; i < to; i++) {
            byte[] payload = serializer.serialize(topic, data.record(i));
            Object back = deserializer.deserialize(topic, payload);
            bytes += payload.length + (back == null ? 1 : 0);
        }
        return bytes;
    }

    /** Raw Avro with everything reusable built once. */
    private static final class RawAvro {
        private final BenchData data;
        private final GenericDatumWriter<GenericRecord> writer;
        private final GenericDatumReader<GenericRecord> reader;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        private BinaryEncoder encoder;
        private BinaryDecoder decoder;

        RawAvro(BenchData data) {
            this.data = data;
            this.writer = new GenericDatumWriter<>(data.schema());
            this.reader = new GenericDatumReader<>(data.schema());
        }

        long run(int from, int to) {
            long bytes = 0;
            try {
                for (int i = from; i < to; i++) {
                    out.reset();
                    encoder = EncoderFactory.get().binaryEncoder(out, encoder);
                    writer.write(data.record(i), encoder);
                    encoder.flush();
                    byte[] payload = out.toByteArray();
                    decoder = DecoderFactory.get().binaryDecoder(payload, decoder);
                    GenericRecord back = reader.read(null, decoder);
                    bytes += payload.length + (back == null ? 1 : 0);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes;
        }
    }
}
