package city.heze.peony.producers;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.schemas.PeonyTopic;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Registers catalogs: each one's schema under {@code raw.<id>-value} (the registry refuses an
 * incompatible change), its topics {@code raw.<id>} and {@code shared.<id>} (and {@code open.<id>} for an
 * OPEN catalog), and its entry on
 * {@code peony.catalog}. Registering the same entry again changes nothing.
 *
 * <p>Many catalogs are registered as one batch ({@link #registerAll}): the schemas are sent to the
 * registry a few at a time in parallel, every topic of the batch is described, created or grown
 * with one admin request each, the leaders are awaited once, and the entries are written with one
 * producer. Why: one catalog at a time cost a round of admin requests, a leader wait and a
 * producer per catalog, 24 s for 200 catalogs. A failure stays the catalog's own: the others of
 * the batch are registered and each failure is one line naming the catalog.
 */
public final class CatalogRegistrar {
    private static final int TIMEOUT_SECONDS = 60;
    /** Topics per create request; see {@link #provisionTopics}. */
    private static final int TOPICS_PER_REQUEST = 100;
    /** Schema registrations in flight at once: enough to hide the HTTP round trip, few for the registry. */
    private static final int REGISTRY_PARALLELISM = 8;

    /** What registering one catalog did. */
    public enum Outcome {
        CREATED,
        UPDATED,
        UNCHANGED
    }

    /**
     * One catalog to register: its entry and, if its file says so, how many partitions its topics
     * have ({@code partitions:}); otherwise the registrar's default for new topics.
     */
    public record Request(CatalogEntry entry, OptionalInt partitions) {
        public Request {
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(partitions, "partitions");
        }

        public static Request of(CatalogEntry entry) {
            return new Request(entry, OptionalInt.empty());
        }

        String id() {
            return entry.getId();
        }
    }

    /** The result for one catalog, with the schema id it was registered under. */
    public record Result(String catalogId, Outcome outcome, int schemaId) {}

    /** A catalog of a batch that could not be registered, with the one line saying why. */
    public record Failure(String catalogId, String message) {}

    /** What a batch did: a result or a failure per catalog, in the order of the requests. */
    public record BatchResult(List<Result> registered, List<Failure> failed) {}

    private final SchemaRegistryClient registry;
    private final Admin admin;
    private final CatalogTopic catalogTopic;
    private final int defaultPartitions;
    private final short replicationFactor;
    private final Clock clock;

    /**
     * @param defaultPartitions partitions of new topics of a catalog whose file does not say
     */
    public CatalogRegistrar(
            SchemaRegistryClient registry,
            Admin admin,
            CatalogTopic catalogTopic,
            int defaultPartitions,
            short replicationFactor,
            Clock clock) {
        this.registry = registry;
        this.admin = admin;
        this.catalogTopic = catalogTopic;
        this.defaultPartitions = defaultPartitions;
        this.replicationFactor = replicationFactor;
        this.clock = clock;
    }

    /**
     * Registers the entry against what {@code peony.catalog} holds now ({@code current}).
     *
     * @throws CatalogRegistrationException with the registry's reason for an incompatible schema
     */
    public Result register(CatalogEntry entry, Map<String, CatalogEntry> current) {
        return registerOne(Request.of(entry), current);
    }

    /** Registers one catalog; see {@link #registerAll}. */
    public Result registerOne(Request request, Map<String, CatalogEntry> current) {
        BatchResult batch = registerAll(List.of(request), current);
        if (!batch.failed().isEmpty()) {
            throw new CatalogRegistrationException(batch.failed().get(0).message());
        }
        return batch.registered().get(0);
    }

    /** Registers a batch of catalogs against what {@code peony.catalog} holds now ({@code current}). */
    public BatchResult registerAll(List<Request> requests, Map<String, CatalogEntry> current) {
        Map<String, String> failures = new LinkedHashMap<>();
        Map<String, Integer> schemaIds = registerSchemas(requests, failures);
        List<Request> withSchema =
                requests.stream().filter(r -> schemaIds.containsKey(r.id())).toList();
        provisionTopics(withSchema, failures);
        provisionShareTopics(withSchema, failures);

        List<CatalogEntry> toWrite = new ArrayList<>();
        Map<String, Outcome> outcomes = new HashMap<>();
        for (Request r : withSchema) {
            if (failures.containsKey(r.id())) {
                continue;
            }
            CatalogEntry existing = current.get(r.id());
            if (existing != null && sameExceptPublication(existing, r.entry())) {
                outcomes.put(r.id(), Outcome.UNCHANGED);
            } else {
                toWrite.add(CatalogEntry.newBuilder(r.entry())
                        .setPublishedAt(Instant.now(clock))
                        .build());
                outcomes.put(r.id(), existing == null ? Outcome.CREATED : Outcome.UPDATED);
            }
        }
        failures.putAll(catalogTopic.writeAll(toWrite));

        List<Result> registered = new ArrayList<>();
        List<Failure> failed = new ArrayList<>();
        for (Request r : requests) {
            String failure = failures.get(r.id());
            if (failure != null) {
                failed.add(new Failure(r.id(), failure));
            } else {
                registered.add(new Result(r.id(), outcomes.get(r.id()), schemaIds.get(r.id())));
            }
        }
        return new BatchResult(registered, failed);
    }

    private Map<String, Integer> registerSchemas(List<Request> requests, Map<String, String> failures) {
        Map<String, Integer> ids = new HashMap<>();
        ExecutorService pool =
                Executors.newFixedThreadPool(Math.max(1, Math.min(REGISTRY_PARALLELISM, requests.size())), r -> {
                    Thread t = new Thread(r, "peony-catalog-registrar");
                    t.setDaemon(true);
                    return t;
                });
        try {
            Map<String, Future<Integer>> pending = new LinkedHashMap<>();
            for (Request r : requests) {
                String subject = Topics.rawValueSubject(r.id());
                pending.put(
                        r.id(),
                        pool.submit(() -> registry.register(subject, r.entry().getSchema$())));
            }
            for (var e : pending.entrySet()) {
                String id = e.getKey();
                try {
                    ids.put(id, e.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                } catch (ExecutionException ex) {
                    Throwable cause = ex.getCause();
                    String reason = cause instanceof SchemaRegistryException ? cause.getMessage() : cause.toString();
                    failures.put(
                            id,
                            "catalog " + id + ": the registry at " + registry.location() + " refused its schema under "
                                    + Topics.rawValueSubject(id) + ": " + reason);
                } catch (TimeoutException ex) {
                    failures.put(
                            id,
                            "catalog " + id + ": the registry at " + registry.location() + " did not answer within "
                                    + TIMEOUT_SECONDS + " s");
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new CatalogRegistrationException("interrupted while registering the catalogs' schemas");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return ids;
    }

    /** An OPEN catalog also gets {@code open.<id>}, where the open-data topology publishes its masked records. */
    private static boolean opened(Request r) {
        return r.entry().getOpenType() == city.heze.peony.avro.common.OpenType.OPEN;
    }

    /**
     * Creates the topics that do not exist yet and grows those with fewer partitions than their
     * catalog asks for, raw and shared alike; a catalog asking for fewer than its topics have is
     * refused (Kafka cannot remove partitions). Then waits once for every partition's leader.
     */
    private void provisionTopics(List<Request> requests, Map<String, String> failures) {
        if (requests.isEmpty()) {
            return;
        }
        Map<String, String> catalogOfTopic = new HashMap<>();
        for (Request r : requests) {
            catalogOfTopic.put(Topics.raw(r.id()), r.id());
            catalogOfTopic.put(Topics.shared(r.id()), r.id());
            if (opened(r)) {
                catalogOfTopic.put(Topics.open(r.id()), r.id());
            }
        }
        Map<String, Integer> existing = partitionCounts(catalogOfTopic.keySet());

        List<NewTopic> create = new ArrayList<>();
        Map<String, NewPartitions> grow = new HashMap<>();
        for (Request r : requests) {
            List<String> topics = opened(r)
                    ? List.of(Topics.raw(r.id()), Topics.shared(r.id()), Topics.open(r.id()))
                    : List.of(Topics.raw(r.id()), Topics.shared(r.id()));
            int largest = topics.stream()
                    .mapToInt(t -> existing.getOrDefault(t, 0))
                    .max()
                    .orElse(0);
            if (r.partitions().isPresent() && r.partitions().getAsInt() < largest) {
                failures.put(
                        r.id(),
                        "catalog " + r.id() + ": partitions: " + r.partitions().getAsInt() + " is fewer than the "
                                + largest + " its topics have; Kafka cannot remove partitions, so expected "
                                + largest + " or more");
                continue;
            }
            int wanted = r.partitions().orElse(largest > 0 ? largest : defaultPartitions);
            for (String topic : topics) {
                Integer now = existing.get(topic);
                if (now == null) {
                    create.add(new NewTopic(topic, wanted, replicationFactor)
                            .configs(Map.of("cleanup.policy", PeonyTopic.CleanupPolicy.DELETE.configValue())));
                } else if (now < wanted) {
                    grow.put(topic, NewPartitions.increaseTo(wanted));
                }
            }
        }
        // In slices, one after the other: KRaft's controller refuses one operation of more than
        // 10,000 metadata records (each new topic takes one per partition and more), and slices
        // sent all at once overload its event queue (measured on one embedded broker: 8 slices of
        // 500 topics in flight expired the broker's heartbeat and timed out; large slices one at a
        // time still delayed heartbeats, so slices are small).
        for (int i = 0; i < create.size(); i += TOPICS_PER_REQUEST) {
            List<NewTopic> slice = create.subList(i, Math.min(create.size(), i + TOPICS_PER_REQUEST));
            awaitEach(admin.createTopics(slice).values(), catalogOfTopic, failures, "create topic");
        }
        List<String> growing = new ArrayList<>(grow.keySet());
        for (int i = 0; i < growing.size(); i += TOPICS_PER_REQUEST) {
            Map<String, NewPartitions> slice = new HashMap<>();
            growing.subList(i, Math.min(growing.size(), i + TOPICS_PER_REQUEST))
                    .forEach(t -> slice.put(t, grow.get(t)));
            awaitEach(admin.createPartitions(slice).values(), catalogOfTopic, failures, "add partitions to topic");
        }
        List<String> touched = new ArrayList<>();
        create.forEach(t -> touched.add(t.name()));
        touched.addAll(grow.keySet());
        touched.removeIf(t -> failures.containsKey(catalogOfTopic.get(t)));
        awaitLeaders(touched, catalogOfTopic, failures);
    }

    /**
     * A provider answers share applications for its catalogs on {@code peony.share.decisions.<dept>}
     * and applies for others' on {@code peony.share.requests.<dept>}: both exist once it has a
     * catalog. A topic that cannot be created fails the department's catalogs of this batch.
     */
    private void provisionShareTopics(List<Request> requests, Map<String, String> failures) {
        Map<String, List<String>> catalogsOf = new TreeMap<>();
        for (Request r : requests) {
            if (!failures.containsKey(r.id())) {
                catalogsOf
                        .computeIfAbsent(r.entry().getDepartment(), d -> new ArrayList<>())
                        .add(r.id());
            }
        }
        Map<String, String> catalogOfTopic = new HashMap<>();
        List<PeonyTopic> wanted = new ArrayList<>();
        for (var e : catalogsOf.entrySet()) {
            if (!Topics.DEPARTMENT_CODE.matcher(e.getKey()).matches()) {
                continue; // the catalog file's own check names a bad department; nothing to create for it
            }
            for (PeonyTopic topic : Topics.shareIngressTopicsOf(e.getKey())) {
                wanted.add(topic);
                catalogOfTopic.put(topic.name(), e.getValue().get(0));
            }
        }
        Map<String, Integer> existing = partitionCounts(catalogOfTopic.keySet());
        List<NewTopic> create = wanted.stream()
                .filter(t -> !existing.containsKey(t.name()))
                .map(t -> new NewTopic(t.name(), t.partitions(), replicationFactor).configs(t.configs()))
                .toList();
        Map<String, String> topicFailures = new HashMap<>();
        for (int i = 0; i < create.size(); i += TOPICS_PER_REQUEST) {
            List<NewTopic> slice = create.subList(i, Math.min(create.size(), i + TOPICS_PER_REQUEST));
            awaitEach(admin.createTopics(slice).values(), catalogOfTopic, topicFailures, "create topic");
        }
        // The failure names the first catalog of the department; every catalog of it fails with it.
        for (var e : catalogsOf.entrySet()) {
            e.getValue().stream()
                    .filter(topicFailures::containsKey)
                    .findFirst()
                    .ifPresent(reason -> e.getValue().forEach(id -> failures.put(id, topicFailures.get(reason))));
        }
    }

    /** The partition count of each of the topics that exists, in one describe request. */
    private Map<String, Integer> partitionCounts(Collection<String> topics) {
        Map<String, Integer> counts = new HashMap<>();
        for (var e : admin.describeTopics(topics).topicNameValues().entrySet()) {
            try {
                counts.put(
                        e.getKey(),
                        e.getValue()
                                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                                .partitions()
                                .size());
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new CatalogRegistrationException("cannot describe topic " + e.getKey() + ": "
                            + ex.getCause().getMessage());
                }
            } catch (TimeoutException ex) {
                throw new CatalogRegistrationException("describing topic " + e.getKey() + " timed out after "
                        + TIMEOUT_SECONDS + " s; is the cluster reachable?");
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new CatalogRegistrationException("interrupted while describing the catalogs' topics");
            }
        }
        return counts;
    }

    private static void awaitEach(
            Map<String, KafkaFuture<Void>> futures,
            Map<String, String> catalogOfTopic,
            Map<String, String> failures,
            String what) {
        for (var f : futures.entrySet()) {
            String catalog = catalogOfTopic.get(f.getKey());
            try {
                f.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    failures.putIfAbsent(
                            catalog,
                            "catalog " + catalog + ": cannot " + what + " " + f.getKey() + ": "
                                    + e.getCause().getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CatalogRegistrationException("interrupted while provisioning " + f.getKey());
            } catch (TimeoutException e) {
                failures.putIfAbsent(
                        catalog,
                        "catalog " + catalog + ": " + what + " " + f.getKey() + " timed out after " + TIMEOUT_SECONDS
                                + " s; is the cluster reachable?");
            }
        }
    }

    private static boolean sameExceptPublication(CatalogEntry a, CatalogEntry b) {
        CatalogEntry x =
                CatalogEntry.newBuilder(a).setPublishedAt(Instant.EPOCH).build();
        CatalogEntry y =
                CatalogEntry.newBuilder(b).setPublishedAt(Instant.EPOCH).build();
        return Objects.equals(x, y);
    }

    /**
     * Waits until every partition of the new or grown topics has a leader, all topics in one
     * describe request per round. A producer that starts on a topic whose leaders are not elected
     * yet can be refused its first batch and, with Kafka 4.4's idempotent producer, then retry it
     * out of sequence until its delivery timeout.
     */
    private void awaitLeaders(List<String> topics, Map<String, String> catalogOfTopic, Map<String, String> failures) {
        List<String> waiting = new ArrayList<>(topics);
        // Leaders of thousands of new partitions take a while on a busy controller: more time for more.
        long seconds = TIMEOUT_SECONDS + topics.size() / 20L;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!waiting.isEmpty()) {
            for (var e : admin.describeTopics(waiting).topicNameValues().entrySet()) {
                try {
                    TopicDescription d = e.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    if (d.partitions().stream()
                            .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                        waiting.remove(e.getKey());
                    }
                } catch (ExecutionException | TimeoutException ex) {
                    // not visible yet: try again until the deadline
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new CatalogRegistrationException("interrupted while waiting for the catalogs' topics");
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                for (String t : waiting) {
                    String catalog = catalogOfTopic.get(t);
                    failures.putIfAbsent(
                            catalog,
                            "catalog " + catalog + ": the partitions of " + t + " have no leader after " + seconds
                                    + " s");
                }
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CatalogRegistrationException("interrupted while waiting for the catalogs' topics");
            }
        }
    }
}
