package city.heze.peony.ops.security;

import city.heze.peony.ops.UserException;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SecurityDisabledException;

/**
 * Checks, before a department or access command changes anything, that the cluster has an
 * authorizer and that the command signed in as someone allowed to manage access: departments and
 * ACLs mean nothing on an open cluster, and a half-done {@code department add} helps nobody.
 */
final class SecuredCluster {
    private SecuredCluster() {}

    /** The cluster's ACLs, read to prove it has an authorizer and lets this command see them. */
    static Collection<AclBinding> require(Admin admin, String bootstrapServers) {
        try {
            return admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted while asking " + bootstrapServers + " for its ACLs", 1);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof SecurityDisabledException) {
                throw new UserException("the cluster at " + bootstrapServers
                        + " has no authorizer, so departments cannot sign in there: start Peony with peony up"
                        + " --secure and pass its admin.properties with --client-config");
            }
            if (cause instanceof ClusterAuthorizationException) {
                throw new UserException("not allowed to manage access on " + bootstrapServers
                        + ": sign in as Peony's super user (--client-config DATA-DIR/admin.properties)");
            }
            if (cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new UserException(
                        "no answer from " + bootstrapServers + " within 30 s: is it reachable, and does"
                                + " --client-config sign in (a secured Peony accepts only SASL/SCRAM clients)?",
                        1);
            }
            if (cause instanceof SaslAuthenticationException) {
                throw new UserException("cannot sign in to " + bootstrapServers + ": " + cause.getMessage());
            }
            throw new UserException(
                    "cannot ask " + bootstrapServers + " for its ACLs: " + cause.getMessage()
                            + " (is it reachable, and does --client-config sign in?)",
                    1);
        }
    }
}
