package city.heze.peony.bench;

import city.heze.peony.access.DepartmentCredentials;
import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.OpenType;
import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.producers.CatalogRegistrar;
import city.heze.peony.producers.CatalogRegistrationException;
import city.heze.peony.producers.CatalogTopic;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.registry.server.KafkaScramAuthenticator;
import city.heze.peony.registry.server.RegistryAccess;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import city.heze.peony.schemas.serde.AvroGeneratedClasses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka cluster and schema registry a bench runs on: an embedded broker and registry in a
 * temporary folder (the default), or the user's cluster. Everything the bench creates is named
 * {@code bench...} or {@code *.bench-...}, and {@link #close()} removes it again: its topics, its
 * catalog entries (tombstones on {@code peony.catalog}) and its registry subjects.
 */
public final class BenchCluster implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 60;
    /** How long the first request to an external cluster may take before the bench gives up. */
    private static final long REACHABLE_SECONDS = 15;
    /** Peony's super user on a secured broker, as {@code peony up --secure} names it. */
    static final String SUPER_USER = "peony";

    static {
        // Copying a CatalogEntry loads its generated enum classes by name, which Avro refuses unless trusted.
        AvroGeneratedClasses.trust();
    }

    private final Path tempDir;
    private final EmbeddedKafkaBroker broker;
    private final EmbeddedSchemaRegistry embeddedRegistry;
    private final Properties clientProperties;
    private final Admin admin;
    private final SchemaRegistryClient registry;
    private final Set<String> createdTopics = new LinkedHashSet<>();
    private final Set<String> registeredCatalogs = new LinkedHashSet<>();
    /** Consumer groups (application ids) of the bench: their groups and internal topics go on cleanup. */
    private final Set<String> groups = new LinkedHashSet<>();

    private final Set<String> finishedGroups = new LinkedHashSet<>();

    private final String description;
    /** Unique to this bench, in every name it creates, so that benches on one cluster do not meet. */
    private final String tag;

    private BenchCluster(
            Path tempDir,
            EmbeddedKafkaBroker broker,
            EmbeddedSchemaRegistry embeddedRegistry,
            Properties clientProperties,
            String description) {
        this.tempDir = tempDir;
        this.broker = broker;
        this.embeddedRegistry = embeddedRegistry;
        this.clientProperties = clientProperties;
        this.description = description;
        this.tag = Long.toString(System.currentTimeMillis(), 36);
        this.admin = Admin.create(clientProperties);
        this.registry = SchemaRegistryClients.fromConfig(ClientConfigs.toMap(clientProperties));
    }

    /** A single-node KRaft broker and the registry, in a temporary folder deleted on close. */
    public static BenchCluster embedded(Consumer<Admin> createSystemTopics) {
        return embedded(createSystemTopics, null);
    }

    /**
     * The same, secured the way {@code peony up --secure} secures it: SASL/SCRAM-SHA-512 with
     * StandardAuthorizer and {@value #SUPER_USER} as the one super user (a new random password), and
     * the registry asking every client to sign in with its Kafka password. The bench's own clients
     * (topics, catalogs, validation) sign in as the super user; a department's publisher signs in
     * as itself ({@link BenchDepartment}).
     */
    public static BenchCluster embeddedSecured(Consumer<Admin> createSystemTopics) {
        return embedded(createSystemTopics, DepartmentCredentials.newPassword());
    }

    /** @param superPassword the super user's password, or null for a broker without security */
    private static BenchCluster embedded(Consumer<Admin> createSystemTopics, String superPassword) {
        Path dir;
        try {
            dir = Files.createTempDirectory("peony-bench");
        } catch (IOException e) {
            throw new BenchSetupException(
                    "cannot create a temporary folder for the bench's broker: " + e.getMessage(), 1);
        }
        EmbeddedKafkaBroker broker = null;
        EmbeddedSchemaRegistry registry = null;
        try {
            broker = EmbeddedKafkaBroker.create(dir.resolve("broker"), 0);
            if (superPassword != null) {
                broker.secured(SUPER_USER, superPassword);
            }
            broker.start();
            Properties kafka = new Properties();
            kafka.putAll(broker.superUserClientConfigs());
            try (Admin admin = Admin.create(kafka)) {
                createSystemTopics.accept(admin);
            }
            EmbeddedSchemaRegistry.Builder builder =
                    EmbeddedSchemaRegistry.builder().kafka(kafka).port(0).topic(Topics.SCHEMAS.name());
            if (superPassword != null) {
                // Authentication on, every signed-in principal may write: the per-subject policy is
                // the access module's to test, and it costs a look-up the bench need not time.
                builder.access(RegistryAccess.of(
                        new KafkaScramAuthenticator(broker.bootstrapServers()),
                        (principal, subject) -> true,
                        SUPER_USER::equals));
            }
            registry = builder.start();
            Properties props = new Properties();
            props.putAll(kafka);
            props.put("schema.registry.url", registry.url());
            if (superPassword != null) {
                props.put(SchemaRegistryClients.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO");
                props.put(SchemaRegistryClients.BASIC_AUTH_USER_INFO_CONFIG, SUPER_USER + ":" + superPassword);
            }
            String what = superPassword != null ? "embedded secured broker (SCRAM + ACLs) " : "embedded broker ";
            return new BenchCluster(dir, broker, registry, props, what + broker.bootstrapServers());
        } catch (RuntimeException e) {
            if (registry != null) {
                registry.close();
            }
            if (broker != null) {
                broker.close();
            }
            deleteTree(dir);
            throw e;
        }
    }

    /** Whether the bench started this cluster itself (so it may write Peony's real topic names). */
    boolean embedded() {
        return broker != null;
    }

    /** Creates those of {@code names} that do not exist yet, like {@link #createTopics}. */
    void createMissingTopics(int partitions, Collection<String> names) {
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new BenchFailure("cannot list the topics: " + cause(e).getMessage(), e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        String[] missing = names.stream().filter(n -> !existing.contains(n)).toArray(String[]::new);
        if (missing.length > 0) {
            createTopics(partitions, missing);
        }
    }

    /** Whether this is an embedded broker secured by {@link #embeddedSecured}. */
    boolean secured() {
        return broker != null && broker.isSecured();
    }

    /** The bootstrap servers of this cluster. */
    String bootstrapServers() {
        return clientProperties.getProperty("bootstrap.servers");
    }

    /** The URL of this cluster's schema registry. */
    String registryUrl() {
        return clientProperties.getProperty("schema.registry.url");
    }

    /** The user's cluster and registry; the bench's topics there are removed on close. */
    public static BenchCluster external(Properties clientProperties) {
        Properties copy = new Properties();
        copy.putAll(clientProperties);
        String bootstrap = copy.getProperty("bootstrap.servers");
        BenchCluster cluster = new BenchCluster(
                null,
                null,
                null,
                copy,
                "external cluster " + bootstrap + ", registry " + copy.getProperty("schema.registry.url"));
        try {
            cluster.requireSystemTopics();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Peony's own topics must be there: validation and share read and write them. */
    private void requireSystemTopics() {
        String bootstrap = clientProperties.getProperty("bootstrap.servers");
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get(REACHABLE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new BenchSetupException(
                    "--external: the cluster at " + bootstrap + " did not answer within " + REACHABLE_SECONDS
                            + " s; is it running, and are --bootstrap-servers and --client-config right?",
                    1);
        } catch (ExecutionException e) {
            throw new BenchSetupException(
                    "--external: cannot list the topics of the cluster at " + bootstrap + ": " + cause(e).getMessage(),
                    1);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        List<String> missing = new ArrayList<>();
        for (var topic : Topics.SYSTEM_TOPICS) {
            if (!existing.contains(topic.name())) {
                missing.add(topic.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new BenchSetupException(
                    "--external: the cluster at " + bootstrap + " has no topic " + String.join(", ", missing)
                            + "; expected Peony's topics (peony up creates them)",
                    2);
        }
    }

    public String description() {
        return description;
    }

    /** Client properties for this cluster (bootstrap servers, security, schema.registry.url); a copy. */
    Properties clientProperties() {
        Properties copy = new Properties();
        copy.putAll(clientProperties);
        return copy;
    }

    Map<String, Object> clientConfigs() {
        return ClientConfigs.toMap(clientProperties);
    }

    /** Unique to this bench: part of every topic, catalog and application name it creates. */
    String tag() {
        return tag;
    }

    Admin admin() {
        return admin;
    }

    SchemaRegistryClient registry() {
        return registry;
    }

    /** Creates fresh topics; they are deleted again by {@link #cleanUpRun()} or on close. */
    void createTopics(int partitions, String... names) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, (short) -1));
        }
        try {
            admin.createTopics(topics).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new BenchFailure("cannot create topics " + List.of(names) + ": " + cause(e).getMessage(), e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        createdTopics.addAll(List.of(names));
        awaitLeaders(List.of(names));
    }

    /**
     * Waits until the broker leads every partition of new topics. Why: {@code createTopics}
     * returns before the leader is ready, and an idempotent producer whose first batch to a
     * partition is refused with NOT_LEADER_OR_FOLLOWER, while its next batches are accepted, then
     * retries that first batch forever with OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery
     * timeout (seen with Kafka 4.4.0 on the embedded broker).
     */
    void awaitLeaders(Collection<String> topics) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                endOffsets(topics, IsolationLevel.READ_UNCOMMITTED);
                return;
            } catch (BenchFailure e) {
                if (!(e.getCause() instanceof ExecutionException ee && ee.getCause() instanceof RetriableException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
        }
    }

    /** Registers a catalog (schema, {@code raw.}/{@code shared.} topics, entry) for one measurement. */
    CatalogEntry registerCatalog(CatalogEntry template, String catalogId, int partitions) {
        CatalogEntry entry = CatalogEntry.newBuilder(template).setId(catalogId).build();
        CatalogRegistrar registrar = new CatalogRegistrar(
                registry, admin, new CatalogTopic(clientProperties), partitions, (short) -1, Clock.systemUTC());
        registeredCatalogs.add(catalogId);
        createdTopics.add(Topics.raw(catalogId));
        createdTopics.add(Topics.shared(catalogId));
        if (entry.getOpenType() == OpenType.OPEN) {
            createdTopics.add(Topics.open(catalogId)); // registration creates it for an OPEN catalog
        }
        trackNewShareTopics(List.of(entry));
        try {
            registrar.register(entry, Map.of());
        } catch (CatalogRegistrationException e) {
            throw new BenchSetupException("cannot register the bench's catalog: " + e.getMessage(), 1);
        }
        awaitLeaders(List.of(Topics.raw(catalogId), Topics.shared(catalogId)));
        return entry;
    }

    /**
     * Registers many catalogs as one batch, as {@code peony catalog register DIR} does; they are
     * forgotten and their topics deleted on close, like {@link #registerCatalog}'s.
     */
    CatalogRegistrar.BatchResult registerCatalogs(List<CatalogEntry> entries, int partitions) {
        CatalogRegistrar registrar = new CatalogRegistrar(
                registry, admin, new CatalogTopic(clientProperties), partitions, (short) -1, Clock.systemUTC());
        for (CatalogEntry e : entries) {
            registeredCatalogs.add(e.getId());
            createdTopics.add(Topics.raw(e.getId()));
            createdTopics.add(Topics.shared(e.getId()));
            if (e.getOpenType() == OpenType.OPEN) {
                createdTopics.add(Topics.open(e.getId()));
            }
        }
        trackNewShareTopics(entries);
        return registrar.registerAll(
                entries.stream().map(CatalogRegistrar.Request::of).toList(), Map.of());
    }

    /**
     * The registrar creates each provider department's share topics ({@code
     * peony.share.requests.<dept>}, {@code peony.share.decisions.<dept>}) with its first catalog:
     * those that do not exist yet are the bench's, deleted with its other topics. Existing ones (a
     * real department's, on an external cluster) are left alone.
     */
    private void trackNewShareTopics(Collection<CatalogEntry> entries) {
        Set<String> wanted = new LinkedHashSet<>();
        for (CatalogEntry e : entries) {
            if (Topics.DEPARTMENT_CODE.matcher(e.getDepartment()).matches()) {
                Topics.shareIngressTopicsOf(e.getDepartment()).forEach(t -> wanted.add(t.name()));
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        try {
            wanted.removeAll(admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            throw new BenchFailure("cannot list the cluster's topics: " + cause(e).getMessage(), e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        createdTopics.addAll(wanted);
    }

    /**
     * Commits, for a consumer group that has not run yet, the current end offsets of every topic
     * {@code topics} accepts, so that the application the group belongs to starts after the data
     * that is already there (a fresh {@code application.id} otherwise reads a pattern's topics
     * from the beginning).
     */
    void startGroupAtEnd(String groupId, Predicate<String> topics) {
        try {
            Set<String> names = new LinkedHashSet<>();
            for (String name : admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                if (topics.test(name)) {
                    names.add(name);
                }
            }
            if (names.isEmpty()) {
                return;
            }
            commitGroupOffsets(groupId, endOffsets(names, IsolationLevel.READ_UNCOMMITTED));
        } catch (ExecutionException | TimeoutException e) {
            throw new BenchFailure("cannot list the topics: " + cause(e).getMessage(), e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /** Commits offsets for a consumer group that has not run yet: where its application will start. */
    void commitGroupOffsets(String groupId, Map<TopicPartition, Long> start) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        start.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
        try {
            admin.alterConsumerGroupOffsets(groupId, offsets).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new BenchFailure(
                    "cannot set the start offsets of consumer group " + groupId + ": " + cause(e).getMessage(), e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /** The end offsets of every partition of the topics: the high watermark, or the LSO for read_committed. */
    Map<TopicPartition, Long> endOffsets(Collection<String> topics, IsolationLevel isolation) {
        try {
            Map<String, TopicDescription> described =
                    admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            described.forEach((name, d) -> d.partitions()
                    .forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listOffsets(request, new ListOffsetsOptions(isolation))
                    .all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .forEach((tp, info) -> offsets.put(tp, info.offset()));
            return offsets;
        } catch (ExecutionException | TimeoutException e) {
            throw new BenchFailure("cannot read the end offsets of " + topics + ": " + cause(e).getMessage(), e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /**
     * Names an application (a consumer group) of the bench; its group and internal topics are
     * deleted by {@link #cleanUpRun()}.
     */
    String applicationId(String what) {
        String id = "peony-bench-" + tag + "-" + what;
        groups.add(id);
        return id;
    }

    /**
     * Deletes what the bench created so far, between runs, to keep the disk small and the next
     * run's topics fresh: its topics, the internal topics of its applications, their groups.
     */
    void cleanUpRun() {
        Set<String> doomed = new LinkedHashSet<>(createdTopics);
        try {
            if (!groups.isEmpty()) {
                for (String name : admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    for (String group : groups) {
                        if (name.startsWith(group + "-")) {
                            doomed.add(name);
                        }
                    }
                }
            }
            if (!doomed.isEmpty()) {
                admin.deleteTopics(doomed).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            // Some may be gone already; the rest are reported, not fatal to the figures.
            System.err.println("peony bench: could not delete every bench topic: " + cause(e).getMessage());
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        createdTopics.clear();
        finishedGroups.addAll(groups);
        groups.clear();
    }

    /**
     * Deletes the consumer groups of the bench's applications, on an external cluster. Kafka
     * Streams does not leave its group on close, so a group stays non-empty until its session
     * times out; one that cannot be deleted yet expires with the broker's offset retention.
     */
    private void deleteGroups() {
        if (broker != null || finishedGroups.isEmpty()) {
            return;
        }
        try {
            admin.deleteConsumerGroups(finishedGroups).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("peony bench: some of the bench's consumer groups (peony-bench-" + tag
                    + "-*) remain until their offsets expire: " + cause(e).getMessage());
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /** Tombstones the bench's catalog entries and deletes their registry subjects. */
    private void forgetCatalogs() {
        if (registeredCatalogs.isEmpty()) {
            return;
        }
        Properties props = clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (String id : registeredCatalogs) {
                producer.send(new ProducerRecord<>(Topics.CATALOG.name(), id, null));
            }
            producer.flush();
        }
        for (String id : registeredCatalogs) {
            String subject = Topics.rawValueSubject(id);
            try {
                registry.deleteSubject(subject, false);
                registry.deleteSubject(subject, true);
            } catch (SchemaRegistryException e) {
                System.err.println("peony bench: could not delete subject " + subject + ": " + e.getMessage());
            }
        }
        registeredCatalogs.clear();
    }

    @Override
    public void close() {
        try {
            cleanUpRun();
            forgetCatalogs();
            deleteGroups();
        } catch (RuntimeException e) {
            System.err.println("peony bench: cleaning up after the bench failed: " + e.getMessage());
        }
        admin.close(Duration.ofSeconds(5));
        registry.close();
        if (embeddedRegistry != null) {
            embeddedRegistry.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (tempDir != null) {
            deleteTree(tempDir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("peony bench: could not delete " + dir + ": " + e.getMessage());
        }
    }

    static Throwable cause(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof TimeoutException && cause.getMessage() == null
                ? new TimeoutException("no answer within " + TIMEOUT_SECONDS + " s; is the cluster reachable?")
                : cause;
    }

    static BenchFailure interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new BenchFailure("interrupted", e);
    }
}
