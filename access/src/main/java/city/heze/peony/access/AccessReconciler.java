package city.heze.peony.access;

import city.heze.peony.access.AclReconciler.Change;
import city.heze.peony.access.AclReconciler.ReconcileResult;
import city.heze.peony.access.Permission.Grounds;
import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.DepartmentEntry;
import city.heze.peony.avro.ShareGrant;
import city.heze.peony.avro.common.ShareDecisionKind;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running access service: follows {@code peony.catalog}, {@code peony.departments} and {@code
 * peony.share.grants} from the beginning (assigned, no consumer group: every instance needs all of
 * them), and every interval computes the desired permissions ({@link AccessPolicy}) and reconciles the
 * broker's ACLs ({@link AclReconciler}). Reconciling on a timer as well as on changes is what ends
 * access at a grant's validUntil and repairs an ACL deleted by hand.
 *
 * <p>It never reconciles before it has read the three topics to the end it saw at start: a partial
 * view would revoke access that is still granted. A failing reconcile is counted, logged in one WARN
 * line, and tried again at the next tick.
 *
 * <p>Meters: {@code peony.access.grants} and {@code peony.access.revocations} count ACL bindings
 * created and deleted, tagged {@code reason}; {@code peony.access.approval.to.access} times from a
 * grant's approval to the creation of its READ ACL; {@code peony.access.reconcile.errors}; the gauge
 * {@code peony.access.acls} is the number of bindings Peony owns, and the gauge {@code
 * peony.access.reconcile.failing} the number of consecutive failed passes (0 after a success).
 */
public final class AccessReconciler implements AutoCloseable {
    /** The default time between two reconciles. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(AccessReconciler.class);
    private static final List<String> TOPICS =
            List.of(Topics.CATALOG.name(), Topics.DEPARTMENTS.name(), Topics.SHARE_GRANTS.name());

    private final Duration interval;
    private final Clock clock;
    private final MeterRegistry meters;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AclReconciler acls;
    private final Deserializer<CatalogEntry> catalogs;
    private final Deserializer<DepartmentEntry> departments;
    private final Deserializer<ShareGrant> grants;
    private final Thread thread;
    private final CountDownLatch firstReconcile = new CountDownLatch(1);
    private final AtomicInteger owned = new AtomicInteger();
    private final AtomicInteger failing = new AtomicInteger();
    private final Counter errors;
    private final Timer approvalToAccess;

    // Owned by the reconciling thread.
    private final Map<String, CatalogEntry> catalogState = new HashMap<>();
    private final Map<String, Department> departmentState = new HashMap<>();
    private final Map<String, ShareGrant> grantState = new HashMap<>();
    private Map<TopicPartition, Long> startEnd;
    // Applications whose latency was recorded: a READ ACL recreated after a hand deletion is not an approval.
    private final Set<String> timed = new HashSet<>();

    private volatile List<Permission> current = List.of();
    private volatile boolean closed;

    /**
     * @param clientProperties Kafka client settings of Peony's super user, with {@code schema.registry.url}
     * @param interval time between reconciles (a change is reconciled at once)
     */
    public AccessReconciler(Properties clientProperties, MeterRegistry meters, Duration interval, Clock clock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("reconcile interval must be positive, not " + interval);
        }
        this.interval = interval;
        this.clock = clock;
        this.meters = meters;
        Properties kafka = ClientConfigs.kafkaOnly(clientProperties);
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A missing topic is an error to report, not one to create with the wrong settings.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        PeonySerdes serdes = new PeonySerdes(ClientConfigs.toMap(kafka));
        this.catalogs = deserializer(serdes.catalogEntry());
        this.departments = deserializer(serdes.value(DepartmentEntry.class));
        this.grants = deserializer(serdes.value(ShareGrant.class));
        this.acls = new AclReconciler(kafka);
        this.errors = Counter.builder("peony.access.reconcile.errors")
                .description("reconciles of the ACLs that failed")
                .register(meters);
        this.approvalToAccess = Timer.builder("peony.access.approval.to.access")
                .description("from a share application's approval to the creation of its READ ACL")
                .publishPercentileHistogram()
                .register(meters);
        meters.gauge("peony.access.acls", owned);
        // Consecutive failed passes, 0 after a success: what an alert on "fails repeatedly" watches.
        meters.gauge("peony.access.reconcile.failing", failing);
        this.thread = new Thread(this::run, "peony-access-reconciler");
        this.thread.setDaemon(true);
    }

    /** A reconciler on the system clock with the default interval. */
    public AccessReconciler(Properties clientProperties, MeterRegistry meters) {
        this(clientProperties, meters, DEFAULT_INTERVAL, Clock.systemUTC());
    }

    /** Starts the reconciling thread. */
    public AccessReconciler start() {
        thread.start();
        return this;
    }

    /** The desired permissions as last computed (empty before the first reconcile); safe from any thread. */
    public List<Permission> currentPermissions() {
        return current;
    }

    /** Waits until the first reconcile has succeeded; false if it has not within {@code timeout}. */
    public boolean awaitFirstReconcile(Duration timeout) throws InterruptedException {
        return firstReconcile.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        Instant next = Instant.MIN;
        boolean changed = false;
        while (!closed) {
            try {
                if (startEnd == null) {
                    assign();
                }
                for (ConsumerRecord<byte[], byte[]> r :
                        consumer.poll(Duration.ofMillis(Math.min(200, interval.toMillis())))) {
                    changed |= apply(r);
                }
                if (!caughtUp()) {
                    continue;
                }
                Instant now = clock.instant();
                if (changed || !now.isBefore(next)) {
                    next = now.plus(interval);
                    changed = false;
                    reconcile(now);
                }
            } catch (WakeupException e) {
                // close() asked us to stop
            } catch (RuntimeException e) {
                errors.increment();
                failing.incrementAndGet();
                log.warn("access reconcile failed, retrying in {} ms: {}", interval.toMillis(), e.getMessage());
                next = clock.instant().plus(interval);
                pause();
            }
        }
    }

    private void assign() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist yet");
            }
            infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        startEnd = consumer.endOffsets(partitions, Duration.ofSeconds(10));
    }

    private boolean caughtUp() {
        if (startEnd.isEmpty()) {
            return true;
        }
        for (var e : startEnd.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        startEnd = Map.of(); // once caught up, stays so
        return true;
    }

    private boolean apply(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        if (key == null) {
            return false;
        }
        try {
            String topic = r.topic();
            if (topic.equals(Topics.CATALOG.name())) {
                put(catalogState, key, catalogs.deserialize(topic, r.value()));
            } else if (topic.equals(Topics.DEPARTMENTS.name())) {
                put(
                        departmentState,
                        key,
                        r.value() == null ? null : Department.of(departments.deserialize(topic, r.value())));
            } else if (topic.equals(Topics.SHARE_GRANTS.name())) {
                put(grantState, key, grants.deserialize(topic, r.value()));
            } else {
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            // One bad record must not stop access control for everybody: skip it, say so.
            log.warn("skipping {} record {} at offset {}: {}", r.topic(), key, r.offset(), e.getMessage());
            return false;
        }
    }

    private static <V> void put(Map<String, V> state, String key, V value) {
        if (value == null) {
            state.remove(key);
        } else {
            state.put(key, value);
        }
    }

    private void reconcile(Instant now) {
        List<Permission> desired = AccessPolicy.withPublicReader(
                catalogState.values(), departmentState.values(), grantState.values(), now);
        current = desired;
        ReconcileResult result = acls.reconcile(desired);
        owned.set(acls.owned().size());
        Instant created = clock.instant();
        for (Change c : result.created()) {
            meters.counter(
                            "peony.access.grants",
                            "reason",
                            c.permission().grounds().tag())
                    .increment();
            if (c.permission().grounds() == Grounds.APPLICATION
                    && c.permission().operation() == Permission.Operation.READ) {
                ShareGrant g = grantState.get(applicationId(c.because()));
                if (g != null && timed.add(g.getApplicationId())) {
                    approvalToAccess.record(Duration.between(g.getApprovedAt(), created));
                }
            }
        }
        for (Change c : result.deleted()) {
            meters.counter("peony.access.revocations", "reason", revocationReason(c, now))
                    .increment();
        }
        if (!result.unchanged()) {
            log.info(
                    "access reconciled: {} ACL bindings created, {} deleted, {} owned",
                    result.created().size(),
                    result.deleted().size(),
                    owned.get());
        }
        failing.set(0);
        firstReconcile.countDown();
    }

    /** Why a binding Peony had granted is no longer desired, from the current state. */
    private String revocationReason(Change deleted, Instant now) {
        String principal = deleted.binding().entry().principal();
        String code = principal.startsWith("User:") ? principal.substring("User:".length()) : principal;
        if (!PublicReader.isReserved(code) && !departmentState.containsKey(code)) {
            return "department_removed";
        }
        String applicationId = applicationId(deleted.because());
        if (applicationId == null) {
            return "catalog_changed";
        }
        ShareGrant g = grantState.get(applicationId);
        if (g == null) {
            return "revoked"; // the grant itself was removed
        }
        if (g.getEndedAt() != null) {
            return g.getEndedBy() == ShareDecisionKind.WITHDRAWN ? "withdrawn" : "revoked";
        }
        if (!now.isBefore(g.getValidUntil())) {
            return "expired";
        }
        return "catalog_changed";
    }

    /** The application id of an application's {@code because}, or null for any other rule. */
    private static String applicationId(String because) {
        if (because == null || !because.startsWith(AccessPolicy.APPLICATION_BECAUSE_PREFIX)) {
            return null;
        }
        String rest = because.substring(AccessPolicy.APPLICATION_BECAUSE_PREFIX.length());
        int space = rest.indexOf(' ');
        return space < 0 ? rest : rest.substring(0, space);
    }

    private void pause() {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private static <T> Deserializer<T> deserializer(Serde<T> serde) {
        return serde.deserializer();
    }

    /** Stops the thread and closes its clients; the ACLs stay as they are. */
    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            consumer.close();
        }
        acls.close();
        catalogs.close();
        departments.close();
        grants.close();
    }
}
