package city.heze.peony.bench;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.producers.DepartmentPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * publish: Peony's {@link DepartmentPublisher} sending the bench's records to {@code raw.<catalog>}
 * (schema check, key from the record, Peony's serializer with the registry). Timed from the first
 * {@code send} to the return of {@code flush()}, as P is; building the publisher (registry look-up,
 * producer) is not timed.
 */
final class PublisherBench {

    private PublisherBench() {}

    static DepartmentPublisher publisher(BenchCluster cluster, CatalogEntry catalog, String clientId) {
        return DepartmentPublisher.builder(cluster.clientProperties())
                .catalog(catalog)
                .clientId(clientId)
                .meterRegistry(new SimpleMeterRegistry())
                .build();
    }

    /** Publishes the first {@code count} records to the catalog; returns records per second. */
    static double run(BenchCluster cluster, CatalogEntry catalog, BenchData data, int count) {
        try (DepartmentPublisher publisher = publisher(cluster, catalog, "peony-bench-publisher")) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                publisher.send(data.record(i));
            }
            publisher.flush();
            long end = System.nanoTime();
            requireAllAcknowledged(publisher, count, catalog.getId());
            return count / ((end - start) / 1e9);
        }
    }

    static void requireAllAcknowledged(DepartmentPublisher publisher, long count, String catalogId) {
        if (publisher.failed() > 0 || publisher.acknowledged() != count) {
            throw new BenchFailure("publishing to catalog " + catalogId + ": " + publisher.acknowledged() + " of "
                    + count + " records acknowledged, " + publisher.failed() + " failed");
        }
    }
}
