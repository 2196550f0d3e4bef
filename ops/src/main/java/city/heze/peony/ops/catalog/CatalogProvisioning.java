package city.heze.peony.ops.catalog;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/** Defaults for catalog topics that depend on the cluster. */
final class CatalogProvisioning {
    private CatalogProvisioning() {}

    /** As many replicas as there are brokers, at most 3: 1 on the embedded broker, 3 on a real cluster. */
    static short defaultReplicationFactor(Admin admin) throws Exception {
        int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
        return (short) Math.max(1, Math.min(3, brokers));
    }
}
