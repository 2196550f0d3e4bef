package city.heze.peony.access;

import city.heze.peony.avro.DepartmentEntry;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;

/**
 * The departments that sign in, kept on the compacted topic {@code peony.departments} keyed by code:
 * the latest entry per code is the department, a tombstone removes it. The directory is small, so
 * it is read whole, from the beginning to the current end.
 */
public final class DepartmentDirectory {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Properties clientProperties;

    /** @param clientProperties Kafka client settings with {@code schema.registry.url} (and any SASL settings) */
    public DepartmentDirectory(Properties clientProperties) {
        this.clientProperties = ClientConfigs.kafkaOnly(clientProperties);
    }

    /** Every department, by code. */
    public Map<String, Department> readAll() {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A missing topic is an error to report, not one to create with the wrong settings.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        Map<String, Department> departments = new TreeMap<>();
        try (Serde<DepartmentEntry> serde = serde();
                KafkaConsumer<String, DepartmentEntry> consumer =
                        new KafkaConsumer<>(props, PeonySerdes.key().deserializer(), serde.deserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.DEPARTMENTS.name(), TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException(
                        "topic " + Topics.DEPARTMENTS.name() + " does not exist: start Peony with peony up first");
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + Topics.DEPARTMENTS.name() + " to its end within 60 s");
                }
                for (ConsumerRecord<String, DepartmentEntry> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        departments.remove(r.key());
                    } else {
                        departments.put(r.key(), Department.of(r.value()));
                    }
                }
            }
        }
        return departments;
    }

    /** Adds (or replaces) a department and waits for the broker's acknowledgement. */
    public void add(Department department) {
        send(department.code(), department.toEntry());
    }

    /** Removes a department: a tombstone for its code. */
    public void remove(String code) {
        send(Topics.requireDepartmentCode(code), null);
    }

    private void send(String code, DepartmentEntry entry) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (Serde<DepartmentEntry> serde = serde();
                KafkaProducer<String, DepartmentEntry> producer =
                        new KafkaProducer<>(props, PeonySerdes.key().serializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(Topics.DEPARTMENTS.name(), code, entry))
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing department " + code, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException(
                    "cannot write department " + code + " to " + Topics.DEPARTMENTS.name() + ": " + cause.getMessage(),
                    cause);
        }
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private Serde<DepartmentEntry> serde() {
        return new PeonySerdes(ClientConfigs.toMap(clientProperties)).value(DepartmentEntry.class);
    }
}
