package city.heze.peony.ops.catalog;

import city.heze.peony.ops.UserException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/** Defaults for Peony's topics that depend on the cluster. */
public final class CatalogProvisioning {
    private CatalogProvisioning() {}

    /** As many replicas as there are brokers, at most 3: 1 on the embedded broker, 3 on a real cluster. */
    public static short defaultReplicationFactor(Admin admin) {
        try {
            int brokers =
                    admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            return (short) Math.max(1, Math.min(3, brokers));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted while describing the cluster", 1);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new UserException("cannot describe the cluster: " + cause.getMessage(), 1);
        }
    }
}
