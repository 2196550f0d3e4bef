package city.heze.peony.schemas.registry;

import static city.heze.peony.schemas.TestSchemas.RESIDENT_V1;
import static city.heze.peony.schemas.TestSchemas.RESIDENT_V2;
import static city.heze.peony.schemas.TestSchemas.RESIDENT_WITH_EMAIL;
import static city.heze.peony.schemas.TestSchemas.VEHICLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.registry.InProcessSchemaRegistryClient;
import city.heze.peony.registry.LocalSchemaRegistries;
import city.heze.peony.registry.SchemaRegistry;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP client against Peony's REST server in front of an in-memory registry (no Kafka). */
class HttpSchemaRegistryClientTest {
    private final SchemaRegistry registry = SchemaRegistry.inMemory();
    private final EmbeddedSchemaRegistry server = EmbeddedSchemaRegistry.serve(registry, 0);

    @AfterEach
    void stop() {
        server.close();
    }

    private static SchemaRegistryClient client(String url, Map<String, Object> extra) {
        Map<String, Object> configs = new HashMap<>(extra);
        configs.put(SchemaRegistryClients.URL_CONFIG, url);
        configs.putIfAbsent(SchemaRegistryClients.RETRIES_WAIT_MS_CONFIG, 10);
        return SchemaRegistryClients.fromConfig(configs);
    }

    private SchemaRegistryClient client() {
        return client(server.url(), Map.of());
    }

    private static int deadPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void everyCallSpeaksConfluentsApi() {
        SchemaRegistryClient client = client();
        assertThat(client).isInstanceOf(HttpSchemaRegistryClient.class);

        int v1 = client.register("residents/value", RESIDENT_V1);
        int v2 = client.register("residents/value", new Schema.Parser().parse(RESIDENT_V2));
        int vehicle = client.register("vehicles-value", VEHICLE);

        assertThat(registry.version("residents/value", 2, false).id()).isEqualTo(v2);
        assertThat(client.lookup("residents/value", RESIDENT_V1, false))
                .isEqualTo(new RegisteredSchema(
                        "residents/value", 1, v1, registry.schemaById(v1).canonical()));
        assertThat(client.schemaById(vehicle).getFullName()).isEqualTo("city.heze.test.Vehicle");
        assertThat(client.subjectVersionsById(v2)).containsExactly(new SubjectVersion("residents/value", 2));
        assertThat(client.subjects()).containsExactly("residents/value", "vehicles-value");
        assertThat(client.versions("residents/value")).containsExactly(1, 2);
        assertThat(client.version("residents/value", 1).id()).isEqualTo(v1);
        assertThat(client.latest("residents/value").version()).isEqualTo(2);
        assertThat(client.idOf("vehicles-value", new Schema.Parser().parse(VEHICLE)))
                .isEqualTo(vehicle);

        CompatibilityReport report = client.testCompatibility("residents/value", RESIDENT_WITH_EMAIL);
        assertThat(report.compatible()).isFalse();
        assertThat(report.messages()).anySatisfy(m -> assertThat(m).contains("READER_FIELD_MISSING_DEFAULT_VALUE"));
        assertThat(client.testCompatibility("residents/value", 1, RESIDENT_V2).compatible())
                .isTrue();

        client.setGlobalCompatibility(CompatibilityLevel.FULL);
        client.setSubjectCompatibility("vehicles-value", CompatibilityLevel.NONE);
        assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.FULL);
        assertThat(client.subjectCompatibility("vehicles-value")).contains(CompatibilityLevel.NONE);
        client.deleteSubjectCompatibility("vehicles-value");
        assertThat(client.subjectCompatibility("vehicles-value")).isEmpty();

        client.setMode(RegistryMode.READONLY, false);
        assertThat(client.mode()).isEqualTo(RegistryMode.READONLY);
        client.setMode(RegistryMode.READWRITE, false);

        assertThat(client.deleteVersion("residents/value", SchemaRegistry.LATEST, false))
                .isEqualTo(2);
        assertThat(client.deleteSubject("vehicles-value", false)).containsExactly(1);
        assertThat(client.deleteSubject("vehicles-value", true)).containsExactly(1);
        assertThat(client.subjects(true)).containsExactly("residents/value");
    }

    @Test
    void errorsCarryTheRegistrysCodeAndMessage() {
        SchemaRegistryClient client = client();
        client.register("residents-value", RESIDENT_V2);

        assertThatThrownBy(() -> client.version("residents-value", 5))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(RegistryErrors.VERSION_NOT_FOUND);
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.registryMessage()).isEqualTo("Version 5 not found.");
                });
        assertThatThrownBy(() -> client.register("residents-value", RESIDENT_WITH_EMAIL))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(RegistryErrors.INCOMPATIBLE_SCHEMA))
                .hasMessageContaining("email");
        assertThatThrownBy(() -> client.register("residents-value", "{\"type\":\"recor\"}"))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(RegistryErrors.INVALID_SCHEMA))
                .hasMessageContaining("recor");
    }

    @Test
    void cachedAnswersOutliveTheRegistryAndTheRestNamesIt() {
        SchemaRegistryClient client = client(server.url(), Map.of(SchemaRegistryClients.MAX_RETRIES_CONFIG, 1));
        Schema vehicle = new Schema.Parser().parse(VEHICLE);
        int id = client.register("vehicles-value", vehicle);
        Schema fetched = client.schemaById(id);

        server.close();

        assertThat(client.register("vehicles-value", vehicle)).isEqualTo(id);
        assertThat(client.idOf("vehicles-value", vehicle)).isEqualTo(id);
        assertThat(client.schemaById(id)).isSameAs(fetched);
        assertThatThrownBy(() -> client.subjects())
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(RegistryErrors.UNREACHABLE))
                .hasMessageContaining(server.url());
    }

    @Test
    void anUnreachableRegistryIsNamedAfterTheRetries() throws IOException {
        String url = "http://127.0.0.1:" + deadPort();
        SchemaRegistryClient client = client(url, Map.of(SchemaRegistryClients.MAX_RETRIES_CONFIG, "2"));
        long started = System.nanoTime();

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(RegistryErrors.UNREACHABLE))
                .hasMessageContaining("Schema registry at " + url + " is unreachable")
                .hasMessageContaining("3 attempts");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void aDeadUrlInTheListIsSkipped() throws IOException {
        SchemaRegistryClient client = client("http://127.0.0.1:" + deadPort() + "," + server.url(), Map.of());

        int id = client.register("vehicles-value", VEHICLE);

        assertThat(client.schemaById(id).getName()).isEqualTo("Vehicle");
        assertThat(client.location()).contains(server.url());
    }

    @Test
    void idempotentCallsAreRetriedOnServerErrorsAndDeletesAreNot() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer flaky = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        flaky.createContext("/", exchange -> {
            boolean fail = requests.incrementAndGet() <= 2
                    || exchange.getRequestMethod().equals("DELETE");
            byte[] body = (fail
                            ? "{\"error_code\":50003,\"message\":\"Error while forwarding the request to the leader\"}"
                            : "{\"schema\":\"\\\"string\\\"\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        flaky.start();
        try {
            SchemaRegistryClient client =
                    client("http://127.0.0.1:" + flaky.getAddress().getPort(), Map.of());

            assertThat(client.schemaById(1).getType()).isEqualTo(Schema.Type.STRING);
            assertThat(requests.get()).isEqualTo(3);
            assertThatThrownBy(() -> client.deleteSubject("s", false))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(50003));
            assertThat(requests.get()).isEqualTo(4);
        } finally {
            flaky.stop(0);
        }
    }

    @Test
    void basicAuthFromUserInfoOrFromTheUrl() {
        try (EmbeddedSchemaRegistry guarded = EmbeddedSchemaRegistry.builder()
                .registry(registry)
                .basicAuth("mz-bureau", "s3cret:with:colons")
                .start()) {
            SchemaRegistryClient anonymous = client(guarded.url(), Map.of());
            SchemaRegistryClient userInfo = client(
                    guarded.url(),
                    Map.of(
                            SchemaRegistryClients.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                            SchemaRegistryClients.BASIC_AUTH_USER_INFO_CONFIG, "mz-bureau:s3cret:with:colons"));
            String withCredentials = guarded.url().replace("http://", "http://mz-bureau:s3cret%3Awith%3Acolons@");
            SchemaRegistryClient fromUrl = client(withCredentials, Map.of());

            assertThatThrownBy(anonymous::subjects)
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(401));
            assertThat(userInfo.register("vehicles-value", VEHICLE)).isEqualTo(1);
            assertThat(fromUrl.subjects()).containsExactly("vehicles-value");
            assertThat(fromUrl.location()).doesNotContain("s3cret");
        }
    }

    @Test
    void configMistakesAreNamed() {
        assertThatThrownBy(() -> SchemaRegistryClients.fromConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> SchemaRegistryClients.forUrl("ftp://registry:21"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http://host:port");
        assertThatThrownBy(() -> SchemaRegistryClients.fromConfig(Map.of(
                        SchemaRegistryClients.URL_CONFIG,
                        server.url(),
                        SchemaRegistryClients.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG,
                        "USER_INFO")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.user.info");
        assertThat(SchemaRegistryClients.forUrl("local://client-test"))
                .isInstanceOf(InProcessSchemaRegistryClient.class);
        assertThat(SchemaRegistryClients.fromConfig(Map.of(SchemaRegistryClients.URL_CONFIG, List.of(server.url())))
                        .subjects())
                .isEmpty();
        LocalSchemaRegistries.drop("client-test");
    }
}
