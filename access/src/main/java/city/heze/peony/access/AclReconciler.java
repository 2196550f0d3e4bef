package city.heze.peony.access;

import city.heze.peony.access.Permission.PatternKind;
import city.heze.peony.access.Permission.ResourceKind;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Makes the broker's ACLs match the desired permissions, touching only the ACLs Peony owns (as
 * Strimzi's User Operator and kafka-gitops do): it computes desired − actual and creates that, and
 * (owned ∩ actual) − desired and deletes that. An ACL that is not in Peony's ledger is never deleted.
 *
 * <p>The ledger is the compacted topic {@code peony.access.acls}: key = {@link #key(AclBinding)},
 * value = the {@code because} of the permission as a plain UTF-8 string (String serdes), tombstone
 * when the binding is removed. The order of writes makes a crash at any point safe: the ledger record
 * is written before the ACL is created (so no ACL of Peony's is ever unowned) and tombstoned after it
 * is deleted; a ledger record whose binding is neither on the broker nor desired is tombstoned.
 *
 * <p>Not thread-safe: one reconciling thread owns an instance. Several instances on one ledger must
 * not reconcile at the same time.
 */
public final class AclReconciler implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> ledgerReader;
    private final Map<String, String> ledger = new TreeMap<>();
    private List<TopicPartition> ledgerPartitions;

    /** What one reconcile changed; both empty when the broker already matched. */
    public record ReconcileResult(List<Change> created, List<Change> deleted) {
        public ReconcileResult {
            created = List.copyOf(created);
            deleted = List.copyOf(deleted);
        }

        public boolean unchanged() {
            return created.isEmpty() && deleted.isEmpty();
        }
    }

    /**
     * One binding created or deleted. For a created binding {@code permission} is the permission that
     * asked for it; for a deleted one it is null and {@code because} is the ledger's reason it had been
     * granted.
     */
    public record Change(AclBinding binding, Permission permission, String because) {}

    /**
     * @param clientProperties Kafka client settings of a super user (Peony's own principal)
     */
    public AclReconciler(Properties clientProperties) {
        Properties kafka = ClientConfigs.kafkaOnly(clientProperties);
        this.admin = Admin.create(kafka);
        Properties producerProps = new Properties();
        producerProps.putAll(kafka);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
        Properties consumerProps = new Properties();
        consumerProps.putAll(kafka);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A missing topic is an error to report, not one to create with the wrong settings.
        consumerProps.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        this.ledgerReader = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer());
    }

    /** The Kafka ACL bindings of every permission but SUBJECT ones, each with the first permission asking for it. */
    public static Map<AclBinding, Permission> bindings(Collection<Permission> permissions) {
        Map<AclBinding, Permission> out = new LinkedHashMap<>();
        for (Permission p : permissions) {
            if (p.kind() == ResourceKind.SUBJECT) {
                continue; // enforced by the registry
            }
            ResourceType type = switch (p.kind()) {
                case TOPIC -> ResourceType.TOPIC;
                case GROUP -> ResourceType.GROUP;
                case TRANSACTIONAL_ID -> ResourceType.TRANSACTIONAL_ID;
                case SUBJECT -> throw new IllegalStateException("subjects have no Kafka ACL");
            };
            PatternType pattern = p.pattern() == PatternKind.LITERAL ? PatternType.LITERAL : PatternType.PREFIXED;
            AclOperation op = switch (p.operation()) {
                case READ -> AclOperation.READ;
                case WRITE -> AclOperation.WRITE;
                case DESCRIBE -> AclOperation.DESCRIBE;
                case CREATE -> AclOperation.CREATE;
                case DELETE -> AclOperation.DELETE;
                case DESCRIBE_CONFIGS -> AclOperation.DESCRIBE_CONFIGS;
            };
            AclBinding b = new AclBinding(
                    new ResourcePattern(type, p.name(), pattern),
                    new AccessControlEntry(p.principal(), "*", op, AclPermissionType.ALLOW));
            out.putIfAbsent(b, p);
        }
        return out;
    }

    /** The ledger key of a binding: stable, readable, one line. */
    public static String key(AclBinding b) {
        return b.entry().principal() + "|" + b.pattern().resourceType() + "|"
                + b.pattern().patternType() + "|"
                + b.pattern().name() + "|" + b.entry().operation() + "|"
                + b.entry().permissionType() + "|"
                + b.entry().host();
    }

    /** The binding of a ledger key; the inverse of {@link #key(AclBinding)}. */
    public static AclBinding binding(String key) {
        String[] f = key.split("\\|", -1);
        if (f.length != 7) {
            throw new IllegalArgumentException("not an ACL ledger key: " + key);
        }
        return new AclBinding(
                new ResourcePattern(ResourceType.fromString(f[1]), f[3], PatternType.fromString(f[2])),
                new AccessControlEntry(f[0], f[6], AclOperation.fromString(f[4]), AclPermissionType.fromString(f[5])));
    }

    /** Makes the broker match {@code desired}; a second call with the same input changes nothing. */
    public ReconcileResult reconcile(Collection<Permission> desired) {
        readLedger();
        Map<AclBinding, Permission> want = bindings(desired);
        Set<AclBinding> actual =
                new HashSet<>(await(admin.describeAcls(AclBindingFilter.ANY).values(), "read ACLs"));

        List<Change> created = new ArrayList<>();
        Map<String, String> ledgerWrites = new LinkedHashMap<>();
        for (var e : want.entrySet()) {
            String k = key(e.getKey());
            String because = e.getValue().because();
            if (!actual.contains(e.getKey())) {
                created.add(new Change(e.getKey(), e.getValue(), because));
                ledgerWrites.put(k, because);
            } else if (ledger.containsKey(k) && !because.equals(ledger.get(k))) {
                ledgerWrites.put(k, because); // still owned, now for another reason
            }
        }
        List<Change> deleted = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        for (var e : ledger.entrySet()) {
            AclBinding b = binding(e.getKey());
            if (want.containsKey(b)) {
                continue;
            }
            if (actual.contains(b)) {
                deleted.add(new Change(b, null, e.getValue()));
            } else {
                stale.add(e.getKey()); // gone already (by hand, or a crash before the tombstone)
            }
        }

        // Own it before it exists, so that a crash never leaves an ACL of Peony's unowned.
        writeLedger(ledgerWrites);
        if (!created.isEmpty()) {
            await(
                    admin.createAcls(created.stream().map(Change::binding).toList())
                            .all(),
                    "create ACLs");
        }
        if (!deleted.isEmpty()) {
            List<AclBindingFilter> filters =
                    deleted.stream().map(c -> c.binding().toFilter()).toList();
            await(admin.deleteAcls(filters).all(), "delete ACLs");
        }
        Map<String, String> tombstones = new LinkedHashMap<>();
        deleted.forEach(c -> tombstones.put(key(c.binding()), null));
        stale.forEach(k -> tombstones.put(k, null));
        writeLedger(tombstones);
        return new ReconcileResult(created, deleted);
    }

    /** The bindings Peony owns, by ledger key, with why they were granted (as of the last reconcile). */
    public Map<String, String> owned() {
        return Map.copyOf(ledger);
    }

    private void readLedger() {
        if (ledgerPartitions == null) {
            List<PartitionInfo> infos = ledgerReader.partitionsFor(Topics.ACCESS_ACLS.name(), TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException(
                        "topic " + Topics.ACCESS_ACLS.name() + " does not exist: start Peony with peony up first");
            }
            ledgerPartitions = infos.stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            ledgerReader.assign(ledgerPartitions);
            ledgerReader.seekToBeginning(ledgerPartitions);
        }
        Map<TopicPartition, Long> end = ledgerReader.endOffsets(ledgerPartitions, TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (end.entrySet().stream().anyMatch(e -> ledgerReader.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + Topics.ACCESS_ACLS.name() + " to its end within "
                        + TIMEOUT.toSeconds() + " s");
            }
            for (ConsumerRecord<String, String> r : ledgerReader.poll(Duration.ofMillis(100))) {
                if (r.value() == null) {
                    ledger.remove(r.key());
                } else {
                    ledger.put(r.key(), r.value());
                }
            }
        }
    }

    private void writeLedger(Map<String, String> records) {
        if (records.isEmpty()) {
            return;
        }
        List<Future<?>> sent = new ArrayList<>();
        for (var e : records.entrySet()) {
            sent.add(producer.send(new ProducerRecord<>(Topics.ACCESS_ACLS.name(), e.getKey(), e.getValue())));
        }
        producer.flush();
        for (Future<?> f : sent) {
            try {
                f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing " + Topics.ACCESS_ACLS.name(), e);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                throw new IllegalStateException(
                        "cannot write " + Topics.ACCESS_ACLS.name() + ": " + cause.getMessage(), cause);
            }
        }
        records.forEach((k, v) -> {
            if (v == null) {
                ledger.remove(k);
            } else {
                ledger.put(k, v);
            }
        });
    }

    private static <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not " + what + " within " + TIMEOUT.toSeconds() + " s");
        }
    }

    @Override
    public void close() {
        ledgerReader.close();
        producer.close();
        admin.close();
    }
}
