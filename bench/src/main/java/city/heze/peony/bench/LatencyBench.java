package city.heze.peony.bench;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.producers.DepartmentPublisher;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.validation.ValidationApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Latency p50 and p99 at a steady offered rate ({@link Pacer}), measured by a {@link
 * LatencySampler}: a plain produce-to-consume round trip through one topic (a raw producer with
 * the publisher's settings), and publish-to-{@code shared.<catalog>} through a running {@link
 * ValidationApp} (the {@link DepartmentPublisher} in front). The application is started and
 * RUNNING before the first record is sent, and its start is not measured.
 */
final class LatencyBench {

    /** Latency percentiles in milliseconds. */
    record Latency(double p50, double p99) {}

    private LatencyBench() {}

    /** How many records a latency measurement sends: {@code seconds} at the rate, at most {@code max}. */
    static int sampleSize(double rate, double seconds, int max) {
        return (int) Math.max(1, Math.min(max, Math.round(rate * seconds)));
    }

    /** Produces {@code count} of the bench's records to {@code topic} (fresh) at {@code rate} and consumes them. */
    static Latency plain(BenchCluster cluster, BenchData data, int count, double rate, String topic) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        Callback callback = (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        };
        try (LatencySampler sampler = new LatencySampler(cluster, topic, count);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        ProducerBaseline.publisherLikeProperties(cluster),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            producer.partitionsFor(topic); // metadata before the first send, so that it does not wait for it
            Pacer pacer = new Pacer(rate);
            for (int i = 0; i < count; i++) {
                pacer.awaitTurn(i);
                producer.send(new ProducerRecord<>(topic, data.key(i), data.framed(i)), callback);
            }
            producer.flush();
            if (failure.get() != null) {
                throw new BenchFailure("the latency producer could not send to " + topic + ": " + failure.get());
            }
            return collect(sampler, count, topic);
        }
    }

    /**
     * Publishes {@code count} of the bench's records to the catalog at {@code rate} through a
     * validation application with {@code guarantee}, and takes the latency of the valid ones on
     * {@code shared.<catalog>}.
     */
    static Latency validation(
            BenchCluster cluster,
            String applicationId,
            String guarantee,
            CatalogEntry catalog,
            BenchData data,
            int count,
            double rate,
            Path stateDir) {
        ValidationApp app = ValidationBench.start(cluster, applicationId, guarantee, stateDir, null);
        try (StreamsStopwatch.RunningApp running = ValidationBench.running(app)) {
            ValidationBench.awaitRunning(app);
            return publishAndSample(cluster, catalog, data, count, rate, guarantee + ", same JVM");
        }
    }

    /**
     * The same through {@code peony validate} in a JVM of its own ({@link ValidationProcess}): its
     * consumer group starts at the end of every raw topic, so it reads exactly what is published
     * once it runs.
     */
    static Latency validationInOwnJvm(
            BenchCluster cluster,
            List<String> command,
            String applicationId,
            String guarantee,
            CatalogEntry catalog,
            BenchData data,
            int count,
            double rate,
            Path stateDir,
            Path workDir) {
        cluster.startGroupAtEnd(
                applicationId, name -> Topics.RAW_PATTERN.matcher(name).matches());
        try (ValidationProcess process =
                ValidationProcess.start(command, cluster, applicationId, guarantee, stateDir, workDir)) {
            // A new JVM compiles its hot paths on the first records: one unmeasured pass of the same
            // records first, as the same-JVM figure comes after the throughput rows warmed that JVM.
            publishAndSample(cluster, catalog, data, count, rate, guarantee + ", own JVM, warming up");
            Latency latency = publishAndSample(cluster, catalog, data, count, rate, guarantee + ", own JVM");
            String failure = process.failure();
            if (failure != null) {
                throw new BenchFailure(failure);
            }
            return latency;
        }
    }

    /** Publishes at the rate and takes the latency of the valid records on {@code shared.<catalog>}. */
    private static Latency publishAndSample(
            BenchCluster cluster, CatalogEntry catalog, BenchData data, int count, double rate, String how) {
        int valid = data.valid(count);
        try (LatencySampler sampler = new LatencySampler(cluster, Topics.shared(catalog.getId()), valid);
                DepartmentPublisher publisher =
                        PublisherBench.publisher(cluster, catalog, "peony-bench-latency-publisher")) {
            Pacer pacer = new Pacer(rate);
            for (int i = 0; i < count; i++) {
                pacer.awaitTurn(i);
                publisher.send(data.record(i));
            }
            publisher.flush();
            PublisherBench.requireAllAcknowledged(publisher, count, catalog.getId());
            return collect(sampler, valid, Topics.shared(catalog.getId()) + " (validation, " + how + ")");
        }
    }

    private static Latency collect(LatencySampler sampler, int expected, String where) {
        if (!sampler.await(Duration.ofSeconds(120))) {
            throw new BenchFailure("only " + sampler.received() + " of " + expected + " records reached " + where
                    + " within 120 s of the last send");
        }
        return new Latency(sampler.percentile(50), sampler.percentile(99));
    }
}
