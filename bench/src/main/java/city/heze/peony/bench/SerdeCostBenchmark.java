package city.heze.peony.bench;

import city.heze.peony.avro.dept.BusinessRegistration;
import city.heze.peony.registry.InProcessSchemaRegistryClient;
import city.heze.peony.schemas.serde.PeonyAvroDeserializer;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What Peony's serde costs over raw Avro, as a JMH micro-benchmark: one ~300-byte business
 * registration (a GenericRecord, as a generic producer holds it) written and read back per
 * operation, by {@link PeonyAvroSerializer}/{@link PeonyAvroDeserializer} (Confluent wire format,
 * schema id from an in-process registry, cached after the first record) and by a bare {@link
 * GenericDatumWriter}/{@link GenericDatumReader} pair with reused encoder and decoder, each writing
 * a fresh byte array as a Kafka serializer must. The goal is Peony at 0.9 of raw or better; {@code
 * peony bench} measures the same ratio (serde/raw) in its run.
 *
 * <p>Not run by {@code verify}. Run it with:
 *
 * <pre>
 * ./mvnw -q -pl bench -am -DskipTests -Dspotless.check.skip=true install
 * ./mvnw -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp bench/target/classes:$(cat bench/target/cp.txt) org.openjdk.jmh.Main SerdeCostBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class SerdeCostBenchmark {
    private static final String TOPIC = "raw.scjg.business-registration";
    private static final int RECORDS = 4_096;

    private List<GenericRecord> records;
    private int next;

    private InProcessSchemaRegistryClient registry;
    private PeonyAvroSerializer serializer;
    private PeonyAvroDeserializer deserializer;

    private GenericDatumWriter<GenericRecord> writer;
    private GenericDatumReader<GenericRecord> reader;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    @Setup
    public void setUp() {
        Schema schema = BusinessRegistration.getClassSchema();
        records = BusinessRegistrations.generate(schema, RECORDS, 42);
        registry = InProcessSchemaRegistryClient.ofFreshRegistry();
        serializer = new PeonyAvroSerializer(registry, Map.of(), false);
        deserializer = new PeonyAvroDeserializer(registry, Map.of(), false);
        writer = new GenericDatumWriter<>(schema);
        reader = new GenericDatumReader<>(schema);
    }

    @TearDown
    public void tearDown() {
        serializer.close();
        deserializer.close();
        registry.close();
    }

    private GenericRecord nextRecord() {
        GenericRecord record = records.get(next);
        next = (next + 1) % RECORDS;
        return record;
    }

    @Benchmark
    public Object peonySerde() {
        byte[] bytes = serializer.serialize(TOPIC, nextRecord());
        return deserializer.deserialize(TOPIC, bytes);
    }

    @Benchmark
    public GenericRecord rawAvro() throws IOException {
        out.reset();
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        writer.write(nextRecord(), encoder);
        encoder.flush();
        byte[] bytes = out.toByteArray();
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        return reader.read(null, decoder);
    }
}
