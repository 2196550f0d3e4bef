package city.heze.peony.registry.server;

import city.heze.peony.registry.RegistryEvent;
import city.heze.peony.registry.RegistryJournal;
import city.heze.peony.registry.server.StoreRecordFormat.StoreRecord;
import city.heze.peony.schemas.registry.RegistryErrors;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's journal in a single-partition compacted Kafka topic, in Confluent's layout.
 *
 * <p>A reader thread tails the topic from the beginning and applies every record; opening waits
 * until it has read up to the end offset seen at start. A write goes through an idempotent producer
 * with {@code acks=all} and is acknowledged only once the reader has applied it, so the write is in
 * Kafka and visible to the next read. The registry process is the topic's only writer.
 */
public final class KafkaRegistryJournal implements RegistryJournal {
    private static final Logger log = LoggerFactory.getLogger(KafkaRegistryJournal.class);
    private static final int PARTITION = 0;

    private final Properties clientProperties;
    private final String topic;
    private final TopicPartition partition;
    private final Duration timeout;
    private final Object progress = new Object();
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread reader;
    private volatile boolean running;
    /** The next offset the reader will apply; guarded by {@link #progress}. */
    private long appliedUpTo;

    private RuntimeException readerFailure;

    /**
     * @param clientProperties Kafka client settings ({@code bootstrap.servers}, and the security
     *     settings of a real cluster); producer, consumer and admin each take the keys they know
     * @param timeout how long opening, one write, or topic creation may take
     */
    public KafkaRegistryJournal(Properties clientProperties, String topic, Duration timeout) {
        if (clientProperties.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
            throw new IllegalArgumentException(
                    "the schema registry needs bootstrap.servers to store its state in Kafka");
        }
        this.clientProperties = (Properties) clientProperties.clone();
        this.topic = topic;
        this.partition = new TopicPartition(topic, PARTITION);
        this.timeout = timeout;
    }

    @Override
    public String describe() {
        return "topic " + topic + " on " + clientProperties.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    }

    @Override
    public void open(Consumer<RegistryEvent> applier) {
        ensureTopic();
        producer = new KafkaProducer<>(producerProperties());
        consumer = new KafkaConsumer<>(consumerProperties());
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        running = true;
        reader = new Thread(() -> tail(applier), "peony-schema-registry-reader-" + topic);
        reader.setDaemon(true);
        reader.start();
        awaitApplied(end, "replaying " + describe());
    }

    @Override
    public void append(List<RegistryEvent> events) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            for (RegistryEvent event : events) {
                StoreRecord record = StoreRecordFormat.encode(event);
                sent.add(producer.send(new ProducerRecord<>(topic, PARTITION, record.key(), record.value())));
            }
            long lastOffset = -1;
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Future<RecordMetadata> future : sent) {
                long left = Math.max(1, deadline - System.nanoTime());
                lastOffset = Math.max(
                        lastOffset, future.get(left, TimeUnit.NANOSECONDS).offset());
            }
            awaitApplied(lastOffset + 1, "applying a write to " + describe());
        } catch (ExecutionException e) {
            throw RegistryErrors.storeError("writing to " + describe() + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw RegistryErrors.storeError("writing to " + describe() + " took longer than " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryErrors.storeError("interrupted while writing to " + describe(), e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw RegistryErrors.storeError("writing to " + describe() + " failed: " + e, e);
        }
    }

    /** The reader thread: applies every record of the topic in order, for as long as the journal is open. */
    private void tail(Consumer<RegistryEvent> applier) {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record, applier);
                }
                long position = consumer.position(partition);
                synchronized (progress) {
                    appliedUpTo = position;
                    progress.notifyAll();
                }
            }
        } catch (WakeupException e) {
            // close() woke the reader up.
        } catch (RuntimeException e) {
            log.error("The schema registry stopped reading {}; writes will fail until it restarts", describe(), e);
            synchronized (progress) {
                readerFailure = e;
                progress.notifyAll();
            }
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record, Consumer<RegistryEvent> applier) {
        Optional<RegistryEvent> event;
        try {
            event = StoreRecordFormat.decode(record.key(), record.value());
        } catch (IllegalArgumentException e) {
            log.warn("Skipping record at offset {} of {}: {}", record.offset(), topic, e.getMessage());
            return;
        }
        try {
            event.ifPresent(applier);
        } catch (SchemaRegistryException e) {
            log.warn("Skipping record at offset {} of {}: {}", record.offset(), topic, e.getMessage());
        }
    }

    private void awaitApplied(long offset, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (appliedUpTo < offset) {
                if (readerFailure != null) {
                    throw RegistryErrors.storeError(
                            what + " failed: the reader stopped: " + readerFailure, readerFailure);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw RegistryErrors.storeError(
                            what + " did not reach offset " + offset + " within " + timeout + " (at " + appliedUpTo
                                    + ")",
                            null);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw RegistryErrors.storeError("interrupted while " + what, e);
                }
            }
        }
    }

    /** Creates the topic (one partition, compacted) if it is missing, and checks it if it is not. */
    private void ensureTopic() {
        Admin admin = Admin.create(adminProperties());
        try {
            long seconds = Math.max(1, timeout.toSeconds());
            try {
                TopicDescription description = admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(seconds, TimeUnit.SECONDS)
                        .get(topic);
                if (description.partitions().size() != 1) {
                    throw new IllegalStateException("schema registry topic '" + topic + "' has "
                            + description.partitions().size()
                            + " partitions; it needs exactly 1 so that every write has one order");
                }
                warnIfNotCompacted(admin, seconds);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            int brokers = admin.describeCluster()
                    .nodes()
                    .get(seconds, TimeUnit.SECONDS)
                    .size();
            NewTopic newTopic = new NewTopic(topic, 1, (short) Math.min(3, Math.max(1, brokers)))
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(newTopic)).all().get(seconds, TimeUnit.SECONDS);
                log.info("Created schema registry topic {} (1 partition, compacted)", topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot prepare schema registry topic '" + topic + "' on " + bootstrap() + ": " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka at " + bootstrap() + " did not answer within " + timeout + " while preparing topic '" + topic
                            + "'",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing topic '" + topic + "'", e);
        } finally {
            // Nothing is pending once this method is done; with Kafka unreachable, do not wait for timeouts.
            admin.close(Duration.ZERO);
        }
    }

    private void warnIfNotCompacted(Admin admin, long seconds)
            throws ExecutionException, InterruptedException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource))
                .all()
                .get(seconds, TimeUnit.SECONDS)
                .get(resource);
        String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)
                || policy.contains(TopicConfig.CLEANUP_POLICY_DELETE)) {
            log.warn(
                    "Schema registry topic {} has cleanup.policy={}; it should be compact only, or schemas expire",
                    topic,
                    policy);
        }
    }

    private String bootstrap() {
        return clientProperties.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    }

    private Properties producerProperties() {
        Properties props = only(ProducerConfig.configNames());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "peony-schema-registry-writer");
        // A write must fail within the store timeout, not block a request thread for a minute.
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
        return props;
    }

    private Properties consumerProperties() {
        Properties props = only(ConsumerConfig.configNames());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "peony-schema-registry-reader");
        return props;
    }

    private Properties adminProperties() {
        Properties props = only(AdminClientConfig.configNames());
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "peony-schema-registry-admin");
        return props;
    }

    /** The caller's settings a client knows, so that none of them logs "unknown config" warnings. */
    private Properties only(Set<String> known) {
        Properties props = new Properties();
        clientProperties.forEach((key, value) -> {
            if (known.contains(String.valueOf(key))) {
                props.put(key, value);
            }
        });
        return props;
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (reader != null) {
            try {
                reader.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (consumer != null) {
            consumer.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
