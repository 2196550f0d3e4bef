package city.heze.peony.streams.share;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.ShareDecision;
import city.heze.peony.avro.ShareRequest;
import city.heze.peony.avro.common.ShareDecisionKind;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.PeonyTopic;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.PeonyStreamsConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Not a test: measures, on one embedded broker and registry in one run, a Kafka Streams byte
 * passthrough and the share SLA application over the same matching stream of share requests and
 * decisions (every application answered in time), both exactly-once, and prints their throughput
 * and ratio (goal: the share topology at least 0.25 of the passthrough). Run:
 *
 * <pre>
 * java -cp streams/target/test-classes:streams/target/classes:$(cat cp.txt) \
 *     city.heze.peony.streams.share.ShareThroughputComparison [applications, default 100000]
 * </pre>
 *
 * Each run is timed from the application reaching RUNNING to the last expected output record being
 * readable (read_committed): 2 records per application through the passthrough, 1 outcome per
 * application from the share application (which also repartitions and rates them).
 */
public final class ShareThroughputComparison {
    private static final String CATALOG = "mz.social-assistance";
    private static final String PASSTHROUGH_OUT = "bench.passthrough";

    private ShareThroughputComparison() {}

    public static void main(String[] args) throws Exception {
        int applications = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Files.createTempDirectory("share-throughput");
        try (EmbeddedKafkaBroker broker =
                        EmbeddedKafkaBroker.create(dir.resolve("kafka"), 0).start();
                EmbeddedSchemaRegistry registry =
                        EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, Topics.SCHEMAS.name())) {
            Properties client = new Properties();
            client.put("bootstrap.servers", broker.bootstrapServers());
            client.put("schema.registry.url", registry.url());
            createTopics(client);
            PeonySerdes serdes = new PeonySerdes(java.util.Map.of("schema.registry.url", registry.url()));
            writeCatalog(client, serdes);
            long written = writeApplications(client, serdes, applications);
            System.out.printf(Locale.ROOT, "wrote %d applications (%d records)%n", applications, written);

            double passthrough = passthrough(client, dir.resolve("passthrough"), written);
            double share = shareSla(client, dir.resolve("share"), applications, written);
            System.out.printf(
                    Locale.ROOT,
                    "passthrough %.0f records/s, share SLA %.0f records/s, ratio %.2f (goal >= 0.25)%n",
                    passthrough,
                    share,
                    share / passthrough);
        }
    }

    private static void createTopics(Properties client) throws Exception {
        try (Admin admin = Admin.create(client)) {
            List<NewTopic> topics = new ArrayList<>();
            for (PeonyTopic t : List.of(
                    Topics.CATALOG,
                    Topics.REJECTED,
                    Topics.SHARE_REQUESTS,
                    Topics.SHARE_DECISIONS,
                    Topics.SHARE_OUTCOMES,
                    Topics.SHARE_RATES)) {
                topics.add(new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs()));
            }
            topics.add(new NewTopic(PASSTHROUGH_OUT, 3, (short) 1));
            admin.createTopics(topics).all().get();
        }
    }

    private static void writeCatalog(Properties client, PeonySerdes serdes) throws Exception {
        CatalogEntry entry = ShareFixtures.catalog(CATALOG, "mz", ShareType.CONDITIONAL, null);
        try (KafkaProducer<String, CatalogEntry> producer = new KafkaProducer<>(
                client, PeonySerdes.key().serializer(), serdes.catalogEntry().serializer())) {
            producer.send(new ProducerRecord<>(Topics.CATALOG.name(), CATALOG, entry))
                    .get();
        }
    }

    /** Requests first, then their decisions, answered an hour or less after submission (all TIMELY). */
    private static long writeApplications(Properties client, PeonySerdes serdes, int applications) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        Random random = new Random(applications);
        long now = System.currentTimeMillis();
        var requests = serdes.shareRequest().serializer();
        var decisions = serdes.shareDecision().serializer();
        long[] submitted = new long[applications];
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < applications; i++) {
                String id = "bench-" + i;
                submitted[i] = now - Duration.ofHours(3).toMillis() + random.nextInt(3_600_000);
                ShareRequest r = new ShareRequest(
                        id, CATALOG, "mz", "rs", "低保家庭经济状况核对", Instant.ofEpochMilli(submitted[i]), null);
                String topic = Topics.SHARE_REQUESTS.name();
                producer.send(new ProducerRecord<>(topic, key(id), requests.serialize(topic, r)));
            }
            for (int i = 0; i < applications; i++) {
                String id = "bench-" + i;
                boolean refused = random.nextInt(10) == 0;
                ShareDecision d = new ShareDecision(
                        id,
                        refused ? ShareDecisionKind.REFUSED : ShareDecisionKind.APPROVED,
                        refused ? "申请用途与共享条件不符" : null,
                        Instant.ofEpochMilli(submitted[i] + random.nextInt(3_600_000)),
                        "mz");
                String topic = Topics.SHARE_DECISIONS.name();
                producer.send(new ProducerRecord<>(topic, key(id), decisions.serialize(topic, d)));
            }
            producer.flush();
        }
        return 2L * applications;
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    private static double passthrough(Properties client, Path state, long expected) throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(
                        List.of(Topics.SHARE_REQUESTS.name(), Topics.SHARE_DECISIONS.name()),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("passthrough-source"))
                .to(
                        PASSTHROUGH_OUT,
                        Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("passthrough-sink"));
        Properties config = PeonyStreamsConfig.of(
                client, "bench-passthrough", PeonyStreamsConfig.DEFAULT_GUARANTEE, Files.createDirectories(state));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaStreams streams = new KafkaStreams(builder.build(config), config)) {
            streams.start();
            long started = awaitRunning(streams);
            long finished = awaitRecords(client, PASSTHROUGH_OUT, expected);
            double seconds = (finished - started) / 1e9;
            System.out.printf(Locale.ROOT, "passthrough: %d records in %.2f s%n", expected, seconds);
            return expected / seconds;
        }
    }

    private static double shareSla(Properties client, Path state, int applications, long inputRecords)
            throws Exception {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (ShareSlaApp app = ShareSlaApp.start(
                props, Files.createDirectories(state), ShareSlaSettings.defaults(), new SimpleMeterRegistry())) {
            long started = awaitRunning(app.streams());
            long finished = awaitRecords(client, Topics.SHARE_OUTCOMES.name(), applications);
            double seconds = (finished - started) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "share SLA: %d input records, %d outcomes in %.2f s; pending now %d%n",
                    inputRecords,
                    applications,
                    seconds,
                    app.meters().pending("mz"));
            return inputRecords / seconds;
        }
    }

    private static long awaitRunning(KafkaStreams streams) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("the application did not start: " + streams.state());
            }
            Thread.sleep(10);
        }
        return System.nanoTime();
    }

    /** Waits until {@code expected} committed records are readable on {@code topic}; returns when. */
    private static long awaitRecords(Properties client, String topic, long expected) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (count < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + count + " of " + expected + " records on " + topic);
                }
                count += consumer.poll(Duration.ofMillis(100)).count();
            }
        }
        return System.nanoTime();
    }
}
