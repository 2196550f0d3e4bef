package city.heze.peony.bench;

import city.heze.peony.producers.DepartmentPublisher;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * P, Kafka's own producer limit: a raw {@link KafkaProducer} sending the bench's records as
 * ready-made bytes (key and Confluent-framed Avro value, so no serialisation), with the settings
 * of Peony's publisher ({@link DepartmentPublisher#PRODUCER_DEFAULTS}: batching, linger,
 * compression) and its guarantees ({@code acks=all}, idempotent). Timed over a {@link
 * SteadyWindow}: records acknowledged by the broker between its opening and its closing; creating
 * the producer, the first seconds and the final flush are not timed.
 */
final class ProducerBaseline {

    private ProducerBaseline() {}

    /** The producer settings of Peony's publisher, for every raw producer of the bench. */
    static Properties publisherLikeProperties(BenchCluster cluster) {
        Properties props = new Properties();
        DepartmentPublisher.PRODUCER_DEFAULTS.forEach(props::setProperty);
        props.putAll(cluster.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "peony-bench-producer");
        return props;
    }

    /** What a timed send produced: the rate over the steady window, and every record sent (the topic's size). */
    record Sent(SteadyWindow.Rate rate, long records) {}

    /**
     * Sends the bench's records to {@code topic} (cycling through them) for the window's settling
     * time and length; the rate counts records acknowledged inside the window.
     */
    static Sent run(BenchCluster cluster, BenchData data, SteadyWindow window, String topic) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong acknowledged = new AtomicLong();
        Callback callback = (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            } else {
                acknowledged.incrementAndGet();
            }
        };
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                publisherLikeProperties(cluster), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.partitionsFor(topic); // metadata first, so that the first send does not wait for it
            Sent sent = sendThroughout(window, acknowledged::get, i -> {
                int r = (int) (i % data.size());
                producer.send(new ProducerRecord<>(topic, data.key(r), data.framed(r)), callback);
            });
            producer.flush();
            if (failure.get() != null) {
                throw new BenchFailure(
                        "the raw producer could not send to " + topic + ": " + failure.get(), failure.get());
            }
            return sent;
        }
    }

    /**
     * Sends {@code count} more of the bench's records (numbers from {@code from} on, cycling) to
     * {@code topic}, untimed: input for a streams row that would otherwise run out before its window
     * closes.
     */
    static void fill(BenchCluster cluster, BenchData data, String topic, long from, long count) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                publisherLikeProperties(cluster), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = from; i < from + count; i++) {
                int r = (int) (i % data.size());
                producer.send(new ProducerRecord<>(topic, data.key(r), data.framed(r)), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new BenchFailure("cannot fill " + topic + ": " + failure.get(), failure.get());
        }
    }

    /** One send of record number {@code i} (the caller cycles through its records). */
    interface Send {
        void send(long i);
    }

    /**
     * Calls {@code send} as fast as it returns until the window, measured on another thread over
     * {@code acknowledged}, has closed. The producer's buffer bounds how far sends run ahead of
     * acknowledgements, so acknowledgements inside the window are the broker's pace.
     */
    static Sent sendThroughout(SteadyWindow window, LongSupplier acknowledged, Send send) {
        long start = System.nanoTime();
        CompletableFuture<SteadyWindow.Rate> rate =
                CompletableFuture.supplyAsync(() -> window.measure(start, acknowledged, () -> false));
        long i = 0;
        while (!rate.isDone()) {
            send.send(i++);
        }
        try {
            return new Sent(rate.join(), i);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
