package city.heze.peony.access;

import static city.heze.peony.access.AccessFixtures.T0;
import static city.heze.peony.access.AccessFixtures.catalogs;
import static city.heze.peony.access.AccessFixtures.departments;
import static city.heze.peony.access.AccessFixtures.grant;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.access.AclReconciler.Change;
import city.heze.peony.access.AclReconciler.ReconcileResult;
import city.heze.peony.avro.ShareGrant;
import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconciler against a broker with Kafka's StandardAuthorizer: real ACLs, a real ledger. */
class AclReconcilerIT {
    private static final Instant NOW = T0.plus(Duration.ofDays(10));

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;
    private static Properties client;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = AccessFixtures.brokerWithAuthorizer(dataDir);
        client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        admin = Admin.create(client);
        admin.createTopics(List.of(new NewTopic(Topics.ACCESS_ACLS.name(), 1, (short) 1)
                        .configs(Map.of("cleanup.policy", "compact"))))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** Every test starts with nothing owned: reconciling to no permissions removes all Peony's ACLs. */
    @BeforeEach
    void clean() {
        try (AclReconciler r = new AclReconciler(client)) {
            r.reconcile(List.of());
            assertThat(r.owned()).isEmpty();
        }
    }

    private static Set<AclBinding> brokerAcls() throws Exception {
        return new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
    }

    /**
     * The broker's ACLs once they satisfy {@code ok}, polled for up to 10 s: createAcls and
     * deleteAcls return when the controller has committed the change, and the broker that answers
     * describeAcls applies it from the metadata log a moment later.
     */
    private static Set<AclBinding> awaitAcls(String what, java.util.function.Predicate<Set<AclBinding>> ok)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<AclBinding> acls = brokerAcls();
        while (!ok.test(acls)) {
            assertThat(System.nanoTime())
                    .as("the broker's ACLs to show " + what + " within 10 s")
                    .isLessThan(deadline);
            Thread.sleep(20);
            acls = brokerAcls();
        }
        return acls;
    }

    private static List<Permission> desired(List<ShareGrant> grants, Instant now) {
        return AccessPolicy.desired(catalogs(), departments(), grants, now);
    }

    @Test
    void createsExactlyTheDesiredBindingsAndASecondRunChangesNothing() throws Exception {
        List<Permission> desired = desired(List.of(), NOW);
        Map<AclBinding, Permission> bindings = AclReconciler.bindings(desired);
        assertThat(bindings.keySet())
                .contains(new AclBinding(
                        new ResourcePattern(ResourceType.GROUP, "mz.", PatternType.PREFIXED),
                        new AccessControlEntry("User:mz", "*", AclOperation.READ, AclPermissionType.ALLOW)))
                .noneMatch(b -> b.pattern().name().endsWith("-value")); // subjects are the registry's

        try (AclReconciler r = new AclReconciler(client)) {
            ReconcileResult first = r.reconcile(desired);
            assertThat(first.created())
                    .extracting(Change::binding)
                    .containsExactlyInAnyOrderElementsOf(bindings.keySet());
            assertThat(first.deleted()).isEmpty();
            assertThat(awaitAcls("the created bindings", acls -> acls.containsAll(bindings.keySet())))
                    .containsAll(bindings.keySet());
            assertThat(r.owned()).hasSize(bindings.size());

            ReconcileResult second = r.reconcile(desired);
            assertThat(second.unchanged()).isTrue();
        }
    }

    @Test
    void aBindingDeletedByHandIsRecreated() throws Exception {
        List<Permission> desired = desired(List.of(), NOW);
        try (AclReconciler r = new AclReconciler(client)) {
            r.reconcile(desired);
            AclBinding victim = new AclBinding(
                    new ResourcePattern(ResourceType.TOPIC, "shared.ga.household-registration", PatternType.LITERAL),
                    new AccessControlEntry("User:mz", "*", AclOperation.READ, AclPermissionType.ALLOW));
            admin.deleteAcls(List.of(victim.toFilter())).all().get(30, TimeUnit.SECONDS);
            assertThat(awaitAcls("the deletion", acls -> !acls.contains(victim)))
                    .doesNotContain(victim);

            ReconcileResult repair = r.reconcile(desired);

            assertThat(repair.created()).extracting(Change::binding).containsExactly(victim);
            assertThat(repair.created().get(0).because()).isEqualTo("unconditional catalog ga.household-registration");
            assertThat(repair.deleted()).isEmpty();
            assertThat(awaitAcls("the recreated binding", acls -> acls.contains(victim)))
                    .contains(victim);
        }
    }

    @Test
    void anAclPeonyDidNotCreateIsNeverTouchedEvenWhenItLooksLikeOneOfPeonys() throws Exception {
        AclBinding foreign = new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "raw.rs.pension", PatternType.LITERAL),
                new AccessControlEntry("User:mz", "*", AclOperation.READ, AclPermissionType.ALLOW));
        AclBinding operatorsOwn = new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "shared.mz.social-assistance", PatternType.LITERAL),
                new AccessControlEntry("User:ga", "*", AclOperation.READ, AclPermissionType.ALLOW));
        admin.createAcls(List.of(foreign, operatorsOwn)).all().get(30, TimeUnit.SECONDS);
        try (AclReconciler r = new AclReconciler(client)) {
            r.reconcile(desired(List.of(), NOW));
            r.reconcile(List.of());

            assertThat(brokerAcls()).contains(foreign, operatorsOwn);
            assertThat(r.owned()).isEmpty();
        } finally {
            admin.deleteAcls(List.of(foreign.toFilter(), operatorsOwn.toFilter()))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFreshReconcilerOnTheSameLedgerChangesNothingAndStillRemovesWhatPeonyOwns() throws Exception {
        ShareGrant g = grant("A-21", "rs.pension", "mz", "rs", T0, NOW.plus(Duration.ofDays(1)));
        try (AclReconciler r = new AclReconciler(client)) {
            r.reconcile(desired(List.of(g), NOW));
        }
        Set<AclBinding> before = awaitAcls(
                "the first reconciler's bindings",
                acls -> acls.containsAll(
                        AclReconciler.bindings(desired(List.of(g), NOW)).keySet()));
        try (AclReconciler restarted = new AclReconciler(client)) {
            assertThat(restarted.reconcile(desired(List.of(g), NOW)).unchanged())
                    .isTrue();
            assertThat(brokerAcls()).isEqualTo(before);

            // what the first instance created is owned by the second: it can take it away
            ReconcileResult withoutGrant = restarted.reconcile(desired(List.of(), NOW));
            assertThat(withoutGrant.deleted())
                    .extracting(c -> c.binding().entry().principal() + " "
                            + c.binding().pattern().name() + " "
                            + c.binding().entry().operation())
                    .containsExactlyInAnyOrder("User:mz shared.rs.pension READ", "User:mz shared.rs.pension DESCRIBE");
            assertThat(withoutGrant.deleted().get(0).because()).startsWith("application A-21 approved by rs");
        }
    }

    @Test
    void anExpiredGrantsBindingsAreRemovedAndOnlyThose() throws Exception {
        Instant until = NOW.plusSeconds(60);
        ShareGrant g = grant("A-22", "mz.social-assistance", "scjg", "mz", T0, until);
        AclBinding read = new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "shared.mz.social-assistance", PatternType.LITERAL),
                new AccessControlEntry("User:scjg", "*", AclOperation.READ, AclPermissionType.ALLOW));
        try (AclReconciler r = new AclReconciler(client)) {
            r.reconcile(desired(List.of(g), NOW));
            assertThat(awaitAcls("the grant's binding", acls -> acls.contains(read)))
                    .contains(read);
            int owned = r.owned().size();

            ReconcileResult expired = r.reconcile(desired(List.of(g), until));

            assertThat(expired.created()).isEmpty();
            assertThat(expired.deleted()).extracting(Change::binding).hasSize(2).contains(read);
            assertThat(awaitAcls("the expiry", acls -> !acls.contains(read))).doesNotContain(read);
            assertThat(r.owned()).hasSize(owned - 2);
        }
    }

    @Test
    void aLedgerEntryWhoseAclIsGoneAndNoLongerDesiredIsForgotten() throws Exception {
        ShareGrant g = grant("A-23", "rs.pension", "ga", "rs", T0, NOW.plusSeconds(60));
        AclBinding read = new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "shared.rs.pension", PatternType.LITERAL),
                new AccessControlEntry("User:ga", "*", AclOperation.READ, AclPermissionType.ALLOW));
        try (AclReconciler r = new AclReconciler(client)) {
            r.reconcile(desired(List.of(g), NOW));
            admin.deleteAcls(List.of(read.toFilter())).all().get(30, TimeUnit.SECONDS);

            ReconcileResult result = r.reconcile(desired(List.of(), NOW));

            assertThat(result.deleted()).extracting(Change::binding).doesNotContain(read);
            assertThat(r.owned()).doesNotContainKey(AclReconciler.key(read));
        }
        try (AclReconciler restarted = new AclReconciler(client)) {
            restarted.reconcile(desired(List.of(), NOW));
            assertThat(restarted.owned()).doesNotContainKey(AclReconciler.key(read));
        }
    }

    @Test
    void ledgerKeysRoundTrip() {
        for (AclBinding b : AclReconciler.bindings(desired(List.of(), NOW)).keySet()) {
            assertThat(AclReconciler.binding(AclReconciler.key(b))).isEqualTo(b);
        }
        assertThat(AclReconciler.key(new AclBinding(
                        new ResourcePattern(ResourceType.GROUP, "mz.", PatternType.PREFIXED),
                        new AccessControlEntry("User:mz", "*", AclOperation.READ, AclPermissionType.ALLOW))))
                .isEqualTo("User:mz|GROUP|PREFIXED|mz.|READ|ALLOW|*");
    }
}
