package city.heze.peony.producers;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;

/**
 * The compacted topic {@code peony.catalog}: the latest {@link CatalogEntry} per catalog id. The
 * command line and the publishers read it whole (it is small: one record per catalog); {@code
 * peony catalog register} writes entries to it.
 */
public final class CatalogTopic {
    private final Properties clientProperties;

    public CatalogTopic(Properties clientProperties) {
        this.clientProperties = clientProperties;
    }

    /** Every live catalog entry, by id, read from the beginning to the current end. */
    public Map<String, CatalogEntry> readAll() {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, CatalogEntry> entries = new TreeMap<>();
        try (Serde<CatalogEntry> serde = serde();
                KafkaConsumer<String, CatalogEntry> consumer =
                        new KafkaConsumer<>(props, PeonySerdes.key().deserializer(), serde.deserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.CATALOG.name(), Duration.ofSeconds(30));
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + Topics.CATALOG.name() + " to its end within 60 s");
                }
                for (ConsumerRecord<String, CatalogEntry> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        entries.remove(r.key());
                    } else {
                        entries.put(r.key(), r.value());
                    }
                }
            }
        }
        return entries;
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Writes an entry and waits for the broker's acknowledgement. */
    public void write(CatalogEntry entry) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (Serde<CatalogEntry> serde = serde();
                KafkaProducer<String, CatalogEntry> producer =
                        new KafkaProducer<>(props, PeonySerdes.key().serializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(Topics.CATALOG.name(), entry.getId(), entry))
                    .get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing catalog " + entry.getId(), e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException(
                    "cannot write catalog " + entry.getId() + " to " + Topics.CATALOG.name() + ": "
                            + cause.getMessage(),
                    cause);
        }
    }

    /**
     * Writes entries with one producer, all in flight at once, and waits for every
     * acknowledgement. A producer per entry cost a connection and a metadata round trip each.
     *
     * @return the entries that could not be written: catalog id to the one line saying why
     */
    public Map<String, String> writeAll(List<CatalogEntry> entries) {
        Map<String, String> failures = new TreeMap<>();
        if (entries.isEmpty()) {
            return failures;
        }
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (Serde<CatalogEntry> serde = serde();
                KafkaProducer<String, CatalogEntry> producer =
                        new KafkaProducer<>(props, PeonySerdes.key().serializer(), serde.serializer())) {
            Map<String, Future<RecordMetadata>> sent = new LinkedHashMap<>();
            for (CatalogEntry entry : entries) {
                sent.put(
                        entry.getId(),
                        producer.send(new ProducerRecord<>(Topics.CATALOG.name(), entry.getId(), entry)));
            }
            producer.flush();
            for (var e : sent.entrySet()) {
                try {
                    e.getValue().get(60, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while writing catalog " + e.getKey(), ex);
                } catch (ExecutionException | TimeoutException ex) {
                    Throwable cause = ex instanceof ExecutionException ? ex.getCause() : ex;
                    failures.put(
                            e.getKey(),
                            "cannot write catalog " + e.getKey() + " to " + Topics.CATALOG.name() + ": "
                                    + cause.getMessage());
                }
            }
        }
        return failures;
    }

    private Serde<CatalogEntry> serde() {
        return new PeonySerdes(ClientConfigs.toMap(clientProperties)).catalogEntry();
    }
}
