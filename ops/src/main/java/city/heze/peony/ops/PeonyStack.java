package city.heze.peony.ops;

import city.heze.peony.access.AccessCheck;
import city.heze.peony.access.AccessReconciler;
import city.heze.peony.access.DepartmentCredentials;
import city.heze.peony.access.Permission;
import city.heze.peony.access.PublicReader;
import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.ops.catalog.CatalogFile;
import city.heze.peony.ops.catalog.CatalogFileException;
import city.heze.peony.ops.metrics.HealthChecks;
import city.heze.peony.ops.metrics.MetricsServer;
import city.heze.peony.ops.metrics.RegistryRequestTimer;
import city.heze.peony.ops.metrics.StreamsStateGauges;
import city.heze.peony.ops.security.AdminClientFile;
import city.heze.peony.ops.security.PublicClientFile;
import city.heze.peony.ops.security.SignedIn;
import city.heze.peony.producers.CatalogRegistrar;
import city.heze.peony.producers.CatalogRegistrationException;
import city.heze.peony.producers.CatalogTopic;
import city.heze.peony.producers.simulate.CitySimulator;
import city.heze.peony.producers.simulate.LinkedPopulation;
import city.heze.peony.producers.simulate.PlantedCases;
import city.heze.peony.producers.simulate.SimulationSummary;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.registry.server.KafkaScramAuthenticator;
import city.heze.peony.registry.server.RegistryAccess;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.LinkageScenario;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import city.heze.peony.streams.PeonyStreamsConfig;
import city.heze.peony.streams.linkage.LinkageApp;
import city.heze.peony.streams.linkage.LinkageSettings;
import city.heze.peony.streams.opendata.OpenDataApp;
import city.heze.peony.streams.share.ShareSlaApp;
import city.heze.peony.streams.share.ShareSlaSettings;
import city.heze.peony.streams.validation.ValidationApp;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiPredicate;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peony in one process, as {@code peony up} runs it: the metrics endpoint, the embedded KRaft
 * broker, Peony's topics, the schema registry, the catalogs under {@code ops/catalog/}, the
 * validation, share and linkage topologies, and optionally the city simulator. Parts start in dependency
 * order and stop in reverse order; a part that fails to start stops the ones already running.
 */
public final class PeonyStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeonyStack.class);

    /**
     * What to start, from {@code peony up}'s options.
     *
     * @param catalogDir folder of catalog files to register on start; null for none
     * @param secure SASL/SCRAM, ACLs and registry authentication (docs/security.md)
     * @param notices where the stack reports what it did (catalogs registered, problems)
     */
    public record Settings(
            Path dataDir,
            int kafkaPort,
            int registryPort,
            int metricsPort,
            Path catalogDir,
            Simulation simulation,
            boolean secure,
            PrintWriter notices) {}

    /**
     * {@code peony up --simulate}: the city simulator feeding the stack; null for none.
     *
     * @param count records to publish before the simulator stops; null to run until the stack stops
     * @param seed null for a different city on every start
     * @param people residents of the linked population published first (docs/linkage.md), 0 for none
     */
    public record Simulation(double recordsPerSecond, double applicationsPerSecond, Long count, Long seed, int people) {
        /** Without a linked population, as before issue 13. */
        public Simulation(double recordsPerSecond, double applicationsPerSecond, Long count, Long seed) {
            this(recordsPerSecond, applicationsPerSecond, count, seed, 0);
        }
    }

    /** Where {@code peony up --simulate} writes the linked population's planted cases (and finds it published). */
    public static final String PLANTED_FILE = "simulation/planted.jsonl";

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Map<String, String> endpoints = new LinkedHashMap<>();
    private final Settings settings;
    private Properties clientProperties;
    private MetricsServer metrics;
    /** Who besides Peony may change a registry subject: nobody until the access reconciler runs. */
    private volatile BiPredicate<String, String> subjectWriters = (principal, subject) -> false;

    private PeonyStack(Settings settings) {
        this.settings = settings;
    }

    public static PeonyStack start(Settings settings) {
        PeonyStack stack = new PeonyStack(settings);
        try {
            stack.startParts();
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private void startParts() {
        // Metrics first, so every later part can register its meters, and so it stops last.
        metrics = MetricsServer.start(settings.metricsPort());
        running.push(metrics);

        AdminClientFile.requireMode(settings.dataDir(), settings.secure());
        String superPassword = settings.secure() ? AdminClientFile.superPassword(settings.dataDir()) : null;
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(settings.dataDir(), settings.kafkaPort());
        if (settings.secure()) {
            broker.secured(SignedIn.SUPER_USER, superPassword);
        }
        broker.start();
        running.push(broker);
        endpoints.put("bootstrap.servers", broker.bootstrapServers());
        // What every Kafka client of the stack itself starts from: Peony's super user when secured.
        Properties kafka = new Properties();
        kafka.putAll(broker.superUserClientConfigs());

        try (Admin admin = Admin.create(kafka)) {
            var created = new TopicProvisioner(admin, (short) 1).ensure(Topics.SYSTEM_TOPICS);
            if (!created.isEmpty()) {
                log.info("created topics {}", created);
            }
        }

        Ports.requireFree(settings.registryPort(), "--registry-port");
        EmbeddedSchemaRegistry.Builder registryBuilder = EmbeddedSchemaRegistry.builder()
                .kafka(kafka)
                .port(settings.registryPort())
                .topic(Topics.SCHEMAS.name())
                .filter(new RegistryRequestTimer(metrics.registry()));
        if (settings.secure()) {
            // Departments sign in with their Kafka password; what they may write follows the access
            // policy, which exists once the reconciler has read the catalogs (until then only Peony writes).
            registryBuilder.access(RegistryAccess.of(
                    new KafkaScramAuthenticator(broker.bootstrapServers()),
                    (principal, subject) ->
                            principal.equals(SignedIn.SUPER_USER) || subjectWriters.test(principal, subject),
                    SignedIn.SUPER_USER::equals));
        }
        EmbeddedSchemaRegistry registry = registryBuilder.start();
        running.push(registry);
        endpoints.put("schema.registry.url", registry.url());
        endpoints.put("metrics", metrics.url());

        Admin healthAdmin = Admin.create(kafka);
        running.push(healthAdmin);
        metrics.addHealthCheck("kafka", HealthChecks.brokerReachable(healthAdmin, Duration.ofSeconds(2)));
        metrics.addHealthCheck("registry", HealthChecks.registryAnswering(registry.url(), Duration.ofSeconds(2)));

        clientProperties = new Properties();
        clientProperties.putAll(kafka);
        clientProperties.put("schema.registry.url", registry.url());
        if (settings.secure()) {
            clientProperties.put(SchemaRegistryClients.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO");
            clientProperties.put(
                    SchemaRegistryClients.BASIC_AUTH_USER_INFO_CONFIG, SignedIn.SUPER_USER + ":" + superPassword);
            Path file = AdminClientFile.write(settings.dataDir(), ClientConfigs.toMap(clientProperties), superPassword);
            endpoints.put("client.config", file.toString());
            endpoints.put(
                    "public.config",
                    startPublicReader(broker.bootstrapServers(), kafka, registry.url())
                            .toString());
        }

        registerCatalogs();
        if (settings.secure()) {
            startAccessReconciler();
        }
        startStreams();
        if (settings.simulation() != null) {
            startSimulator(settings.simulation());
        }
    }

    /**
     * The validation, share and open-data topologies, each its own Kafka Streams application (so each can
     * be scaled and restarted on its own), with state under the data directory.
     */
    private void startStreams() {
        Path stateDir = settings.dataDir().toAbsolutePath().resolve("streams");
        ValidationApp validation = ValidationApp.start(
                clientProperties, ValidationApp.Options.defaults(stateDir.resolve("validation")), metrics.registry());
        running.push(validation);
        // ValidationApp leaves its Kafka Streams metrics to its host (state gauges included).
        metrics.bindKafkaStreams(validation.kafkaStreams(), validation.applicationId());
        metrics.addHealthCheck(validation.applicationId(), HealthChecks.streamsRunning(validation.kafkaStreams()));

        ShareSlaApp share = ShareSlaApp.start(
                clientProperties,
                stateDir.resolve("share"),
                ShareSlaSettings.fromProperties(clientProperties),
                metrics.registry());
        running.push(share);
        // ShareSlaApp binds its own Kafka Streams metrics; only its state gauges are added here.
        StreamsStateGauges.register(metrics.registry(), share.streams(), ShareSlaApp.DEFAULT_APPLICATION_ID);
        metrics.addHealthCheck(ShareSlaApp.DEFAULT_APPLICATION_ID, HealthChecks.streamsRunning(share.streams()));

        // Open data: the OPEN catalogs' shared records, masked and checked, on open.<catalog>.
        OpenDataApp open = OpenDataApp.start(clientProperties, stateDir.resolve("open-data"), metrics.registry());
        running.push(open);
        StreamsStateGauges.register(metrics.registry(), open.streams(), OpenDataApp.DEFAULT_APPLICATION_ID);
        metrics.addHealthCheck(OpenDataApp.DEFAULT_APPLICATION_ID, HealthChecks.streamsRunning(open.streams()));

        List<LinkageApp> linkage = startLinkage(stateDir.resolve("linkage"));

        Duration timeout = Duration.ofSeconds(120);
        try {
            for (LinkageApp app : linkage) {
                if (!app.awaitRunning(timeout)) {
                    settings.notices()
                            .println("peony up: linkage " + app.scenario().id() + " is not RUNNING after " + timeout
                                    + " (" + app.state() + "); see /-/healthy");
                }
            }
            if (!validation.awaitRunning(timeout) || !share.awaitRunning(timeout) || !open.awaitRunning(timeout)) {
                settings.notices()
                        .println("peony up: the streams applications are not RUNNING after " + timeout + " (validation "
                                + validation.state() + ", share " + share.state() + ", open data " + open.state()
                                + "); see /-/healthy");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The linkage scenarios, each its own application run by Peony (docs/linkage.md), on an open
     * stack. A scenario whose catalogs are not registered is reported and skipped; the rest of the
     * stack runs.
     */
    private List<LinkageApp> startLinkage(Path stateDir) {
        if (settings.secure()) {
            // Run by Peony's super user, a scenario would read what no approval allows: on a secured
            // stack each owner department runs its own, under its own principal and approvals.
            settings.notices()
                    .println("peony up: the linkage scenarios run under their owner departments on a secured stack:"
                            + " peony linkage run NAME --client-config DEPT.properties (README, Linkage)");
            return List.of();
        }
        LinkageSettings linkageSettings;
        try {
            linkageSettings = LinkageSettings.fromProperties(clientProperties);
        } catch (IllegalArgumentException e) {
            settings.notices().println("peony up: linkage not started: " + e.getMessage());
            return List.of();
        }
        List<LinkageApp> apps = new ArrayList<>();
        for (LinkageScenario scenario : LinkageScenario.values()) {
            LinkageApp app;
            try {
                app = LinkageApp.start(
                        scenario,
                        clientProperties,
                        scenario.applicationId(),
                        PeonyStreamsConfig.DEFAULT_GUARANTEE,
                        stateDir.resolve(scenario.id()),
                        linkageSettings,
                        metrics.registry());
            } catch (IllegalStateException e) {
                settings.notices().println("peony up: skipped " + e.getMessage());
                continue;
            }
            running.push(app);
            metrics.bindKafkaStreams(app.kafkaStreams(), app.applicationId());
            metrics.addHealthCheck(app.applicationId(), HealthChecks.streamsRunning(app.kafkaStreams()));
            apps.add(app);
        }
        return apps;
    }

    /**
     * The public reader of open data ({@link PublicReader}): its world-readable client file first
     * (a credential nobody has the password of would be useless), then its SCRAM credential, with the
     * password it had before when the data directory has one. What it may read, the access reconciler grants.
     */
    private Path startPublicReader(String bootstrapServers, Properties kafka, String registryUrl) {
        String password = PublicClientFile.password(settings.dataDir());
        Path file = PublicClientFile.write(
                settings.dataDir(),
                password,
                bootstrapServers,
                kafka.getProperty("security.protocol", "SASL_PLAINTEXT"),
                registryUrl);
        try (Admin admin = Admin.create(kafka)) {
            new DepartmentCredentials(admin, Duration.ofSeconds(30)).upsert(PublicReader.CODE, password);
        }
        return file;
    }

    /**
     * Keeps the broker's ACLs in step with the catalogs, departments and share grants, and tells the
     * registry which subjects each department may change (docs/security.md).
     */
    private void startAccessReconciler() {
        AccessReconciler access = new AccessReconciler(clientProperties, metrics.registry()).start();
        running.push(access);
        AccessCheck check = new AccessCheck();
        subjectWriters = (principal, subject) -> check.check(
                        principal,
                        new AccessCheck.Resource(Permission.ResourceKind.SUBJECT, subject),
                        Permission.Operation.WRITE,
                        access.currentPermissions())
                .allowed();
        Duration timeout = Duration.ofSeconds(60);
        try {
            if (!access.awaitFirstReconcile(timeout)) {
                settings.notices()
                        .println("peony up: the access reconciler has not applied the ACLs after " + timeout
                                + "; see peony_access_reconcile_errors_total on /metrics");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs the city simulator on a thread of its own until the stack stops. With a linked
     * population, the population is published first, once per data directory (its planted cases go
     * to {@link #PLANTED_FILE}; a restart finds the file and does not publish a second population
     * into the same resident IDs). The registers of recipients and pensioners are then the
     * population's alone: random traffic goes to every other catalog, whose random residents can
     * never match a population resident, so the scenarios find exactly the planted cases.
     */
    private void startSimulator(Simulation simulation) {
        Path planted = settings.dataDir().toAbsolutePath().resolve(PLANTED_FILE);
        boolean population = simulation.people() > 0 || Files.exists(planted);
        CitySimulator.Builder builder = CitySimulator.builder(clientProperties)
                .rate(simulation.recordsPerSecond())
                .shareRate(simulation.applicationsPerSecond())
                .meterRegistry(metrics.registry());
        if (population) {
            List<String> others =
                    new ArrayList<>(new CatalogTopic(clientProperties).readAll().keySet());
            others.removeAll(POPULATION_REGISTERS);
            builder.catalogIds(others);
        }
        if (simulation.seed() != null) {
            builder.seed(simulation.seed());
        }
        if (simulation.count() != null) {
            builder.count(simulation.count());
        }
        CitySimulator simulator = builder.build();
        Thread thread = new Thread(
                () -> {
                    try {
                        if (simulation.people() > 0 && !Files.exists(planted)) {
                            publishPopulation(simulation, planted);
                        }
                        SimulationSummary summary = simulator.run();
                        if (simulation.count() != null) {
                            summary.lines().forEach(line -> settings.notices().println("peony up: " + line));
                        }
                    } catch (RuntimeException e) {
                        settings.notices().println("peony up: the simulator stopped: " + e.getMessage());
                    }
                },
                "peony-simulator");
        thread.setDaemon(true);
        thread.start();
        running.push(() -> {
            simulator.stop();
            thread.join(Duration.ofSeconds(30).toMillis());
        });
        endpoints.put("simulating", simulation.recordsPerSecond() + "/s");
    }

    /** The catalogs whose every record is a population member's when a population runs. */
    private static final List<String> POPULATION_REGISTERS =
            List.of(LinkedPopulation.SOCIAL_ASSISTANCE, LinkedPopulation.PENSION_RECIPIENTS);

    private void publishPopulation(Simulation simulation, Path planted) {
        LinkedPopulation.Builder builder = LinkedPopulation.builder(clientProperties)
                .people(simulation.people())
                .meterRegistry(metrics.registry());
        if (simulation.seed() != null) {
            builder.seed(simulation.seed());
        }
        PlantedCases cases = builder.build().run();
        try {
            Files.createDirectories(planted.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + planted.getParent() + ": " + e.getMessage(), e);
        }
        cases.writeJsonLines(planted);
        cases.lines().forEach(line -> settings.notices().println("peony up: " + line));
        settings.notices().println("peony up: planted cases in " + planted + "; compare with peony linkage show");
    }

    /**
     * Registers every catalog file; unchanged ones are no-ops. A bad file or a refused schema is
     * reported and skipped: the stack still comes up with the catalogs that are fine.
     */
    private void registerCatalogs() {
        Path dir = settings.catalogDir();
        if (dir == null) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            settings.notices().println("peony up: no catalog folder at " + dir + "; starting without catalogs");
            return;
        }
        List<CatalogRegistrar.Request> entries = new ArrayList<>();
        try {
            for (Path file : CatalogFile.filesIn(dir)) {
                try {
                    entries.add(CatalogFile.loadRequest(file));
                } catch (CatalogFileException e) {
                    settings.notices().println("peony up: skipped catalog " + e.getMessage());
                }
            }
        } catch (IOException e) {
            settings.notices().println("peony up: cannot list " + dir + ": " + e.getMessage());
            return;
        }
        CatalogTopic topic = new CatalogTopic(clientProperties);
        Map<String, CatalogEntry> current = topic.readAll();
        int changed = 0;
        try (Admin admin = Admin.create(clientProperties);
                SchemaRegistryClient registry =
                        SchemaRegistryClients.fromConfig(ClientConfigs.toMap(clientProperties))) {
            CatalogRegistrar registrar = new CatalogRegistrar(registry, admin, topic, 3, (short) 1, Clock.systemUTC());
            CatalogRegistrar.BatchResult batch = registrar.registerAll(entries, current);
            changed = (int) batch.registered().stream()
                    .filter(r -> r.outcome() != CatalogRegistrar.Outcome.UNCHANGED)
                    .count();
            for (CatalogRegistrar.Failure failure : batch.failed()) {
                settings.notices().println("peony up: skipped " + failure.message());
            }
        } catch (CatalogRegistrationException e) {
            settings.notices().println("peony up: could not register the catalogs of " + dir + ": " + e.getMessage());
        }
        if (changed > 0) {
            settings.notices().println("peony up: registered " + changed + " catalog(s) from " + dir);
        }
    }

    /** Kafka client properties pointing at this stack (bootstrap servers and registry URL). */
    public Properties clientProperties() {
        Properties copy = new Properties();
        copy.putAll(clientProperties);
        return copy;
    }

    /** The addresses clients use, in the order the {@code Peony is up} line prints them. */
    public Map<String, String> endpoints() {
        return Map.copyOf(endpoints);
    }

    /** The line printed once clients can connect. */
    public String upLine() {
        StringBuilder line = new StringBuilder("Peony is up:");
        endpoints.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        return line.toString();
    }

    @Override
    public void close() {
        while (!running.isEmpty()) {
            AutoCloseable part = running.pop();
            try {
                part.close();
            } catch (Exception e) {
                log.warn("error while stopping {}: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
