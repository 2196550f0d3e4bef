package city.heze.peony.access;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service survives what it cannot do yet (its topics missing: counted, retried) and a restart
 * changes nothing on the broker.
 */
class AccessReconcilerRestartIT {
    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;
    private static EmbeddedSchemaRegistry registry;
    private static Properties client;
    private static Admin admin;

    @BeforeAll
    static void start() {
        broker = AccessFixtures.brokerWithAuthorizer(dataDir);
        registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, Topics.SCHEMAS.name());
        client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        client.put("schema.registry.url", registry.url());
        admin = Admin.create(ClientConfigs.kafkaOnly(client));
    }

    @AfterAll
    static void stop() {
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

    private static Set<AclBinding> brokerAcls() throws Exception {
        return new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
    }

    @Test
    void missingTopicsAreCountedAsErrorsAndARestartChangesNothing() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (AccessReconciler early =
                new AccessReconciler(client, meters, Duration.ofMillis(100), Clock.systemUTC()).start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (meters.get("peony.access.reconcile.errors").counter().count() < 2) {
                assertThat(System.nanoTime()).as("errors counted within 30 s").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(early.awaitFirstReconcile(Duration.ZERO)).isFalse();
            assertThat(meters.get("peony.access.reconcile.failing").gauge().value())
                    .isGreaterThanOrEqualTo(2);
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .as("the reconciler creates no topic")
                    .doesNotContain(Topics.CATALOG.name(), Topics.SHARE_GRANTS.name());

            admin.createTopics(
                            List.of(Topics.CATALOG, Topics.DEPARTMENTS, Topics.SHARE_GRANTS, Topics.ACCESS_ACLS)
                                    .stream()
                                    .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs()))
                                    .toList())
                    .all()
                    .get(30, TimeUnit.SECONDS);
            DepartmentDirectory directory = new DepartmentDirectory(client);
            for (Department d : AccessFixtures.departments()) {
                directory.add(d);
            }
            assertThat(early.awaitFirstReconcile(Duration.ofSeconds(60))).isTrue();
            // Every department's base ACLs (9 each), not just as many ACLs as that: the owners of
            // linkage scenarios get more, so a count alone could be reached before all four are in.
            long deadline2 = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                Set<AclBinding> acls = brokerAcls();
                boolean allIn = AccessFixtures.departments().stream()
                        .allMatch(d -> acls.stream()
                                        .filter(b -> b.entry().principal().equals("User:" + d.code()))
                                        .filter(b -> !b.pattern().name().startsWith(d.code() + ".linkage.")
                                                && !b.pattern().name().startsWith(Topics.LINKAGE_PREFIX))
                                        .count()
                                >= 9);
                if (allIn) {
                    break;
                }
                assertThat(System.nanoTime()).as("base ACLs within 10 s").isLessThan(deadline2);
                Thread.sleep(50);
            }
            // 9 ACL-backed permissions per department, and the 2 share-topic subjects the registry enforces,
            // besides what the owners of linkage scenarios get for running them (AccessPolicyTest).
            // besides the public reader's, which needs no department.
            assertThat(early.currentPermissions().stream()
                            .filter(p -> p.grounds() != Permission.Grounds.LINKAGE
                                    && p.grounds() != Permission.Grounds.OPEN_DATA))
                    .hasSize(4 * (9 + 2));
            assertThat(meters.get("peony.access.reconcile.failing").gauge().value())
                    .isZero();
        }
        Set<AclBinding> before = brokerAcls();

        SimpleMeterRegistry restartedMeters = new SimpleMeterRegistry();
        try (AccessReconciler restarted =
                new AccessReconciler(client, restartedMeters, Duration.ofMillis(100), Clock.systemUTC()).start()) {
            assertThat(restarted.awaitFirstReconcile(Duration.ofSeconds(60))).isTrue();
            assertThat(brokerAcls()).isEqualTo(before);
            assertThat(restartedMeters.find("peony.access.grants").counters()).isEmpty();
            assertThat(restartedMeters.find("peony.access.revocations").counters())
                    .isEmpty();
            assertThat(restartedMeters.get("peony.access.acls").gauge().value()).isEqualTo(before.size());
        }
    }
}
