package city.heze.peony.bench;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.OpenType;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import city.heze.peony.streams.opendata.OpenDataApp;
import city.heze.peony.streams.opendata.OpenDataContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * open: Peony's {@link OpenDataApp} (masking and the open checks, as {@code peony up} runs it) over
 * the bench's records on the {@code shared.<catalog>} topic of an OPEN catalog, written there as
 * validation shares them before the application starts. Its consumer group starts at the end of
 * every other shared topic, so it reads exactly these records. Every record ends up on {@code
 * open.<catalog>} or {@code peony.open.withheld}: timed over a steady window. That
 * the split is right is for the open-data tests to prove, not for a bench.
 */
final class OpenBench {
    private OpenBench() {}

    /**
     * Opens {@code records} of the bench's records (cycling through them) on the OPEN {@code
     * catalog}, timed over the window as validation is ({@link StreamsStopwatch#steady}), so that
     * open/S compares steady rates; {@code records} must last beyond the window.
     */
    static StreamsStopwatch.Timing run(
            BenchCluster cluster,
            String applicationId,
            String guarantee,
            CatalogEntry catalog,
            BenchData data,
            long records,
            SteadyWindow window,
            Path stateDir) {
        if (catalog.getOpenType() != OpenType.OPEN || catalog.getOpenFields() == null) {
            throw new BenchSetupException(
                    "the bench's catalog " + catalog.getId() + " is not OPEN with an open: section;"
                            + " the open-data row needs one (ops/catalog/scjg.business-registration.yaml is)",
                    1);
        }
        // Every shared topic but this catalog's fresh, still empty one is skipped: its end is where it starts.
        cluster.startGroupAtEnd(
                applicationId, name -> Topics.SHARED_PATTERN.matcher(name).matches());
        fill(cluster, catalog.getId(), data, records);
        boolean transactional = StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee);
        return StreamsStopwatch.steady(
                cluster,
                applicationId,
                List.of(Topics.open(catalog.getId()), Topics.OPEN_WITHHELD.name()),
                transactional,
                records,
                window,
                () -> {
                    Properties client = cluster.clientProperties();
                    FirstPollProbe.install(client);
                    OpenDataApp app = OpenDataApp.start(
                            client,
                            applicationId,
                            guarantee,
                            stateDir.resolve(applicationId),
                            OpenDataContext.Settings.of(client, new SimpleMeterRegistry()));
                    return StreamsStopwatch.RunningApp.of(
                            "the open-data application", app::state, app::close, app.streams());
                });
    }

    /** Writes the records to the shared topic as validation does (the raw subject's schema id); not timed. */
    private static void fill(BenchCluster cluster, String catalogId, BenchData data, long records) {
        String shared = Topics.shared(catalogId);
        Properties props = ProducerBaseline.publisherLikeProperties(cluster);
        try (PeonyAvroSerializer values = new PeonyAvroSerializer();
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            values.configure(cluster.clientConfigs(), false);
            for (long i = 0; i < records; i++) {
                GenericRecord record = data.record((int) (i % data.size()));
                byte[] key = String.valueOf(record.get("recordId")).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(shared, key, values.serialize(Topics.raw(catalogId), record)));
            }
            producer.flush();
        }
    }
}
