package city.heze.peony.registry.server;

import static city.heze.peony.schemas.TestSchemas.RESIDENT_V1;
import static city.heze.peony.schemas.TestSchemas.VEHICLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry on a secured broker: it stores its state as Peony's super user, and signs its HTTP
 * users in with their Kafka SCRAM credentials.
 */
class RegistryScramAccessIT {
    private static final String TOPIC = "_secured_schemas";
    private static final String SUPER_USER = "peony";
    private static final String SUPER_PASSWORD = "peony-secret-1";
    private static final String DEPARTMENT = "mz";
    private static final String DEPARTMENT_PASSWORD = "mz-secret-2";

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.create(dataDir, 0)
                .secured(SUPER_USER, SUPER_PASSWORD)
                .start();
        try (Admin admin = Admin.create(broker.superUserClientConfigs())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            DEPARTMENT,
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                            DEPARTMENT_PASSWORD)))
                    .all()
                    .get();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void signsInWithTheSameSettingsAsTheBrokerHandsOut() {
        assertThat(KafkaScramAuthenticator.clientSettings("mz", "pw"))
                .isEqualTo(EmbeddedKafkaBroker.scramClientSettings("mz", "pw"));
    }

    @Test
    void acceptsAKafkaScramUserAndRejectsAWrongPassword() {
        KafkaScramAuthenticator authenticator = new KafkaScramAuthenticator(broker.bootstrapServers());
        assertThat(awaitSignIn(authenticator, DEPARTMENT, DEPARTMENT_PASSWORD)).contains(DEPARTMENT);
        assertThat(authenticator.authenticate(DEPARTMENT, "not-the-password")).isEmpty();
        assertThat(authenticator.authenticate("nobody", DEPARTMENT_PASSWORD)).isEmpty();
        assertThat(authenticator.authenticate(SUPER_USER, SUPER_PASSWORD)).contains(SUPER_USER);
    }

    @Test
    void cachesASuccessForAMinuteSoARevocationInKafkaTakesEffectAfterIt() throws Exception {
        String user = "revoked";
        String password = "revoked-secret-3";
        try (Admin admin = Admin.create(broker.superUserClientConfigs())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
                    .all()
                    .get();
            AtomicLong clock = new AtomicLong();
            KafkaScramAuthenticator authenticator =
                    new KafkaScramAuthenticator(broker.bootstrapServers(), new Properties(), clock::get);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (authenticator.authenticate(user, password).isEmpty() && System.nanoTime() < deadline) {
                clock.addAndGet(KafkaScramAuthenticator.FAILURE_TTL.toNanos());
                Thread.sleep(100);
            }
            assertThat(authenticator.authenticate(user, password)).contains(user);

            admin.alterUserScramCredentials(
                            List.of(new UserScramCredentialDeletion(user, ScramMechanism.SCRAM_SHA_512)))
                    .all()
                    .get();
            assertThat(authenticator.authenticate(user, password)).as("cached").contains(user);
            clock.addAndGet(KafkaScramAuthenticator.SUCCESS_TTL.toNanos());
            deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (authenticator.authenticate(user, password).isPresent() && System.nanoTime() < deadline) {
                clock.addAndGet(KafkaScramAuthenticator.SUCCESS_TTL.toNanos());
                Thread.sleep(100);
            }
            assertThat(authenticator.authenticate(user, password)).as("revoked").isEmpty();
        }
    }

    @Test
    void aDepartmentRegistersItsOwnSubjectsOverHttpIsRefusedOthersAndReadsAll() {
        KafkaScramAuthenticator authenticator = new KafkaScramAuthenticator(broker.bootstrapServers());
        awaitSignIn(authenticator, DEPARTMENT, DEPARTMENT_PASSWORD);
        RegistryAccess access = RegistryAccess.of(
                authenticator,
                (principal, subject) -> principal.equals(SUPER_USER) || subject.startsWith("raw." + principal + "."),
                SUPER_USER::equals);
        Properties storage = new Properties();
        storage.putAll(broker.superUserClientConfigs());

        int residentsId;
        int vehiclesId;
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                .kafka(storage)
                .topic(TOPIC)
                .access(access)
                .start()) {
            SchemaRegistryClient mz = client(registry, DEPARTMENT + ":" + DEPARTMENT_PASSWORD);
            residentsId = mz.register("raw.mz.residents-value", RESIDENT_V1);
            assertThatThrownBy(() -> mz.register("raw.ga.vehicles-value", VEHICLE))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(403);
                        assertThat(e.getMessage())
                                .contains("User mz is denied operation Write on Subject: raw.ga.vehicles-value");
                    });
            assertThatThrownBy(() -> client(registry, DEPARTMENT + ":wrong").subjects())
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> assertThat(e.httpStatus()).isEqualTo(401));

            vehiclesId = client(registry, SUPER_USER + ":" + SUPER_PASSWORD).register("raw.ga.vehicles-value", VEHICLE);
            assertThat(mz.schemaById(vehiclesId).getName()).isEqualTo("Vehicle");
            assertThat(mz.subjects()).containsExactlyInAnyOrder("raw.mz.residents-value", "raw.ga.vehicles-value");
        }

        // The state went to the storage topic on the secured broker: a new registry replays it.
        try (EmbeddedSchemaRegistry again = EmbeddedSchemaRegistry.builder()
                .kafka(storage)
                .topic(TOPIC)
                .access(access)
                .start()) {
            SchemaRegistryClient mz = client(again, DEPARTMENT + ":" + DEPARTMENT_PASSWORD);
            assertThat(mz.latest("raw.mz.residents-value").id()).isEqualTo(residentsId);
            assertThat(mz.schemaById(vehiclesId).getName()).isEqualTo("Vehicle");
        }
    }

    @Test
    void aRegistryWithoutCredentialsCannotOpenItsStoreOnTheSecuredBroker() {
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .topic("_unsigned_schemas")
                        .storeTimeout(Duration.ofSeconds(3))
                        .start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'_unsigned_schemas'");
    }

    /** A credential created through Admin reaches the broker through the metadata log: poll for it. */
    private static Optional<String> awaitSignIn(KafkaScramAuthenticator authenticator, String user, String password) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Optional<String> principal = authenticator.authenticate(user, password);
            if (principal.isPresent() || System.nanoTime() > deadline) {
                return principal;
            }
            try {
                // Failures are cached for 2 s; asking sooner would only read the cache.
                Thread.sleep(KafkaScramAuthenticator.FAILURE_TTL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return principal;
            }
        }
    }

    private static SchemaRegistryClient client(EmbeddedSchemaRegistry registry, String userInfo) {
        return SchemaRegistryClients.fromConfig(Map.of(
                SchemaRegistryClients.URL_CONFIG,
                registry.url(),
                SchemaRegistryClients.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG,
                "USER_INFO",
                SchemaRegistryClients.BASIC_AUTH_USER_INFO_CONFIG,
                userInfo,
                SchemaRegistryClients.RETRIES_WAIT_MS_CONFIG,
                10));
    }
}
