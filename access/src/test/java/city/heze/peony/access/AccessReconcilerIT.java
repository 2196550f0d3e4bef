package city.heze.peony.access;

import static city.heze.peony.access.AccessFixtures.catalogs;
import static city.heze.peony.access.AccessFixtures.ended;
import static city.heze.peony.access.AccessFixtures.grant;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.ShareGrant;
import city.heze.peony.avro.common.ShareDecisionKind;
import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.PeonyTopic;
import city.heze.peony.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running service: catalogs, departments and grants written to their topics become ACLs on the
 * broker within 5 s, and stop being ACLs within 5 s of a revocation, withdrawal, expiry or removal.
 */
class AccessReconcilerIT {
    private static final Duration WITHIN = Duration.ofSeconds(5);

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;
    private static EmbeddedSchemaRegistry registry;
    private static Properties client;
    private static Admin admin;
    private static DepartmentDirectory directory;
    private static SimpleMeterRegistry meters;
    private static AccessReconciler reconciler;

    @BeforeAll
    static void start() throws Exception {
        broker = AccessFixtures.brokerWithAuthorizer(dataDir);
        registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, Topics.SCHEMAS.name());
        client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        client.put("schema.registry.url", registry.url());
        admin = Admin.create(ClientConfigs.kafkaOnly(client));
        List<NewTopic> topics =
                List.of(Topics.CATALOG, Topics.DEPARTMENTS, Topics.SHARE_GRANTS, Topics.ACCESS_ACLS).stream()
                        .map(AccessReconcilerIT::newTopic)
                        .toList();
        admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        for (CatalogEntry c : catalogs()) {
            send(Topics.CATALOG.name(), c.getId(), c, CatalogEntry.class);
        }
        directory = new DepartmentDirectory(client);
        for (Department d : AccessFixtures.departments()) {
            directory.add(d);
        }
        meters = new SimpleMeterRegistry();
        reconciler = new AccessReconciler(client, meters, Duration.ofMillis(200), Clock.systemUTC()).start();
        assertThat(reconciler.awaitFirstReconcile(Duration.ofSeconds(60))).isTrue();
    }

    @AfterAll
    static void stop() {
        if (reconciler != null) {
            reconciler.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static NewTopic newTopic(PeonyTopic t) {
        return new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs());
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> void send(
            String topic, String key, T value, Class<T> type) throws Exception {
        try (Serde<T> serde = new PeonySerdes(ClientConfigs.toMap(client)).value(type);
                KafkaProducer<String, T> producer = new KafkaProducer<>(
                        ClientConfigs.kafkaOnly(client), PeonySerdes.key().serializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static void send(ShareGrant g) throws Exception {
        send(Topics.SHARE_GRANTS.name(), g.getApplicationId(), g, ShareGrant.class);
    }

    private static AclBinding topicAcl(String department, String topic, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry("User:" + department, "*", op, AclPermissionType.ALLOW));
    }

    private static boolean onBroker(AclBinding b) {
        try {
            return admin.describeAcls(b.toFilter())
                    .values()
                    .get(10, TimeUnit.SECONDS)
                    .contains(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long aclsOf(String department) throws Exception {
        return admin.describeAcls(AclBindingFilter.ANY).values().get(10, TimeUnit.SECONDS).stream()
                .filter(b -> b.entry().principal().equals("User:" + department))
                .count();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WITHIN.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static double count(String name, String reason) {
        Counter c = meters.find(name).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void theDirectoryAndTheCatalogsBecomeBaseAcls() throws Exception {
        assertThat(directory.readAll()).containsOnlyKeys("ga", "mz", "rs", "scjg");
        await(
                "mz may write its raw topic",
                () -> onBroker(topicAcl("mz", "raw.mz.social-assistance", AclOperation.WRITE)));
        await(
                "rs may read an unconditional catalog",
                () -> onBroker(topicAcl("rs", "shared.ga.household-registration", AclOperation.READ)));
        assertThat(onBroker(topicAcl("ga", "shared.mz.social-assistance", AclOperation.READ)))
                .isFalse();
        assertThat(onBroker(topicAcl("ga", "raw.mz.social-assistance", AclOperation.READ)))
                .isFalse();
        assertThat(reconciler.currentPermissions())
                .anyMatch(p -> p.department().equals("mz") && p.name().equals("raw.mz.social-assistance-value"));
        // The pass counts its grants after the broker has them: poll, do not read once.
        // Other tests may add departments: at least the four of the fixtures.
        await(
                "base grants counted",
                () -> count("peony.access.grants", "own_catalog") > 0
                        && count("peony.access.grants", "unconditional") > 0
                        && count("peony.access.grants", "groups") >= 4
                        && count("peony.access.grants", "share_topics") >= 16
                        && meters.get("peony.access.acls").gauge().value() > 0);
        assertThat(meters.get("peony.access.reconcile.errors").counter().count())
                .isZero();
    }

    @Test
    void anApprovalGrantsReadWithin5sAndARevocationOrWithdrawalTakesItAway() throws Exception {
        Instant now = Instant.now();
        ShareGrant toGa =
                grant("A-31", "mz.social-assistance", "ga", "mz", now.minusMillis(500), now.plusSeconds(3600));
        ShareGrant toScjg = grant("A-32", "rs.pension", "scjg", "rs", now.minusMillis(500), now.plusSeconds(3600));
        AclBinding gaReads = topicAcl("ga", "shared.mz.social-assistance", AclOperation.READ);
        AclBinding scjgReads = topicAcl("scjg", "shared.rs.pension", AclOperation.READ);
        long approvals = meters.get("peony.access.approval.to.access").timer().count();

        send(toGa);
        send(toScjg);
        await("ga may read shared.mz.social-assistance", () -> onBroker(gaReads));
        await("scjg may read shared.rs.pension", () -> onBroker(scjgReads));
        // Timed when its pass has created the ACL, which the broker may show a moment earlier.
        await(
                "both approvals timed",
                () -> meters.get("peony.access.approval.to.access").timer().count() == approvals + 2);
        assertThat(reconciler.currentPermissions())
                .anyMatch(
                        p -> p.department().equals("ga") && p.because().startsWith("application A-31 approved by mz"));

        send(ended(toGa, Instant.now(), ShareDecisionKind.REVOKED));
        send(ended(toScjg, Instant.now(), ShareDecisionKind.WITHDRAWN));
        await("ga's access revoked", () -> !onBroker(gaReads));
        await("scjg's access withdrawn", () -> !onBroker(scjgReads));
        await(
                "revocations counted",
                () -> count("peony.access.revocations", "revoked") == 2
                        && count("peony.access.revocations", "withdrawn") == 2);
    }

    @Test
    void accessEndsWithin5sOfValidUntil() throws Exception {
        Instant now = Instant.now();
        Instant until = now.plusSeconds(2);
        AclBinding mzReads = topicAcl("mz", "shared.rs.pension", AclOperation.READ);
        send(grant("A-33", "rs.pension", "mz", "rs", now.minusMillis(100), until));
        await(
                "mz may read shared.rs.pension",
                () -> onBroker(mzReads) || Instant.now().isAfter(until));

        long deadline = until.plus(WITHIN).toEpochMilli();
        while (onBroker(mzReads)) {
            assertThat(System.currentTimeMillis())
                    .as("ACL gone within 5 s of validUntil")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(Instant.now()).isAfterOrEqualTo(until);
        await("expiry counted", () -> count("peony.access.revocations", "expired") == 2);
    }

    @Test
    void aHandDeletedAclComesBackAndARemovedDepartmentLosesEverything() throws Exception {
        directory.add(new Department("wj", "菏泽市卫生健康委员会", Instant.now()));
        AclBinding groups = new AclBinding(
                new ResourcePattern(ResourceType.GROUP, "wj.", PatternType.PREFIXED),
                new AccessControlEntry("User:wj", "*", AclOperation.READ, AclPermissionType.ALLOW));
        await("wj has its groups", () -> onBroker(groups));

        admin.deleteAcls(List.of(groups.toFilter())).all().get(10, TimeUnit.SECONDS);
        await("wj's groups ACL restored", () -> onBroker(groups));

        directory.remove("wj");
        await("wj has no ACL left", () -> {
            try {
                return aclsOf("wj") == 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(directory.readAll()).doesNotContainKey("wj");
        // groups, peony.catalog and the three unconditional catalogs READ+DESCRIBE, two share topics
        // WRITE+DESCRIBE, transactional ids WRITE+DESCRIBE: 1 + 8 + 4 + 2
        await(
                "removal counted, revocations "
                        + meters.find("peony.access.revocations").counters().stream()
                                .map(c -> c.getId().getTag("reason") + "=" + c.count())
                                .toList(),
                () -> count("peony.access.revocations", "department_removed") == 15);
    }

    @Test
    void scramCredentialsAreCreatedReplacedAndDeleted() {
        DepartmentCredentials credentials = new DepartmentCredentials(admin, Duration.ofSeconds(30));
        assertThat(credentials.exists("rs")).isFalse();

        credentials.upsert("rs", DepartmentCredentials.newPassword());
        assertThat(credentials.exists("rs")).isTrue();
        credentials.upsert("rs", DepartmentCredentials.newPassword());
        assertThat(credentials.exists("rs")).isTrue();

        credentials.delete("rs");
        assertThat(credentials.exists("rs")).isFalse();
        credentials.delete("rs"); // nothing to delete is fine
    }
}
