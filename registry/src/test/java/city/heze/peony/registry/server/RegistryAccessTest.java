package city.heze.peony.registry.server;

import static city.heze.peony.schemas.TestSchemas.RESIDENT_V1;
import static city.heze.peony.schemas.TestSchemas.VEHICLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.registry.SchemaRegistry;
import city.heze.peony.schemas.registry.CompatibilityLevel;
import city.heze.peony.schemas.registry.RegistryMode;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RegistryHttpApi's 401 and 403 paths with a small in-memory {@link RegistryAccess}. */
class RegistryAccessTest {
    /** mz may write its own subjects ({@code raw.mz.*}); peony is the super user; both may read. */
    private static final RegistryAccess ACCESS = new RegistryAccess() {
        private final Map<String, String> passwords = Map.of("mz", "mz-pw", "peony", "peony-pw");

        @Override
        public Optional<String> authenticate(String user, String password) {
            return password.equals(passwords.get(user)) ? Optional.of(user) : Optional.empty();
        }

        @Override
        public boolean mayWrite(String principal, String subject) {
            return principal.equals("peony") || subject.startsWith("raw." + principal + ".");
        }

        @Override
        public boolean mayWriteGlobal(String principal) {
            return principal.equals("peony");
        }
    };

    private final EmbeddedSchemaRegistry server = EmbeddedSchemaRegistry.builder()
            .registry(SchemaRegistry.inMemory())
            .access(ACCESS)
            .start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void noOrWrongCredentialsGet401WithAChallenge() throws Exception {
        HttpResponse<String> none = get("/subjects", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
        assertThat(none.body()).contains("\"error_code\":401");

        HttpResponse<String> wrong = get("/subjects", "mz:not-mz-pw");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("wrong user name or password");

        assertThat(get("/subjects", "mz").statusCode()).isEqualTo(401);
        assertThatThrownBy(() -> client("mz:nope").subjects())
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("Unauthorized");
                });
    }

    @Test
    void aPrincipalWritesItsOwnSubjectsOnlyAndGets403ElsewhereWithConfluentsError() throws Exception {
        SchemaRegistryClient mz = client("mz:mz-pw");
        int id = mz.register("raw.mz.residents-value", RESIDENT_V1);

        HttpRequest post = request("/subjects/raw.ga.vehicles-value/versions", "mz:mz-pw")
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"schema\":" + quoted(VEHICLE) + "}", StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> refused = http.send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body())
                .isEqualTo("{\"error_code\":40301,\"message\":"
                        + "\"User mz is denied operation Write on Subject: raw.ga.vehicles-value\"}");

        assertThatThrownBy(() -> mz.register("raw.ga.vehicles-value", VEHICLE))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(40301);
                    assertThat(e.getMessage()).contains("denied operation Write on Subject: raw.ga.vehicles-value");
                });
        assertThatThrownBy(() -> mz.setSubjectCompatibility("raw.ga.vehicles-value", CompatibilityLevel.NONE))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(403));
        assertThatThrownBy(() -> mz.deleteSubject("shared.residents-value", false))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(403));
        mz.setSubjectCompatibility("raw.mz.residents-value", CompatibilityLevel.FULL);
        assertThat(server.registry().subjects(false)).containsExactly("raw.mz.residents-value");
        assertThat(id).isPositive();
    }

    @Test
    void onlyTheSuperUserChangesTheGlobalConfigAndMode() {
        SchemaRegistryClient mz = client("mz:mz-pw");
        assertThatThrownBy(() -> mz.setGlobalCompatibility(CompatibilityLevel.NONE))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.getMessage())
                                .contains("User mz is denied operation Write on the global config"));
        assertThatThrownBy(() -> mz.setMode(RegistryMode.READONLY, false))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40301));

        SchemaRegistryClient peony = client("peony:peony-pw");
        peony.setGlobalCompatibility(CompatibilityLevel.FULL);
        assertThat(mz.globalCompatibility()).isEqualTo(CompatibilityLevel.FULL);
    }

    @Test
    void anySignedInPrincipalReadsEverySubjectAndSchemaId() {
        int id = client("peony:peony-pw").register("shared.vehicles-value", VEHICLE);
        SchemaRegistryClient mz = client("mz:mz-pw");
        assertThat(mz.schemaById(id).getName()).isEqualTo("Vehicle");
        assertThat(mz.subjects()).containsExactly("shared.vehicles-value");
        assertThat(mz.latest("shared.vehicles-value").id()).isEqualTo(id);
        assertThat(mz.idOf("shared.vehicles-value", new org.apache.avro.Schema.Parser().parse(VEHICLE)))
                .isEqualTo(id);
        assertThat(mz.testCompatibility("shared.vehicles-value", VEHICLE).compatible())
                .isTrue();
    }

    @Test
    void basicAuthIsOneUserWhoMayDoEverything() {
        RegistryAccess single = RegistryAccess.singleUser("ops", "s3cret:with:colons");
        assertThat(single.authenticate("ops", "s3cret:with:colons")).contains("ops");
        assertThat(single.authenticate("ops", "s3cret")).isEmpty();
        assertThat(single.authenticate("other", "s3cret:with:colons")).isEmpty();
        assertThat(single.mayWrite("ops", "anything")).isTrue();
        assertThat(single.mayWriteGlobal("ops")).isTrue();
    }

    private SchemaRegistryClient client(String userInfo) {
        return SchemaRegistryClients.fromConfig(Map.of(
                SchemaRegistryClients.URL_CONFIG,
                server.url(),
                SchemaRegistryClients.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG,
                "USER_INFO",
                SchemaRegistryClients.BASIC_AUTH_USER_INFO_CONFIG,
                userInfo,
                SchemaRegistryClients.RETRIES_WAIT_MS_CONFIG,
                10));
    }

    private HttpResponse<String> get(String path, String userInfo) throws Exception {
        return http.send(request(path, userInfo).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String userInfo) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (userInfo != null) {
            builder.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        return builder;
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
