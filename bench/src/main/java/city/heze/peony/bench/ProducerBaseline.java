package city.heze.peony.bench;

import city.heze.peony.producers.DepartmentPublisher;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * P, Kafka's own producer limit: a raw {@link KafkaProducer} sending the bench's records as
 * ready-made bytes (key and Confluent-framed Avro value, so no serialisation), with the settings
 * of Peony's publisher ({@link DepartmentPublisher#PRODUCER_DEFAULTS}: batching, linger,
 * compression) and its guarantees ({@code acks=all}, idempotent). Timed from the first send to the
 * return of {@code flush()}, when the broker has acknowledged every record; creating the producer
 * is not timed.
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

    /** Sends the first {@code count} records to {@code topic}; returns records per second. */
    static double run(BenchCluster cluster, BenchData data, int count, String topic) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        Callback callback = (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        };
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                publisherLikeProperties(cluster), new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, data.key(i), data.framed(i)), callback);
            }
            producer.flush();
            long end = System.nanoTime();
            if (failure.get() != null) {
                throw new BenchFailure(
                        "the raw producer could not send to " + topic + ": " + failure.get(), failure.get());
            }
            return count / ((end - start) / 1e9);
        }
    }
}
