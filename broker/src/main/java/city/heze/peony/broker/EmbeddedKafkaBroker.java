package city.heze.peony.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka cluster (one process that is both broker and controller) running in
 * this JVM. {@code peony up} runs one; every integration test runs one on free ports.
 *
 * <p>The data directory holds the broker's log directory ({@code kafka/}); on first start it is
 * formatted with a fresh cluster id, on later starts the same data is served again. The controller
 * port is always a free one: with a static voter set it is not stored on disk, so it may change
 * between restarts.
 *
 * <p>A broker is plain (one PLAINTEXT listener, no authorizer) unless {@link #secured} switches it,
 * before {@link #start}, to SASL/SCRAM-SHA-512 with Kafka's {@code StandardAuthorizer}: then every
 * client signs in as a SCRAM user, and only the super user may do anything without an ACL. A data
 * directory is formatted for one mode and stays in it: the super user's credential is written when
 * the storage is formatted.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    /** System properties named {@code peony.broker.<setting>} set that broker setting. */
    public static final String SYSTEM_PROPERTY_PREFIX = "peony.broker.";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String LOG_DIR_NAME = "kafka";
    /** Marks a log directory formatted with the super user's SCRAM credential (a dot file, ignored by Kafka). */
    private static final String SECURED_MARKER = ".peony-secured";
    /** The SCRAM mechanism clients and the inter-broker traffic use. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    /** The principal the node uses on its own controller listener; a super user, known only inside this JVM. */
    private static final String CONTROLLER_USER = "peony-controller";

    private static final String CLIENT_LISTENER = "SASL_PLAINTEXT";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dataDir;
    private final int requestedPort;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;
    private int kafkaPort;
    private String superUser;
    private String superPassword;

    private EmbeddedKafkaBroker(Path dataDir, int requestedPort, Map<String, String> overrides) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.requestedPort = requestedPort;
        this.overrides = Map.copyOf(overrides);
    }

    /**
     * A broker on {@code dataDir}, listening on {@code kafkaPort} ({@code 0} picks a free port).
     */
    public static EmbeddedKafkaBroker create(Path dataDir, int kafkaPort) {
        return new EmbeddedKafkaBroker(dataDir, kafkaPort, Map.of());
    }

    /** The same, with extra broker properties that win over Peony's defaults. */
    public static EmbeddedKafkaBroker create(Path dataDir, int kafkaPort, Map<String, String> overrides) {
        return new EmbeddedKafkaBroker(dataDir, kafkaPort, overrides);
    }

    /**
     * Switches this (not yet started) broker to SASL/SCRAM-SHA-512 with {@code StandardAuthorizer}:
     * the only client listener is SASL_PLAINTEXT, no ACL means no access, and {@code superUser} is
     * the one super user (Peony's own clients sign in as it, see {@link #superUserClientConfigs}).
     * On a fresh data directory the super user's SCRAM credential is written when formatting; on a
     * later start it is already in the metadata log.
     *
     * @return this broker
     */
    public synchronized EmbeddedKafkaBroker secured(String superUser, String superPassword) {
        if (server != null) {
            throw new IllegalStateException("the broker on " + bootstrapServers() + " is already started");
        }
        this.superUser = requireScramValue("super user name", superUser);
        this.superPassword = requireScramValue("super user password", superPassword);
        return this;
    }

    /** Whether {@link #secured} switched this broker to SASL/SCRAM. */
    public boolean isSecured() {
        return superUser != null;
    }

    /**
     * What Peony's own clients use: {@code bootstrap.servers} and, for a secured broker, the
     * {@link #scramClientSettings SASL settings} of the super user.
     */
    public Map<String, Object> superUserClientConfigs() {
        Map<String, Object> configs = new HashMap<>();
        configs.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (isSecured()) {
            configs.putAll(scramClientSettings(superUser, superPassword));
        }
        return configs;
    }

    /**
     * The client settings that sign in to a secured broker as {@code user}: {@code
     * security.protocol=SASL_PLAINTEXT}, {@code sasl.mechanism=SCRAM-SHA-512} and {@code
     * sasl.jaas.config}. Used for Peony's clients and for the client files handed to departments.
     */
    public static Map<String, String> scramClientSettings(String user, String password) {
        return Map.of(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM,
                SCRAM_MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG,
                jaas("org.apache.kafka.common.security.scram.ScramLoginModule", user, password, ""));
    }

    /**
     * Whether the broker data in {@code dataDir} was formatted by a {@link #secured} broker; false
     * for plain data and for a directory never formatted. Callers use it to refuse mixing modes.
     */
    public static boolean isSecuredDataDir(Path dataDir) {
        return Files.exists(dataDir.resolve(LOG_DIR_NAME).resolve(SECURED_MARKER));
    }

    /**
     * Formats the storage if this is the first start, starts the broker and returns once a client
     * can reach it.
     *
     * @throws BrokerStartException for a port in use or an unusable data directory
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            throw new IllegalStateException("broker already started on " + bootstrapServers());
        }
        long started = System.nanoTime();
        Path logDir = prepareLogDir();
        requireSameMode(logDir);
        kafkaPort = requestedPort == 0 ? freePort() : requirePortFree(requestedPort);
        int controllerPort = freePort();
        Map<String, String> props = brokerProperties(logDir, kafkaPort, controllerPort);
        KafkaConfig config = new KafkaConfig(props, false);
        formatIfNeeded(logDir, config);
        String mode = isSecured() ? " (SASL/SCRAM, super user " + superUser + ")" : "";
        server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            stopQuietly();
            throw new BrokerStartException("Kafka broker on " + logDir + " failed to start: " + e.getMessage(), e);
        }
        awaitReachable(Duration.ofSeconds(60));
        log.info(
                "Kafka broker up on {}{} (data {}) in {} ms",
                bootstrapServers(),
                mode,
                logDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return this;
    }

    /** {@code host:port} for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    public int port() {
        return kafkaPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker and waits until every file is closed; the data stays on disk. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    private void stopQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            log.debug("ignored while stopping a broker that failed to start", e);
            server = null;
        }
    }

    private Map<String, String> brokerProperties(Path logDir, int port, int controllerPort) {
        Map<String, String> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        if (isSecured()) {
            putSecurity(p, port, controllerPort);
        } else {
            p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        }
        p.put("log.dirs", logDir.toString());
        // One node: every internal topic must live with a single replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "10");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The cleaner's default 128 MiB dedupe buffer dwarfs everything else on a laptop.
        p.put("log.cleaner.dedupe.buffer.size", Long.toString(8L * 1024 * 1024));
        // Topics are created explicitly (peony up, catalog register), as on a managed cluster.
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        // A transaction's first batch to a partition waits while the previous transaction's markers are
        // written; with Kafka's defaults (20 ms backoff, 100 ms in all) it gives up on a busy machine,
        // the client retries 100 ms later, and a pipelined later batch of the same transaction gets in
        // first: OutOfOrderSequenceException (KAFKA-18202's guard; recovered, but an ERROR in the log).
        // Retrying on the broker more often and for longer keeps the first batch first. Measured on a
        // loaded 2-core machine, defaults and these side by side, 3,000-6,000 simulated records, four
        // seeds: 0+2+21+3 occurrences with the defaults, 0 with these.
        // The controller logs any event slower than 2 s at ERROR; on a laptop shared with a build that
        // happens at start-up and means nothing to act on. A minute still flags a stuck controller.
        p.put("controller.performance.always.log.threshold.ms", "60000");
        p.put("add.partitions.to.txn.retry.backoff.ms", "5");
        p.put("add.partitions.to.txn.retry.backoff.max.ms", "2000");
        p.putAll(overrides);
        // -Dpeony.broker.<setting>=<value> (e.g. in PEONY_JAVA_OPTS) tunes the broker without a rebuild.
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith(SYSTEM_PROPERTY_PREFIX))
                .forEach(k -> p.put(k.substring(SYSTEM_PROPERTY_PREFIX.length()), System.getProperty(k)));
        return p;
    }

    /**
     * The secured broker's listeners: clients and inter-broker traffic on SASL_PLAINTEXT with
     * SCRAM-SHA-512 (the node talks to itself as the super user), and the loopback-only controller
     * listener on SASL PLAIN with a password made afresh on every start: nothing outside this JVM
     * needs it, and no SCRAM credential can exist for the controller before the metadata log is read.
     */
    private void putSecurity(Map<String, String> p, int port, int controllerPort) {
        String controllerPassword = randomPassword();
        String client = CLIENT_LISTENER.toLowerCase(Locale.ROOT);
        p.put("listeners", CLIENT_LISTENER + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", CLIENT_LISTENER + "://127.0.0.1:" + port);
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        p.put("listener.security.protocol.map", CLIENT_LISTENER + ":SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", SCRAM_MECHANISM);
        p.put("listener.name." + client + ".sasl.enabled.mechanisms", SCRAM_MECHANISM);
        p.put(
                "listener.name." + client + "." + SCRAM_MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                jaas("org.apache.kafka.common.security.scram.ScramLoginModule", superUser, superPassword, ""));
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put(
                "listener.name.controller.plain.sasl.jaas.config",
                jaas(
                        "org.apache.kafka.common.security.plain.PlainLoginModule",
                        CONTROLLER_USER,
                        controllerPassword,
                        " user_" + CONTROLLER_USER + "=\"" + controllerPassword + "\""));
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        // The controller principal must be a super user: the node registers itself with, and sends
        // metadata requests to, its own controller under it.
        p.put("super.users", "User:" + superUser + ";User:" + CONTROLLER_USER);
    }

    private static String jaas(String loginModule, String user, String password, String extra) {
        return loginModule + " required username=\"" + user + "\" password=\"" + password + "\"" + extra + ";";
    }

    /** JAAS and the formatter's SCRAM arguments quote values with double quotes and cannot escape them. */
    private static String requireScramValue(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the " + what + " of a secured broker must not be empty");
        }
        if (value.chars().anyMatch(c -> c == '"' || c == '\\' || c == ',' || c == '[' || c == ']' || c < 0x21)) {
            throw new IllegalArgumentException("the " + what
                    + " of a secured broker must not contain quotes, backslashes, commas, brackets or spaces");
        }
        return value;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * A data directory is formatted for one mode: a secured broker on plain data would find no
     * super user credential and no client could ever sign in, so it is refused before starting.
     */
    private void requireSameMode(Path logDir) {
        if (isSecured()
                && Files.exists(logDir.resolve("meta.properties"))
                && !Files.exists(logDir.resolve(SECURED_MARKER))) {
            throw new BrokerStartException("The data directory " + logDir
                    + " was formatted for a plain (unauthenticated) broker, so it holds no SCRAM credential for "
                    + superUser + ". Start it without security or choose another directory with --data-dir.");
        }
    }

    private Path prepareLogDir() {
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            throw new BrokerStartException("The data directory " + dataDir
                    + " is a file, not a directory. Choose another one with --data-dir.");
        }
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new BrokerStartException(
                    "Cannot create the data directory " + dataDir + ": " + e.getMessage()
                            + ". Choose another one with --data-dir.",
                    e);
        }
        if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
            throw new BrokerStartException("The data directory " + dataDir
                    + " is not a writable directory. Choose another one with --data-dir.");
        }
        Path logDir = dataDir.resolve(LOG_DIR_NAME);
        try {
            Files.createDirectories(logDir);
            Path probe = Files.createTempFile(logDir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new BrokerStartException(
                    "The data directory " + logDir + " cannot be written: " + e.getMessage()
                            + ". Choose another one with --data-dir.",
                    e);
        }
        checkBelongsToThisNode(logDir);
        return logDir;
    }

    /** A log directory formatted for another node or by another tool must not be taken over. */
    private static void checkBelongsToThisNode(Path logDir) {
        Path meta = logDir.resolve("meta.properties");
        if (!Files.exists(meta)) {
            try (var entries = Files.list(logDir)) {
                List<Path> other = entries.filter(
                                f -> !f.getFileName().toString().startsWith("."))
                        .toList();
                if (!other.isEmpty()) {
                    throw new BrokerStartException("The data directory " + logDir
                            + " holds files but no meta.properties, so it is not a Peony broker's data (found "
                            + other.get(0).getFileName() + "). Choose an empty directory with --data-dir.");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            props.load(in);
        } catch (IOException e) {
            throw new BrokerStartException("Cannot read " + meta + ": " + e.getMessage(), e);
        }
        String nodeId = props.getProperty("node.id");
        if (!Integer.toString(NODE_ID).equals(nodeId) || props.getProperty("cluster.id") == null) {
            throw new BrokerStartException("The data directory " + logDir
                    + " holds another cluster's data (" + meta + " has node.id=" + nodeId
                    + ", cluster.id=" + props.getProperty("cluster.id") + "; Peony's embedded broker is node.id="
                    + NODE_ID + "). Choose another directory with --data-dir.");
        }
    }

    private void formatIfNeeded(Path logDir, KafkaConfig config) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(config.metadataLogDir())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setUnstableFeatureVersionsEnabled(false);
        if (isSecured()) {
            // The first client must be able to sign in: the super user's credential goes into the
            // bootstrap metadata, so it exists before the broker accepts its first connection.
            formatter.setScramArguments(
                    List.of(SCRAM_MECHANISM + "=[name=\"" + superUser + "\",password=\"" + superPassword + "\"]"));
        }
        try {
            formatter.run();
            if (isSecured()) {
                Files.writeString(
                        logDir.resolve(SECURED_MARKER),
                        "formatted with a SCRAM credential for " + superUser + "\n",
                        StandardCharsets.UTF_8);
            }
        } catch (Exception e) {
            throw new BrokerStartException("Cannot format the Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReachable(Duration timeout) {
        Map<String, Object> cfg = superUserClientConfigs();
        cfg.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        cfg.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(cfg)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof SaslAuthenticationException) {
                        // Retrying cannot help: the credential in the metadata log is another one
                        // (the data was formatted with another password, or it was changed since).
                        stopQuietly();
                        throw new BrokerStartException(
                                "The super user " + superUser + " cannot sign in to the broker on " + bootstrapServers()
                                        + " with the password given: its data in " + dataDir
                                        + " was formatted with another password, or the password was changed since. ("
                                        + e.getCause().getMessage() + ")",
                                e.getCause());
                    }
                    if (System.nanoTime() > deadline) {
                        throw new BrokerStartException(
                                "Kafka broker on " + bootstrapServers() + " did not answer within " + timeout, e);
                    }
                    sleep(100);
                } catch (TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new BrokerStartException(
                                "Kafka broker on " + bootstrapServers() + " did not answer within " + timeout, e);
                    }
                    sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BrokerStartException("interrupted while waiting for the broker", e);
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A port nobody listens on now; the kernel picks it. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /**
     * Fails with a user-facing message when {@code port} is taken. Kafka itself would halt the
     * JVM on a bind failure, so this is checked before the broker starts.
     */
    public static int requirePortFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return port;
        } catch (IOException e) {
            throw new BrokerStartException("Port " + port
                    + " is already in use on 127.0.0.1: stop what listens there or pick another port (--kafka-port).");
        }
    }
}
