package city.heze.peony.streams.validation;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import city.heze.peony.streams.PeonyStreamsConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Not a test: measures, on one embedded broker and registry in one run, records/s of a Kafka
 * Streams byte-for-byte passthrough against the validation topology (Avro decode into the
 * catalog's schema, the catalog's rules, routing, scorecard tallies) on the same ~300-byte
 * business registrations, with at_least_once and exactly_once_v2, and prints the ratios. The
 * goal is validation at 0.75 of the passthrough or better with at_least_once.
 *
 * <p>Run: {@code java -cp <test classpath> city.heze.peony.streams.validation.ValidationThroughputComparison
 * [records] [rounds] [guarantees, comma-separated]}
 */
public final class ValidationThroughputComparison {
    private static final String CATALOG = ValidationFixtures.BUSINESS;
    private static final String PASSTHROUGH_OUT = "bench.passthrough";
    private static final int PARTITIONS = 3;

    private ValidationThroughputComparison() {}

    /** Records/s of one run, and the CPU the application's own threads spent per record (broker excluded). */
    private record Run(double recordsPerSecond, double cpuMicrosPerRecord) {}

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<String> guarantees = args.length > 2
                ? List.of(args[2].split(","))
                : List.of(StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2);
        Path dir = Files.createTempDirectory("peony-validation-bench");
        try (TestCluster cluster = new TestCluster(dir.resolve("kafka"))) {
            cluster.createTopics(
                    List.of(Topics.CATALOG, Topics.REJECTED, Topics.QUALITY),
                    List.of(Topics.raw(CATALOG), Topics.shared(CATALOG), PASSTHROUGH_OUT),
                    PARTITIONS);
            int recordBytes = prepare(cluster, records);
            System.out.printf(
                    "%,d business registrations of ~%d bytes on raw.%s (%d partitions), broker and clients on %d cores%n",
                    records,
                    recordBytes,
                    CATALOG,
                    PARTITIONS,
                    Runtime.getRuntime().availableProcessors());

            Map<String, List<Run>> rates = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                for (String guarantee : guarantees) {
                    rates.computeIfAbsent("passthrough " + guarantee, k -> new ArrayList<>())
                            .add(passthrough(cluster, dir, guarantee, round, records));
                    rates.computeIfAbsent("validation  " + guarantee, k -> new ArrayList<>())
                            .add(validation(cluster, dir, guarantee, round, records));
                }
            }
            System.out.println();
            Map<String, Double> best = new LinkedHashMap<>();
            Map<String, Double> cpu = new LinkedHashMap<>();
            rates.forEach((name, list) -> {
                double max =
                        list.stream().mapToDouble(Run::recordsPerSecond).max().orElse(0);
                double leastCpu =
                        list.stream().mapToDouble(Run::cpuMicrosPerRecord).min().orElse(0);
                best.put(name, max);
                cpu.put(name, leastCpu);
                System.out.printf(
                        "%-30s best %,10.0f records/s, least %5.2f µs CPU/record   runs %s%n",
                        name, max, leastCpu, format(list));
            });
            for (String guarantee : guarantees) {
                // The same round's pair ran seconds apart, under the same load: the fairest single ratio.
                List<Run> pass = rates.get("passthrough " + guarantee);
                List<Run> valid = rates.get("validation  " + guarantee);
                List<Double> rateRatios = new ArrayList<>();
                List<Double> cpuRatios = new ArrayList<>();
                for (int i = 0; i < pass.size(); i++) {
                    rateRatios.add(valid.get(i).recordsPerSecond() / pass.get(i).recordsPerSecond());
                    cpuRatios.add(
                            pass.get(i).cpuMicrosPerRecord() / valid.get(i).cpuMicrosPerRecord());
                }
                System.out.printf(
                        "validation / passthrough, %-16s per round: records/s %s median %.2f;"
                                + " CPU per record (passthrough / validation) %s median %.2f%n",
                        guarantee, ratios(rateRatios), median(rateRatios), ratios(cpuRatios), median(cpuRatios));
            }
            for (String guarantee : guarantees) {
                System.out.printf(
                        "validation / passthrough, %-16s best of each: records/s %.2f, CPU per record %.2f%n",
                        guarantee,
                        best.get("validation  " + guarantee) / best.get("passthrough " + guarantee),
                        cpu.get("passthrough " + guarantee) / cpu.get("validation  " + guarantee));
            }
            if (guarantees.size() == 2) {
                System.out.printf(
                        "validation exactly_once_v2 / at_least_once, records/s   %.2f%n",
                        best.get("validation  " + StreamsConfig.EXACTLY_ONCE_V2)
                                / best.get("validation  " + StreamsConfig.AT_LEAST_ONCE));
            }
        } finally {
            deleteRecursively(dir);
        }
        System.exit(0);
    }

    /** The broker's data of a run is hundreds of megabytes: do not leave it behind. */
    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static String ratios(List<Double> ratios) {
        return ratios.stream().map(r -> String.format("%.2f", r)).toList().toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(List<Run> list) {
        return list.stream()
                .map(r -> String.format("%,.0f/s %.2fµs", r.recordsPerSecond(), r.cpuMicrosPerRecord()))
                .toList()
                .toString();
    }

    /** Registers the catalog and writes the records once; returns the size of one value. */
    private static int prepare(TestCluster cluster, int records) throws Exception {
        Map<String, Object> configs = new HashMap<>();
        cluster.clientProperties().forEach((k, v) -> configs.put(k.toString(), v));
        CatalogEntry entry = ValidationFixtures.businessRegistration(Instant.now());
        try (SchemaRegistryClient registry = SchemaRegistryClients.forUrl(cluster.registry.url());
                Serde<CatalogEntry> entrySerde = new PeonySerdes(configs).catalogEntry()) {
            registry.register(Topics.raw(CATALOG) + "-value", entry.getSchema$());
            cluster.send(List.of(new ProducerRecord<>(
                    Topics.CATALOG.name(),
                    CATALOG.getBytes(StandardCharsets.UTF_8),
                    entrySerde.serializer().serialize(Topics.CATALOG.name(), entry))));
        }
        Properties props = cluster.clientProperties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        int size = 0;
        try (PeonyAvroSerializer serializer = new PeonyAvroSerializer();
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            serializer.configure(configs, false);
            for (int i = 0; i < records; i++) {
                var record = ValidationFixtures.business(i);
                byte[] value = serializer.serialize(Topics.raw(CATALOG), record);
                size = value.length;
                producer.send(new ProducerRecord<>(
                        Topics.raw(CATALOG), record.getRecordId().getBytes(StandardCharsets.UTF_8), value));
            }
            producer.flush();
        }
        return size;
    }

    private static Run passthrough(TestCluster cluster, Path dir, String guarantee, int round, int records)
            throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(
                        Topics.raw(CATALOG),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("in"))
                .to(
                        PASSTHROUGH_OUT,
                        Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("out"));
        String applicationId = "bench-passthrough-" + guarantee.replace('_', '-') + "-" + round;
        Properties props =
                PeonyStreamsConfig.of(cluster.clientProperties(), applicationId, guarantee, dir.resolve("state"));
        long before = endOffset(cluster, PASSTHROUGH_OUT);
        try (KafkaStreams streams = new KafkaStreams(builder.build(props), props)) {
            streams.start();
            Run run = measure(cluster, PASSTHROUGH_OUT, before, records, applicationId);
            System.out.printf(
                    "passthrough %-16s round %d: %,10.0f records/s %5.2f µs CPU/record%n",
                    guarantee, round, run.recordsPerSecond(), run.cpuMicrosPerRecord());
            return run;
        }
    }

    private static Run validation(TestCluster cluster, Path dir, String guarantee, int round, int records)
            throws Exception {
        long before = endOffset(cluster, Topics.shared(CATALOG));
        String applicationId = "bench-validation-" + guarantee.replace('_', '-') + "-" + round;
        try (ValidationApp app = ValidationApp.start(
                cluster.clientProperties(),
                ValidationApp.Options.defaults(dir.resolve("state"))
                        .withApplicationId(applicationId)
                        .withGuarantee(guarantee),
                new SimpleMeterRegistry())) {
            Run run = measure(cluster, Topics.shared(CATALOG), before, records, applicationId);
            if (app.state() != KafkaStreams.State.RUNNING) {
                throw new IllegalStateException("validation stopped during the run: " + app.state());
            }
            System.out.printf(
                    "validation  %-16s round %d: %,10.0f records/s %5.2f µs CPU/record%n",
                    guarantee, round, run.recordsPerSecond(), run.cpuMicrosPerRecord());
            return run;
        }
    }

    /**
     * Records/s between the first output record and the last: startup (group join, restoration)
     * is not what is compared.
     */
    private static Run measure(TestCluster cluster, String topic, long before, int records, String applicationId)
            throws Exception {
        long target = before + records;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        long firstAt = 0;
        long firstCount = 0;
        long firstCpu = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                cluster.clientProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            while (System.nanoTime() < deadline) {
                long end = sum(consumer.endOffsets(partitions));
                long now = System.nanoTime();
                if (firstAt == 0 && end > before) {
                    firstAt = now;
                    firstCount = end;
                    firstCpu = cpuNanos(applicationId);
                }
                if (end >= target) {
                    long cpu = cpuNanos(applicationId) - firstCpu;
                    return new Run((end - firstCount) / ((now - firstAt) / 1e9), cpu / 1e3 / (end - firstCount));
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException(topic + " did not receive " + records + " records within 5 minutes");
    }

    /** CPU time so far of the application's threads (stream threads, their producers, heartbeats). */
    private static long cpuNanos(String applicationId) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(applicationId)) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static long endOffset(TestCluster cluster, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                cluster.clientProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return sum(consumer.endOffsets(partitions(consumer, topic)));
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }

    private static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }
}
