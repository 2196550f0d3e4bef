package city.heze.peony.registry.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;

/**
 * Authenticates registry users against Kafka's own SCRAM credentials: the given user name and
 * password sign in to the broker (an Admin client asking for the cluster id), and the registry
 * principal is that Kafka user.
 *
 * <p>Why: a department then has one password, the one it uses for Kafka, and nobody keeps a
 * second user list in step. Deleting or changing the SCRAM credential in Kafka revokes registry
 * access as well, within the 60 s that a success is cached. Failures are cached for 2 s, so a
 * client retrying with a wrong password does not open a Kafka connection per request. The cache is
 * keyed by the SHA-256 of {@code user:password}; the password itself is never kept.
 */
public final class KafkaScramAuthenticator implements RegistryAccess.Authenticator {
    static final Duration SUCCESS_TTL = Duration.ofSeconds(60);
    static final Duration FAILURE_TTL = Duration.ofSeconds(2);
    private static final Duration SIGN_IN_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_CACHED = 10_000;

    private final Properties baseProperties;
    private final LongSupplier nanoTime;
    private final Map<String, Verdict> cache = new ConcurrentHashMap<>();

    /** A cached answer: the principal, or empty for wrong credentials, until {@code expiresAt}. */
    private record Verdict(Optional<String> principal, long expiresAt) {}

    /** Thrown when Kafka cannot be asked: neither a yes nor a no, so it is not cached. */
    public static final class KafkaUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KafkaUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Signs in to the cluster at {@code bootstrapServers}. */
    public KafkaScramAuthenticator(String bootstrapServers) {
        this(bootstrapServers, new Properties());
    }

    /**
     * The same with extra client properties (a truststore, say); the SASL settings for the user
     * being checked win over any given here.
     */
    public KafkaScramAuthenticator(String bootstrapServers, Properties extraClientProperties) {
        this(bootstrapServers, extraClientProperties, System::nanoTime);
    }

    KafkaScramAuthenticator(String bootstrapServers, Properties extraClientProperties, LongSupplier nanoTime) {
        this.baseProperties = (Properties) extraClientProperties.clone();
        this.baseProperties.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.nanoTime = nanoTime;
    }

    /**
     * The Kafka user these credentials belong to, or empty when Kafka refuses them.
     *
     * @throws KafkaUnavailableException when Kafka does not answer within 5 s
     */
    @Override
    public Optional<String> authenticate(String user, String password) {
        if (!usable(user) || !usable(password)) {
            // Such a value cannot be written into a JAAS config safely, and Peony hands out none.
            return Optional.empty();
        }
        String key = sha256(user + ":" + password);
        long now = nanoTime.getAsLong();
        Verdict cached = cache.get(key);
        if (cached != null && cached.expiresAt() - now > 0) {
            return cached.principal();
        }
        Optional<String> principal = signIn(user, password);
        Duration ttl = principal.isPresent() ? SUCCESS_TTL : FAILURE_TTL;
        if (cache.size() >= MAX_CACHED) {
            cache.values().removeIf(v -> v.expiresAt() - now <= 0);
        }
        cache.put(key, new Verdict(principal, now + ttl.toNanos()));
        return principal;
    }

    private Optional<String> signIn(String user, String password) {
        Properties props = (Properties) baseProperties.clone();
        props.putAll(clientSettings(user, password));
        // A cluster reached over TLS keeps its SASL_SSL; only the mechanism and the user are fixed here.
        String protocol = baseProperties.getProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        if (protocol != null) {
            props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        }
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) SIGN_IN_TIMEOUT.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) SIGN_IN_TIMEOUT.toMillis());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "peony-registry-sign-in");
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster().clusterId().get(SIGN_IN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.of(user);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SaslAuthenticationException) {
                return Optional.empty();
            }
            throw unavailable(e.getCause());
        } catch (TimeoutException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
    }

    private KafkaUnavailableException unavailable(Throwable cause) {
        return new KafkaUnavailableException(
                "cannot check the credentials with Kafka at "
                        + baseProperties.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) + ": " + cause,
                cause);
    }

    /**
     * The SASL settings that sign in as {@code user}: the same three as the broker module's {@code
     * EmbeddedKafkaBroker.scramClientSettings} (the registry does not depend on the broker).
     */
    static Map<String, String> clientSettings(String user, String password) {
        return Map.of(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM,
                "SCRAM-SHA-512",
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";");
    }

    private static boolean usable(String value) {
        return value != null && !value.isEmpty() && value.chars().noneMatch(c -> c == '"' || c == '\\' || c < 0x20);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
