package city.heze.peony.producers;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.producers.convert.FileFormat;
import city.heze.peony.producers.convert.RecordConverter;
import city.heze.peony.producers.convert.RecordSource;
import city.heze.peony.producers.convert.Row;
import city.heze.peony.producers.simulate.RecordGenerator;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Not a test: a measurement. On one embedded broker, in one run, alternating three ways of writing
 * a million records to a topic of three partitions, all with {@code acks=all}, idempotence and the
 * publisher's batching ({@link DepartmentPublisher#PRODUCER_DEFAULTS}):
 *
 * <ol>
 *   <li>Kafka's own {@code ProducerPerformance} (kafka-tools), random records of the Avro values'
 *       mean size;
 *   <li>a bare {@link KafkaProducer} loop sending the file's records already encoded;
 *   <li>{@code peony publish}'s path: a 1,000,000-line JSON Lines file of {@code mz.social-assistance}
 *       records read ahead and converted, checked against the catalog's schema, serialized with the
 *       registry's id and sent through {@link DepartmentPublisher}, every acknowledgement awaited.
 * </ol>
 *
 * <p>Prints each round's rates and CPU time per record (the whole process's, broker included: it
 * does not depend on what else runs on the machine, the rates do), the medians and the ratios.
 * Nothing here fails on a timing.
 *
 * <p>Run with the test classpath: {@code java -Xmx4g -cp ... city.heze.peony.producers.PublishThroughputComparison
 * [lines] [file]}; {@code -Drounds=N} (default 3); {@code -Dlinger.ms}, {@code -Dbatch.size}, {@code
 * -Dcompression.type} override the batching for all three.
 */
public final class PublishThroughputComparison {
    private static final String CATALOG = "mz.social-assistance";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PublishThroughputComparison() {}

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path file = args.length > 1
                ? Path.of(args[1])
                : Path.of(System.getProperty("java.io.tmpdir"), "peony-publish-" + lines + ".jsonl");
        Path dataDir = Files.createTempDirectory("peony-throughput");
        CatalogEntry entry = TestCatalogs.socialAssistance();
        Schema schema = new Schema.Parser().parse(entry.getSchema$());
        if (!Files.exists(file)) {
            long t = System.nanoTime();
            writeFile(file, entry, schema, lines);
            System.out.printf(
                    "wrote %s (%d lines, %.0f MB) in %.1f s%n",
                    file, lines, Files.size(file) / 1e6, (System.nanoTime() - t) / 1e9);
        }

        Properties overrides = new Properties();
        for (String key : List.of(
                ProducerConfig.LINGER_MS_CONFIG,
                ProducerConfig.BATCH_SIZE_CONFIG,
                ProducerConfig.COMPRESSION_TYPE_CONFIG)) {
            String value = System.getProperty(key);
            if (value != null) {
                overrides.setProperty(key, value);
            }
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(dataDir, 0).start();
                EmbeddedSchemaRegistry registry =
                        EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, Topics.SCHEMAS.name())) {
            Properties client = new Properties();
            client.put("bootstrap.servers", broker.bootstrapServers());
            client.put("schema.registry.url", registry.url());
            client.putAll(overrides);
            try (Admin admin = Admin.create(client);
                    SchemaRegistryClient registryClient = SchemaRegistryClients.forUrl(registry.url())) {
                registryClient.register(Topics.raw(CATALOG) + "-value", entry.getSchema$());
                admin.createTopics(List.of(
                                new NewTopic(Topics.raw(CATALOG), 3, (short) 1),
                                new NewTopic("bare.producer.loop", 3, (short) 1),
                                new NewTopic("producer.performance", 3, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            Properties settings = new Properties();
            DepartmentPublisher.PRODUCER_DEFAULTS.forEach(settings::setProperty);
            settings.putAll(overrides);
            System.out.println("producer settings: acks=all, enable.idempotence=true, " + settings);

            // Warm both paths up on the broker (JIT, connections, metadata), then alternate them, so
            // that a load on the machine from elsewhere weighs on both alike; report the medians.
            bare(client, file, schema, 50_000);
            publish(client, entry, file, 50_000);
            int rounds = Integer.getInteger("rounds", 3);
            int recordSize = averageValueSize(client, file, schema);
            double[] perfRates = new double[rounds];
            double[] bareRates = new double[rounds];
            double[] publishRates = new double[rounds];
            double[] bareCpu = new double[rounds];
            double[] publishCpu = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                perfRates[round] = producerPerformance(client, settings, lines, recordSize);
                double[] bare = bare(client, file, schema, lines);
                double[] published = publish(client, entry, file, lines);
                bareRates[round] = bare[0];
                bareCpu[round] = bare[1];
                publishRates[round] = published[0];
                publishCpu[round] = published[1];
                System.out.printf(
                        "round %d: Kafka's ProducerPerformance (%d-byte records) %,.0f records/s%n",
                        round + 1, recordSize, perfRates[round]);
                System.out.printf(
                        "round %d: bare KafkaProducer loop %,.0f records/s (%.1f µs CPU each, broker included),"
                                + " DepartmentPublisher from JSON Lines %,.0f records/s (%.1f µs CPU each), ratio %.2f%n",
                        round + 1,
                        bareRates[round],
                        bareCpu[round],
                        publishRates[round],
                        publishCpu[round],
                        publishRates[round] / bareRates[round]);
            }
            System.out.printf(
                    "median CPU per record: bare %.1f µs, publisher %.1f µs (the CPU ratio does not depend on what"
                            + " else the machine runs)%n",
                    median(bareCpu), median(publishCpu));
            double perfRate = median(perfRates);
            System.out.printf("median Kafka's ProducerPerformance: %,.0f records/s%n", perfRate);
            double bareRate = median(bareRates);
            double publishRate = median(publishRates);
            System.out.printf("median bare KafkaProducer loop: %,.0f records/s%n", bareRate);
            System.out.printf("median DepartmentPublisher from JSON Lines: %,.0f records/s%n", publishRate);
            System.out.printf("ratio of the medians, publisher to ProducerPerformance: %.2f%n", publishRate / perfRate);
            System.out.printf("ratio of the medians, publisher to the bare loop: %.2f%n", publishRate / bareRate);
        }
    }

    /**
     * Kafka's own {@code ProducerPerformance} (kafka-tools) on the same broker: {@code records} random
     * records of {@code size} bytes, no key, the publisher's settings, {@code acks=all}, idempotent.
     * Returns the records per second it reports.
     */
    private static double producerPerformance(Properties client, Properties settings, int records, int size)
            throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--topic",
                "producer.performance",
                "--num-records",
                Integer.toString(records),
                "--record-size",
                Integer.toString(size),
                "--throughput",
                "-1",
                "--producer-props",
                "bootstrap.servers=" + client.getProperty("bootstrap.servers"),
                "acks=all",
                "enable.idempotence=true"));
        settings.forEach((k, v) -> args.add(k + "=" + v));
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream report = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(report, true, StandardCharsets.UTF_8));
        try {
            org.apache.kafka.tools.ProducerPerformance.main(args.toArray(String[]::new));
        } finally {
            System.setOut(out);
        }
        // The last line: "1000000 records sent, 412345.6 records/sec (83.5 MB/sec), ..."
        String[] lines = report.toString(StandardCharsets.UTF_8).strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("records sent, ([0-9.]+) records/sec")
                    .matcher(lines[i]);
            if (m.find()) {
                return Double.parseDouble(m.group(1));
            }
        }
        throw new IllegalStateException("no rate in ProducerPerformance's report:\n" + report);
    }

    /** The mean size of the records' Avro values, for ProducerPerformance's random records. */
    private static int averageValueSize(Properties client, Path file, Schema schema) throws IOException {
        Map<String, Object> configs = new HashMap<>();
        client.forEach((k, v) -> configs.put(k.toString(), v));
        long bytes = 0;
        int n = 0;
        try (PeonyAvroSerializer serializer = new PeonyAvroSerializer();
                RecordSource source =
                        RecordSource.open(file, FileFormat.JSON_LINES, RecordConverter.forSchema(schema))) {
            serializer.configure(configs, false);
            for (Row row = source.next(); row != null && n < 10_000; row = source.next()) {
                bytes += serializer.serialize(Topics.raw(CATALOG), row.record()).length;
                n++;
            }
        }
        return (int) (bytes / n);
    }

    /** CPU time of this whole process (broker, registry and clients), which other load does not inflate. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * {@code peony publish}'s path: read and convert each line, send, wait for every acknowledgement.
     * Returns records per second and CPU microseconds per record.
     */
    private static double[] publish(Properties client, CatalogEntry entry, Path file, int limit) throws Exception {
        long start = System.nanoTime();
        long cpu = processCpuNanos();
        long sent = 0;
        try (DepartmentPublisher publisher =
                DepartmentPublisher.builder(client).catalog(entry).build()) {
            RecordConverter converter = RecordConverter.forSchema(publisher.schema());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            try (RecordSource source = RecordSource.readAhead(
                    RecordSource.open(file, FileFormat.JSON_LINES, converter), file.toString())) {
                for (Row row = source.next(); row != null && sent < limit; row = source.next()) {
                    publisher.send(row.record()).whenComplete((m, e) -> {
                        if (e != null) {
                            failure.set(e);
                        }
                    });
                    sent++;
                }
            }
            publisher.flush();
            if (failure.get() != null || publisher.acknowledged() != sent) {
                throw new IllegalStateException("not every record was acknowledged", failure.get());
            }
        }
        return new double[] {sent / ((System.nanoTime() - start) / 1e9), (processCpuNanos() - cpu) / 1e3 / sent};
    }

    /**
     * The ceiling: the same records, encoded beforehand, sent by a bare producer with the same settings.
     * Returns records per second and CPU microseconds per record (of the sending only).
     */
    private static double[] bare(Properties client, Path file, Schema schema, int count) throws Exception {
        int distinct = Math.min(count, 100_000);
        byte[][] keys = new byte[distinct][];
        byte[][] values = new byte[distinct][];
        Map<String, Object> configs = new HashMap<>();
        client.forEach((k, v) -> configs.put(k.toString(), v));
        try (PeonyAvroSerializer serializer = new PeonyAvroSerializer();
                RecordSource source =
                        RecordSource.open(file, FileFormat.JSON_LINES, RecordConverter.forSchema(schema))) {
            serializer.configure(configs, false);
            for (int i = 0; i < distinct; i++) {
                GenericRecord record = source.next().record();
                keys[i] = record.get("recordId").toString().getBytes(StandardCharsets.UTF_8);
                values[i] = serializer.serialize(Topics.raw(CATALOG), record);
            }
        }
        Properties props = new Properties();
        DepartmentPublisher.PRODUCER_DEFAULTS.forEach(props::setProperty);
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        long start = System.nanoTime();
        long cpu = processCpuNanos();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(
                        new ProducerRecord<>("bare.producer.loop", keys[i % distinct], values[i % distinct]),
                        (m, e) -> {
                            if (e != null) {
                                failure.set(e);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return new double[] {count / ((System.nanoTime() - start) / 1e9), (processCpuNanos() - cpu) / 1e3 / count};
    }

    /** A department's export: valid records, dates and times as ISO text in the city's zone. */
    private static void writeFile(Path file, CatalogEntry entry, Schema schema, int lines) throws IOException {
        RecordGenerator generator = RecordGenerator.forCatalog(entry, schema);
        Random random = new Random(1);
        long now = Instant.parse("2026-03-02T02:00:00Z").toEpochMilli();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines; i++) {
                GenericRecord record = generator.nextRecord(random, now - i * 1000L);
                ObjectNode node = JSON.createObjectNode();
                for (Schema.Field field : schema.getFields()) {
                    Object value = record.get(field.pos());
                    node.set(field.name(), JSON.valueToTree(value == null ? null : text(field.schema(), value)));
                }
                out.write(JSON.writeValueAsString(node));
                out.newLine();
            }
        }
    }

    private static Object text(Schema schema, Object value) {
        Schema type = schema.getType() == Schema.Type.UNION
                ? schema.getTypes().stream()
                        .filter(s -> s.getType() != Schema.Type.NULL)
                        .findFirst()
                        .orElseThrow()
                : schema;
        if (type.getLogicalType() instanceof LogicalTypes.Date) {
            return LocalDate.ofEpochDay((Integer) value).toString();
        }
        if (type.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            return Instant.ofEpochMilli((Long) value)
                    .atOffset(ZoneOffset.ofHours(8))
                    .toString();
        }
        return value instanceof Number || value instanceof Boolean ? value : value.toString();
    }
}
