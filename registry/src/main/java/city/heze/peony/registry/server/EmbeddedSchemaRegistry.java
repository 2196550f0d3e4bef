package city.heze.peony.registry.server;

import city.heze.peony.registry.InProcessSchemaRegistryClient;
import city.heze.peony.registry.SchemaRegistry;
import city.heze.peony.schemas.Topics;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peony's schema registry server: Confluent's REST API on the JDK {@link HttpServer}, with its
 * state in a single-partition compacted Kafka topic (default {@code _peony_schemas}) that it
 * replays on start. {@code peony up} runs one beside the embedded broker; integration tests run one
 * on a free port. It can also serve a {@link SchemaRegistry} that lives in memory only.
 *
 * <pre>{@code
 * try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, Topics.SCHEMAS.name())) {
 *     String url = registry.url(); // http://127.0.0.1:PORT, for schema.registry.url
 * }
 * }</pre>
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

    /** The JDK server's switch for TCP_NODELAY on accepted connections (read once, when it first loads). */
    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    static {
        // The JDK server writes a response's headers and its body in two writes; without
        // TCP_NODELAY, Nagle holds the body until the client's delayed ACK of the headers (40 ms on
        // Linux), so every call took ~45 ms instead of ~1.5 ms on loopback. Validation asks twice
        // per catalog it meets, so at 200 catalogs that was 20 s of a 24 s run (docs/scaling.md).
        // Set before the first HttpServer is created; an explicit choice of the user is kept.
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final SchemaRegistry registry;
    private final boolean ownsRegistry;
    private final String url;

    private EmbeddedSchemaRegistry(
            HttpServer server, ExecutorService workers, SchemaRegistry registry, boolean ownsRegistry, String url) {
        this.server = server;
        this.workers = workers;
        this.registry = registry;
        this.ownsRegistry = ownsRegistry;
        this.url = url;
    }

    /**
     * A registry storing its state in {@code topic} on the cluster at {@code bootstrapServers},
     * listening on 127.0.0.1:{@code port} ({@code 0} picks a free port).
     */
    public static EmbeddedSchemaRegistry start(String bootstrapServers, int port, String topic) {
        return builder()
                .bootstrapServers(bootstrapServers)
                .port(port)
                .topic(topic)
                .start();
    }

    /** The same with Kafka client settings the caller chose (security of a real cluster, say). */
    public static EmbeddedSchemaRegistry start(Properties kafkaClientProperties, int port, String topic) {
        return builder().kafka(kafkaClientProperties).port(port).topic(topic).start();
    }

    /** Serves the REST API in front of {@code registry}, without Kafka (the registry stays open on close). */
    public static EmbeddedSchemaRegistry serve(SchemaRegistry registry, int port) {
        return builder().registry(registry).port(port).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of an {@link EmbeddedSchemaRegistry}; Kafka storage unless {@link #registry} is given. */
    public static final class Builder {
        private Properties kafka = new Properties();
        private String topic = Topics.SCHEMAS.name();
        private String host = "127.0.0.1";
        private int port;
        private Optional<RegistryAccess> access = Optional.empty();
        private Duration storeTimeout = Duration.ofSeconds(30);
        private SchemaRegistry registry;
        private final List<Filter> filters = new ArrayList<>();

        private Builder() {}

        public Builder bootstrapServers(String bootstrapServers) {
            kafka.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            return this;
        }

        /** Kafka client settings, {@code bootstrap.servers} included; copied. */
        public Builder kafka(Properties kafkaClientProperties) {
            this.kafka = (Properties) kafkaClientProperties.clone();
            return this;
        }

        /** The storage topic; default {@code _peony_schemas}. */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** The address to listen on; default 127.0.0.1 (use 0.0.0.0 to serve other hosts). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Requires HTTP basic authentication with this one user and password, who may do everything. */
        public Builder basicAuth(String user, String password) {
            return access(RegistryAccess.singleUser(user, password));
        }

        /**
         * Requires HTTP basic authentication checked by {@code access}, which also decides every
         * write; any signed-in principal may read (see {@link RegistryAccess}). No or wrong
         * credentials get 401, a write the principal may not make 403.
         */
        public Builder access(RegistryAccess access) {
            this.access = Optional.of(access);
            return this;
        }

        /** How long opening the store, or one write to it, may take; default 30 s. */
        public Builder storeTimeout(Duration storeTimeout) {
            this.storeTimeout = storeTimeout;
            return this;
        }

        /** Adds an HTTP filter in front of the API, e.g. one that times every request for metrics. */
        public Builder filter(Filter filter) {
            this.filters.add(filter);
            return this;
        }

        /** Serves this registry instead of one stored in Kafka. */
        public Builder registry(SchemaRegistry registry) {
            this.registry = registry;
            return this;
        }

        /**
         * Opens the store (replaying the topic up to its end) and starts serving.
         *
         * @throws IllegalStateException when the port is taken or Kafka cannot be used
         */
        public EmbeddedSchemaRegistry start() {
            long started = System.nanoTime();
            boolean owns = registry == null;
            SchemaRegistry served =
                    owns ? SchemaRegistry.open(new KafkaRegistryJournal(kafka, topic, storeTimeout)) : registry;
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(host, port), 64);
            } catch (BindException e) {
                closeIfOwned(served, owns);
                throw new IllegalStateException(
                        "cannot start the schema registry: port " + port + " on " + host + " is in use", e);
            } catch (IOException e) {
                closeIfOwned(served, owns);
                throw new UncheckedIOException("cannot start the schema registry on " + host + ":" + port, e);
            }
            AtomicInteger threads = new AtomicInteger();
            ExecutorService workers = Executors.newFixedThreadPool(8, runnable -> {
                Thread thread = new Thread(runnable, "peony-schema-registry-http-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            server.createContext("/", new RegistryHttpApi(served, access))
                    .getFilters()
                    .addAll(filters);
            server.setExecutor(workers);
            server.start();
            String advertisedHost = host.equals("0.0.0.0") ? "127.0.0.1" : host;
            String url = "http://" + advertisedHost + ":" + server.getAddress().getPort();
            log.info(
                    "Schema registry serving {} (state in {}, ready in {} ms)",
                    url,
                    served.storage(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return new EmbeddedSchemaRegistry(server, workers, served, owns, url);
        }

        private static void closeIfOwned(SchemaRegistry registry, boolean owns) {
            if (owns) {
                registry.close();
            }
        }
    }

    /** {@code http://host:port}, the value for {@code schema.registry.url}. */
    public String url() {
        return url;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The registry this server answers from. */
    public SchemaRegistry registry() {
        return registry;
    }

    /** A client that calls the same registry in-process, without HTTP. */
    public InProcessSchemaRegistryClient inProcessClient() {
        return new InProcessSchemaRegistryClient(registry, url);
    }

    /** Stops serving and closes the store (the topic keeps the state). */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsRegistry) {
            registry.close();
        }
    }
}
