package city.heze.peony.bench;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.producers.DepartmentPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Properties;

/**
 * publish: Peony's {@link DepartmentPublisher} sending the bench's records to {@code raw.<catalog>}
 * (schema check, key from the record, Peony's serializer with the registry). Timed over a {@link
 * SteadyWindow}, as P is; building the publisher (registry look-up, producer) is not timed.
 */
final class PublisherBench {

    private PublisherBench() {}

    static DepartmentPublisher publisher(BenchCluster cluster, CatalogEntry catalog, String clientId) {
        return publisher(cluster.clientProperties(), catalog, clientId);
    }

    /** A publisher signing in with {@code clientProperties} (a department's, on a secured cluster). */
    static DepartmentPublisher publisher(Properties clientProperties, CatalogEntry catalog, String clientId) {
        return DepartmentPublisher.builder(clientProperties)
                .catalog(catalog)
                .clientId(clientId)
                .meterRegistry(new SimpleMeterRegistry())
                .build();
    }

    /**
     * Publishes the bench's records (cycling through them) to the catalog for the window's settling
     * time and length; the rate counts records acknowledged inside the window.
     */
    static ProducerBaseline.Sent run(BenchCluster cluster, CatalogEntry catalog, BenchData data, SteadyWindow window) {
        return run(cluster.clientProperties(), catalog, data, window);
    }

    /** The same, signing in with {@code clientProperties}: a department's, for publish secure. */
    static ProducerBaseline.Sent run(
            Properties clientProperties, CatalogEntry catalog, BenchData data, SteadyWindow window) {
        try (DepartmentPublisher publisher = publisher(clientProperties, catalog, "peony-bench-publisher")) {
            ProducerBaseline.Sent sent = ProducerBaseline.sendThroughout(
                    window, publisher::acknowledged, i -> publisher.send(data.record((int) (i % data.size()))));
            publisher.flush();
            requireAllAcknowledged(publisher, sent.records(), catalog.getId());
            return sent;
        }
    }

    /**
     * Publishes {@code count} more of the bench's records (numbers from {@code from} on, cycling),
     * untimed: input for a validation row that would otherwise run out before its window closes,
     * serialised against the registry of {@code clientProperties} (so its schema ids are that
     * registry's).
     */
    static void fill(Properties clientProperties, CatalogEntry catalog, BenchData data, long from, long count) {
        try (DepartmentPublisher publisher = publisher(clientProperties, catalog, "peony-bench-fill")) {
            for (long i = from; i < from + count; i++) {
                publisher.send(data.record((int) (i % data.size())));
            }
            publisher.flush();
            requireAllAcknowledged(publisher, count, catalog.getId());
        }
    }

    static void requireAllAcknowledged(DepartmentPublisher publisher, long count, String catalogId) {
        if (publisher.failed() > 0 || publisher.acknowledged() != count) {
            throw new BenchFailure("publishing to catalog " + catalogId + ": " + publisher.acknowledged() + " of "
                    + count + " records acknowledged, " + publisher.failed() + " failed");
        }
    }
}
