package city.heze.peony.schemas.serde;

import city.heze.peony.avro.dept.BusinessRegistration;
import city.heze.peony.registry.InProcessSchemaRegistryClient;
import city.heze.peony.schemas.DepartmentRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * What Peony's serde costs over raw Avro: serialises and deserialises the same ~300-byte
 * department records (市场监管局 business registrations, as GenericRecords) with {@link
 * PeonyAvroSerializer}/{@link PeonyAvroDeserializer} and with a bare {@link GenericDatumWriter}/
 * {@link GenericDatumReader} pair (reused encoder and decoder, a byte[] per record as a Kafka
 * serializer must return), in alternating short slices after a warm-up, and prints records/s of
 * each and their ratio. Not a test: it never fails on a timing. Run it with
 *
 * <pre>
 * ./mvnw -q -pl schemas test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp schemas/target/test-classes:schemas/target/classes:$(cat schemas/target/cp.txt) \
 *     city.heze.peony.schemas.serde.SerdeCostBenchmark [seconds per slice, default 0.25]
 * </pre>
 */
public final class SerdeCostBenchmark {
    private static final String TOPIC = "raw.scjg.business-registration";
    private static final int RECORDS = 4_096;
    private static final int WARMUP_PAIRS = 10;
    private static final int MEASURED_PAIRS = 40;

    /** One way of turning a record into bytes and back; returns something derived so nothing is optimised away. */
    private interface RoundTrip {
        long run(GenericRecord record);
    }

    public static void main(String[] args) {
        double slice = args.length > 0 ? Double.parseDouble(args[0]) : 0.25;
        List<GenericRecord> records = genericRecords();
        Schema schema = records.get(0).getSchema();

        InProcessSchemaRegistryClient client = InProcessSchemaRegistryClient.ofFreshRegistry();
        PeonyAvroSerializer serializer = new PeonyAvroSerializer(client, Map.of(), false);
        PeonyAvroDeserializer deserializer = new PeonyAvroDeserializer(client, Map.of(), false);
        RoundTrip peony = record -> {
            byte[] bytes = serializer.serialize(TOPIC, record);
            GenericRecord read = (GenericRecord) deserializer.deserialize(TOPIC, bytes);
            return bytes.length + read.get(1).hashCode();
        };

        GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(schema);
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        BinaryEncoder[] encoder = {null};
        BinaryDecoder[] decoder = {null};
        RoundTrip raw = record -> {
            try {
                out.reset();
                encoder[0] = EncoderFactory.get().binaryEncoder(out, encoder[0]);
                writer.write(record, encoder[0]);
                encoder[0].flush();
                byte[] bytes = out.toByteArray();
                decoder[0] = DecoderFactory.get().binaryDecoder(bytes, decoder[0]);
                GenericRecord read = reader.read(null, decoder[0]);
                return bytes.length + read.get(1).hashCode();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };

        int size = serializer.serialize(TOPIC, records.get(0)).length;
        System.out.printf(
                "Serde cost: %d distinct BusinessRegistration records, %d bytes each on the wire (5 of them header);"
                        + " %d warm-up and %d measured pairs of %.2f s slices, alternating%n",
                records.size(), size, WARMUP_PAIRS, MEASURED_PAIRS, slice);
        long sink = 0;
        for (int i = 0; i < WARMUP_PAIRS; i++) {
            sink += measure(raw, records, slice)[1];
            sink += measure(peony, records, slice)[1];
        }
        // Short slices in alternating order, compared pair by pair: on a machine shared with other
        // work, a noisy neighbour then hurts both sides alike.
        double[] rawRates = new double[MEASURED_PAIRS];
        double[] peonyRates = new double[MEASURED_PAIRS];
        double[] ratios = new double[MEASURED_PAIRS];
        for (int i = 0; i < MEASURED_PAIRS; i++) {
            boolean rawFirst = i % 2 == 0;
            long[] first = measure(rawFirst ? raw : peony, records, slice);
            long[] second = measure(rawFirst ? peony : raw, records, slice);
            rawRates[i] = rawFirst ? first[0] : second[0];
            peonyRates[i] = rawFirst ? second[0] : first[0];
            ratios[i] = peonyRates[i] / rawRates[i];
            sink += first[1] + second[1];
        }
        System.out.printf(
                "raw Avro    GenericDatumWriter+Reader: median %,9.0f records/s, best %,9.0f records/s%n",
                median(rawRates), max(rawRates));
        System.out.printf(
                "Peony serde Serializer+Deserializer  : median %,9.0f records/s, best %,9.0f records/s%n",
                median(peonyRates), max(peonyRates));
        System.out.printf(
                "Ratio Peony/raw: median of pairs %.3f, best vs best %.3f (goal >= 0.9)  [checksum %d]%n",
                median(ratios), max(peonyRates) / max(rawRates), sink);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(0);
    }

    /** Records per second of {@code roundTrip} over {@code seconds}, and a checksum of its results. */
    private static long[] measure(RoundTrip roundTrip, List<GenericRecord> records, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long started = System.nanoTime();
        long done = 0;
        long checksum = 0;
        while (System.nanoTime() < deadline) {
            for (GenericRecord record : records) {
                checksum += roundTrip.run(record);
            }
            done += records.size();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        return new long[] {(long) (done / elapsed), checksum};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Business registrations as GenericRecords with raw logical values, as a generic producer holds them. */
    private static List<GenericRecord> genericRecords() {
        Schema schema = BusinessRegistration.getClassSchema();
        SpecificDatumWriter<BusinessRegistration> specificWriter =
                new SpecificDatumWriter<>(BusinessRegistration.class);
        GenericDatumReader<GenericRecord> genericReader = new GenericDatumReader<>(schema, schema, GenericData.get());
        List<GenericRecord> records = new ArrayList<>(RECORDS);
        try {
            for (int i = 0; i < RECORDS; i++) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
                specificWriter.write(DepartmentRecords.business(i), encoder);
                encoder.flush();
                records.add(genericReader.read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    private SerdeCostBenchmark() {}
}
