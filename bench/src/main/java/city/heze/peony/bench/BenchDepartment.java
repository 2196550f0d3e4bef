package city.heze.peony.bench;

import city.heze.peony.access.AccessPolicy;
import city.heze.peony.access.AclReconciler;
import city.heze.peony.access.Department;
import city.heze.peony.access.DepartmentClientFile;
import city.heze.peony.access.DepartmentCredentials;
import city.heze.peony.access.Permission;
import city.heze.peony.avro.CatalogEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourcePatternFilter;

/**
 * A department on a {@link BenchCluster#embeddedSecured secured} bench cluster, signing in as
 * {@code User:<code>} with a SCRAM credential of its own and holding the ACLs Peony's access
 * policy gives it, and nothing more. Why not the super user: StandardAuthorizer skips the ACL
 * check for super users, so a publisher signed in as one would not pay what a department pays.
 */
final class BenchDepartment {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final BenchCluster cluster;
    private final String code;
    private final String password = DepartmentCredentials.newPassword();

    private BenchDepartment(BenchCluster cluster, String code) {
        this.cluster = cluster;
        this.code = code;
    }

    /** Creates the department's SCRAM credential on the secured cluster. */
    static BenchDepartment create(BenchCluster cluster, String code) {
        if (!cluster.secured()) {
            throw new IllegalArgumentException("a department signs in to a secured cluster only: " + cluster);
        }
        BenchDepartment department = new BenchDepartment(cluster, code);
        try {
            new DepartmentCredentials(cluster.admin(), TIMEOUT).upsert(code, department.password);
        } catch (RuntimeException e) {
            throw new BenchSetupException(
                    "cannot create the SCRAM credential of the bench's department " + code + ": " + e.getMessage(), 1);
        }
        return department;
    }

    String code() {
        return code;
    }

    /**
     * Sets the department's ACLs to what the access policy gives the provider of {@code catalogs}
     * (its own catalogs' raw topics among them), as the access reconciler would, and waits until
     * the broker's authorizer holds them all, so that no measurement starts before its ACLs.
     */
    void grant(Collection<CatalogEntry> catalogs) {
        List<Permission> desired = AccessPolicy.desired(
                catalogs,
                List.of(new Department(code, "bench department " + code, Instant.now())),
                List.of(),
                Instant.now());
        int bindings = AclReconciler.bindings(desired).size();
        try (AclReconciler reconciler = new AclReconciler(cluster.clientProperties())) {
            reconciler.reconcile(desired);
        } catch (RuntimeException e) {
            throw new BenchFailure("cannot set the ACLs of department " + code + ": " + e.getMessage(), e);
        }
        awaitAcls(bindings);
    }

    private void awaitAcls(int bindings) {
        AclBindingFilter mine = new AclBindingFilter(
                ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:" + code, null, AclOperation.ANY, AclPermissionType.ANY));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            try {
                seen = cluster.admin()
                        .describeAcls(mine)
                        .values()
                        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                        .size();
                if (seen >= bindings) {
                    return;
                }
                Thread.sleep(20);
            } catch (ExecutionException | TimeoutException e) {
                throw new BenchFailure(
                        "cannot read the ACLs of department " + code + ": "
                                + BenchCluster.cause(e).getMessage(),
                        e);
            } catch (InterruptedException e) {
                throw BenchCluster.interrupted(e);
            }
        }
        throw new BenchFailure("the broker shows " + seen + " of the " + bindings + " ACLs of department " + code
                + " after " + TIMEOUT.toSeconds() + " s");
    }

    /** What the department's clients use: its own sign-in to Kafka and to the registry. */
    Properties clientProperties() {
        return DepartmentClientFile.properties(
                code, password, cluster.bootstrapServers(), "SASL_PLAINTEXT", cluster.registryUrl());
    }
}
