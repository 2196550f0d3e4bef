package city.heze.peony.ops.validation;

import city.heze.peony.avro.Rejection;
import city.heze.peony.ops.TopicSnapshot;
import city.heze.peony.ops.UserException;
import city.heze.peony.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Sends the rejected records of one catalog back to {@code raw.<catalog>}, original key and value
 * bytes, exactly once: a transactional producer commits the consumer group {@code
 * peony-dlq-replay-<catalog>}'s offsets on {@code peony.rejected} in the same transaction as the
 * records it sends, so a replay that fails half-way sends nothing twice, and running it again
 * replays only what was rejected since. Only the rejections present when the replay starts are
 * replayed: those the replayed records earn (if they fail again) wait for the next replay.
 */
final class DlqReplay {
    static final String GROUP_PREFIX = "peony-dlq-replay-";
    /** Header naming where a replayed record was in {@code peony.rejected}: {@code partition/offset}. */
    static final String REPLAYED_FROM_HEADER = "peony.replayed-from";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What a replay did. */
    record Result(String catalogId, String group, long replayed, long otherCatalogs, long unreadable) {}

    private DlqReplay() {}

    static Result replay(Properties client, Deserializer<Rejection> rejections, String catalogId) {
        String group = GROUP_PREFIX + catalogId;
        String raw = Topics.raw(catalogId);
        Properties consumerProps = new Properties();
        consumerProps.putAll(client);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Properties producerProps = new Properties();
        producerProps.putAll(client);
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group);
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");

        long replayed = 0;
        long others = 0;
        long unreadable = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = TopicSnapshot.partitions(consumer, Topics.REJECTED.name(), consumerProps);
            if (!consumer.listTopics(TIMEOUT).containsKey(raw)) {
                throw new UserException(
                        "topic " + raw + " does not exist on " + client.get("bootstrap.servers") + "; register catalog "
                                + catalogId + " first (peony catalog register)",
                        1);
            }
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions), TIMEOUT);
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata resume = committed.get(partition);
                if (resume == null) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seek(partition, resume);
                }
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            producer.initTransactions();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (!TopicSnapshot.reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new UserException(
                            "could not read " + Topics.REJECTED.name() + " to its end within 10"
                                    + " minutes; what was replayed so far is committed, run the replay again to go on",
                            1);
                }
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                if (batch.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                producer.beginTransaction();
                try {
                    for (ConsumerRecord<byte[], byte[]> record : batch) {
                        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                        if (record.offset() >= end.get(partition)) {
                            continue; // rejected after the replay started: the next replay's
                        }
                        next.put(partition, new OffsetAndMetadata(record.offset() + 1));
                        Rejection rejection;
                        try {
                            rejection = record.value() == null
                                    ? null
                                    : rejections.deserialize(record.topic(), record.value());
                        } catch (SerializationException e) {
                            rejection = null;
                        }
                        if (rejection == null) {
                            unreadable++;
                        } else if (!catalogId.equals(rejection.getCatalogId())) {
                            others++;
                        } else {
                            producer.send(replayOf(raw, rejection, record));
                            replayed++;
                        }
                    }
                    if (!next.isEmpty()) {
                        producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
                    }
                    producer.commitTransaction();
                } catch (ProducerFencedException e) {
                    throw new UserException(
                            "another replay of catalog " + catalogId + " started (transactional.id " + group
                                    + ") and took over; this one stopped without sending anything twice",
                            1,
                            e);
                } catch (KafkaException e) {
                    producer.abortTransaction();
                    throw new UserException(
                            "replay of catalog " + catalogId + " failed and its last transaction was aborted (nothing"
                                    + " of it was sent): " + e.getMessage() + "; run it again to go on",
                            1,
                            e);
                }
            }
        }
        return new Result(catalogId, group, replayed, others, unreadable);
    }

    private static ProducerRecord<byte[], byte[]> replayOf(
            String raw, Rejection rejection, ConsumerRecord<byte[], byte[]> record) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                REPLAYED_FROM_HEADER, (record.partition() + "/" + record.offset()).getBytes(StandardCharsets.UTF_8));
        byte[] key = rejection.getOriginalKey() == null ? null : RejectedValue.bytes(rejection.getOriginalKey());
        byte[] value = rejection.getOriginalValue() == null ? null : RejectedValue.bytes(rejection.getOriginalValue());
        return new ProducerRecord<>(raw, null, null, key, value, headers);
    }
}
