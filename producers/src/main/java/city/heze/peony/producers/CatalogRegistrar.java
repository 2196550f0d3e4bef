package city.heze.peony.producers;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.schemas.PeonyTopic;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Registers a catalog: its schema under {@code raw.<id>-value} (the registry refuses an
 * incompatible change), its topics {@code raw.<id>} and {@code shared.<id>}, and the entry on
 * {@code peony.catalog}. Registering the same entry again changes nothing.
 */
public final class CatalogRegistrar {

    /** What registering one catalog did. */
    public enum Outcome {
        CREATED,
        UPDATED,
        UNCHANGED
    }

    /** The result for one catalog, with the schema id it was registered under. */
    public record Result(String catalogId, Outcome outcome, int schemaId) {}

    private final SchemaRegistryClient registry;
    private final Admin admin;
    private final CatalogTopic catalogTopic;
    private final int partitions;
    private final short replicationFactor;
    private final Clock clock;

    public CatalogRegistrar(
            SchemaRegistryClient registry,
            Admin admin,
            CatalogTopic catalogTopic,
            int partitions,
            short replicationFactor,
            Clock clock) {
        this.registry = registry;
        this.admin = admin;
        this.catalogTopic = catalogTopic;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.clock = clock;
    }

    /**
     * Registers the entry against what {@code peony.catalog} holds now ({@code current}).
     *
     * @throws CatalogRegistrationException with the registry's reason for an incompatible schema
     */
    public Result register(CatalogEntry entry, Map<String, CatalogEntry> current) {
        String subject = Topics.raw(entry.getId()) + "-value";
        int schemaId;
        try {
            schemaId = registry.register(subject, entry.getSchema$());
        } catch (SchemaRegistryException e) {
            throw new CatalogRegistrationException("catalog " + entry.getId() + ": the registry at "
                    + registry.location() + " refused its schema under " + subject + ": " + e.getMessage());
        }
        createTopics(entry.getId());
        CatalogEntry existing = current.get(entry.getId());
        if (existing != null && sameExceptPublication(existing, entry)) {
            return new Result(entry.getId(), Outcome.UNCHANGED, schemaId);
        }
        CatalogEntry published = CatalogEntry.newBuilder(entry)
                .setPublishedAt(Instant.now(clock))
                .build();
        catalogTopic.write(published);
        return new Result(entry.getId(), existing == null ? Outcome.CREATED : Outcome.UPDATED, schemaId);
    }

    private static boolean sameExceptPublication(CatalogEntry a, CatalogEntry b) {
        CatalogEntry x =
                CatalogEntry.newBuilder(a).setPublishedAt(Instant.EPOCH).build();
        CatalogEntry y =
                CatalogEntry.newBuilder(b).setPublishedAt(Instant.EPOCH).build();
        return Objects.equals(x, y);
    }

    private void createTopics(String catalogId) {
        List<NewTopic> topics = List.of(
                new NewTopic(Topics.raw(catalogId), partitions, replicationFactor)
                        .configs(Map.of("cleanup.policy", PeonyTopic.CleanupPolicy.DELETE.configValue())),
                new NewTopic(Topics.shared(catalogId), partitions, replicationFactor)
                        .configs(Map.of("cleanup.policy", PeonyTopic.CleanupPolicy.DELETE.configValue())));
        for (var f : admin.createTopics(topics).values().entrySet()) {
            try {
                f.getValue().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new CatalogRegistrationException("catalog " + catalogId + ": cannot create topic "
                            + f.getKey() + ": " + e.getCause().getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CatalogRegistrationException("interrupted while creating " + f.getKey());
            } catch (TimeoutException e) {
                throw new CatalogRegistrationException("catalog " + catalogId + ": creating topic " + f.getKey()
                        + " timed out after 30 s; is the cluster reachable?");
            }
        }
        awaitLeaders(catalogId, topics.stream().map(NewTopic::name).toList());
    }

    /**
     * Waits until every partition of the new topics has a leader. A producer that starts on a
     * topic whose leaders are not elected yet can be refused its first batch and, with Kafka 4.4's
     * idempotent producer, then retry it out of sequence until its delivery timeout.
     */
    private void awaitLeaders(String catalogId, List<String> topics) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                var described = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
                boolean ready = described.values().stream()
                        .allMatch(d -> d.partitions().stream()
                                .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (ready) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not visible yet: try again until the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CatalogRegistrationException("interrupted while waiting for the topics of " + catalogId);
            }
            if (System.nanoTime() > deadline) {
                throw new CatalogRegistrationException(
                        "catalog " + catalogId + ": the partitions of " + topics + " have no leader after 30 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CatalogRegistrationException("interrupted while waiting for the topics of " + catalogId);
            }
        }
    }
}
