package city.heze.peony.streams.linkage;

import city.heze.peony.avro.linkage.ReviewFlagKind;
import city.heze.peony.avro.linkage.SocialAssistanceReview;
import city.heze.peony.registry.LocalSchemaRegistries;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import city.heze.peony.streams.PeonyStreamsConfig;
import city.heze.peony.streams.topology.TopologyFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The social-assistance review on a {@link TopologyFixture}: the seven catalogs' schemas registered
 * under {@code raw.<catalog>-value} (as departments register them), records written in Confluent's
 * wire format and piped into {@code shared.<catalog>} byte for byte, as validation passes them on.
 */
final class ReviewDriver extends TopologyFixture {
    static final Instant START = Instant.parse("2025-06-15T02:00:00Z");

    final LinkageContext context;
    final ReviewMeters meters;
    final TestOutputTopic<String, SocialAssistanceReview> reviews;
    private final Path stateDir;
    private final PeonyAvroSerializer recordSerializer;
    private final Map<String, TestInputTopic<byte[], byte[]>> shared = new HashMap<>();

    ReviewDriver(Path stateDir) {
        this(stateDir, LinkageSettings.defaults());
    }

    ReviewDriver(Path stateDir, LinkageSettings settings) {
        super(newRegistryName("review-test"));
        this.stateDir = stateDir;
        recordSerializer = new PeonyAvroSerializer(schemaRegistry, Map.of("schema.registry.url", registryUrl), false);
        for (Map.Entry<String, String> schema : ReviewRecords.SCHEMAS.entrySet()) {
            schemaRegistry.register(Topics.rawValueSubject(schema.getKey()), schema.getValue());
        }
        Properties client = clientProperties(null);
        Properties config = PeonyStreamsConfig.of(
                ClientConfigs.kafkaOnly(client), "review-test", StreamsConfig.AT_LEAST_ONCE, stateDir);
        context = LinkageContext.of(settings, client, meterRegistry);
        meters = new ReviewMeters(meterRegistry);
        start(SocialAssistanceReviewTopology.build(context, config, meters), config, START);
        reviews = output(topics.socialAssistanceReview);
    }

    /** The record in Confluent's wire format as its department wrote it to {@code raw.<catalog>}. */
    byte[] bytes(String catalogId, GenericContainer record) {
        return recordSerializer.serialize(Topics.raw(catalogId), record);
    }

    private TestInputTopic<byte[], byte[]> shared(String catalogId) {
        return shared.computeIfAbsent(
                catalogId,
                c -> driver().createInputTopic(Topics.shared(c), new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /** Pipes {@code value} (or a tombstone, null) keyed {@code key} into {@code shared.<catalog>}. */
    void pipe(String catalogId, String key, byte[] value, Instant timestamp) {
        shared(catalogId).pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, timestamp);
    }

    void pipe(ReviewRecords.Input input) {
        pipe(
                input.catalogId(),
                input.key(),
                input.value() == null ? null : bytes(input.catalogId(), input.value()),
                input.timestamp());
    }

    void pipe(List<ReviewRecords.Input> inputs) {
        inputs.forEach(this::pipe);
    }

    List<TestRecord<String, SocialAssistanceReview>> drain() {
        return reviews.readRecordsToList();
    }

    List<SocialAssistanceReview> drainValues() {
        return reviews.readValuesToList();
    }

    long flagged(ReviewFlagKind kind) {
        return (long) gauge(
                "peony.linkage.flags",
                "scenario",
                ReviewMeters.SCENARIO,
                "kind",
                kind.name().toLowerCase(java.util.Locale.ROOT));
    }

    double skipped(String catalogId, String reason) {
        return counter(
                "peony.linkage.skipped", "scenario", ReviewMeters.SCENARIO, "catalog", catalogId, "reason", reason);
    }

    double inputs(String catalogId) {
        return counter("peony.linkage.inputs", "scenario", ReviewMeters.SCENARIO, "catalog", catalogId);
    }

    double outputs() {
        return counter("peony.linkage.outputs", "scenario", ReviewMeters.SCENARIO);
    }

    /**
     * Closes the driver keeping its state, as an instance that stops keeps its stores on disk.
     * TopologyTestDriver wipes its state directory on close (a test's state should not leak into the
     * next), and its stores keep recent writes in RocksDB's memtables (Kafka Streams writes no WAL), so
     * the stores are closed first, which writes them out as a stopping instance does, and the state
     * directory is copied aside and put back after the driver closed.
     */
    void closeKeepingState() {
        Path copy = stateDir.resolveSibling(stateDir.getFileName() + "-kept");
        driver().getAllStateStores().values().forEach(StateStore::close);
        storesClosed = true;
        copyTree(stateDir, copy);
        close();
        deleteTree(stateDir);
        copyTree(copy, stateDir);
        deleteTree(copy);
    }

    private boolean storesClosed;

    @Override
    public void close() {
        if (!storesClosed) {
            super.close();
            return;
        }
        try {
            super.close();
        } catch (InvalidStateStoreException expected) {
            // The driver's last commit finds the stores closed by closeKeepingState: close the rest.
            closeContext();
            topics.close();
            LocalSchemaRegistries.drop(registryName);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (p.getFileName().toString().equals(".lock")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void closeContext() {
        meters.close();
        context.close();
    }
}
