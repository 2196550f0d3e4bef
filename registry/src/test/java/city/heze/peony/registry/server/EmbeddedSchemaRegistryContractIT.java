package city.heze.peony.registry.server;

import static city.heze.peony.schemas.TestSchemas.RESIDENT_V1;
import static city.heze.peony.schemas.TestSchemas.RESIDENT_V2;
import static city.heze.peony.schemas.TestSchemas.RESIDENT_WITH_EMAIL;
import static city.heze.peony.schemas.TestSchemas.VEHICLE;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.schemas.TestSchemas;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confluent's REST contract, endpoint by endpoint and error code by error code, against the real
 * server storing its state in a real broker.
 */
class EmbeddedSchemaRegistryContractIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V1_JSON = "application/vnd.schemaregistry.v1+json";
    private static final String TOPIC = "_contract_schemas";

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;
    private static EmbeddedSchemaRegistry registry;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.create(dataDir, 0).start();
        registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, TOPIC);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private record Reply(int status, String contentType, JsonNode body) {
        int errorCode() {
            return body.path("error_code").asInt();
        }

        String message() {
            return body.path("message").asText();
        }
    }

    private static Reply call(String method, String path, String body) {
        return call(method, path, body, V1_JSON);
    }

    private static Reply call(String method, String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Accept", V1_JSON)
                .timeout(Duration.ofSeconds(30));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType)
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private static int register(String subject, String schema) {
        Reply reply = call("POST", "/subjects/" + subject + "/versions", schemaBody(schema));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return reply.body().get("id").asInt();
    }

    private static void assertError(Reply reply, int status, int errorCode, String messagePart) {
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(status);
        assertThat(reply.errorCode()).isEqualTo(errorCode);
        assertThat(reply.message()).contains(messagePart);
        assertThat(reply.contentType()).isEqualTo(V1_JSON);
    }

    @Test
    void theStorageTopicIsOnePartitionAndCompacted() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            TopicDescription topic = admin.describeTopics(List.of(TOPIC))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(TOPIC);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            Config config = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(resource);

            assertThat(topic.partitions()).hasSize(1);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    @Test
    void registrationIsIdempotentAndSharesIdsAcrossSubjects() {
        Reply first = call("POST", "/subjects/reg-a-value/versions", schemaBody(VEHICLE));
        Reply again = call("POST", "/subjects/reg-a-value/versions", schemaBody(VEHICLE));
        Reply typed = call(
                "POST",
                "/subjects/reg-b-value/versions",
                JSON.createObjectNode()
                        .put("schema", VEHICLE)
                        .put("schemaType", "AVRO")
                        .set("references", JSON.createArrayNode())
                        .toString());

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.contentType()).isEqualTo(V1_JSON);
        assertThat(first.body().fieldNames()).toIterable().containsExactly("id");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(typed.body()).isEqualTo(first.body());
        assertThat(call("GET", "/subjects/reg-a-value/versions", null).body())
                .isEqualTo(JSON.createArrayNode().add(1));
    }

    @Test
    void registrationRefusesInvalidUnsupportedAndIncompatibleSchemas() {
        register("refuse-value", RESIDENT_V2);

        assertError(
                call("POST", "/subjects/refuse-value/versions", schemaBody("{\"type\":\"record\",\"name\":\"X\"}")),
                422,
                42201,
                "Invalid schema");
        assertError(
                call(
                        "POST",
                        "/subjects/refuse-value/versions",
                        "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}"),
                422,
                42201,
                "PROTOBUF");
        assertError(
                call(
                        "POST",
                        "/subjects/refuse-value/versions",
                        "{\"schema\":\"\\\"int\\\"\",\"references\":[{\"name\":\"a\",\"subject\":\"b\",\"version\":1}]}"),
                422,
                42201,
                "references");
        Reply incompatible = call("POST", "/subjects/refuse-value/versions", schemaBody(RESIDENT_WITH_EMAIL));
        assertError(incompatible, 409, 409, "READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(incompatible.message()).contains("email").contains("incompatible with an earlier schema");
        assertError(call("POST", "/subjects/refuse-value/versions", "{\"schema\":"), 400, 400, "not JSON");
    }

    @Test
    void lookupFindsTheVersionOrSaysWhatIsMissing() {
        int id = register("lookup-value", RESIDENT_V1);

        Reply found = call("POST", "/subjects/lookup-value", schemaBody(RESIDENT_V1));

        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().get("subject").asText()).isEqualTo("lookup-value");
        assertThat(found.body().get("version").asInt()).isEqualTo(1);
        assertThat(found.body().get("id").asInt()).isEqualTo(id);
        assertThat(found.body().get("schema").asText()).contains("Resident");
        assertError(call("POST", "/subjects/lookup-value", schemaBody(VEHICLE)), 404, 40403, "Schema not found");
        assertError(call("POST", "/subjects/no-such-subject", schemaBody(VEHICLE)), 404, 40401, "no-such-subject");
    }

    @Test
    void subjectsVersionsAndTheirSchemas() {
        int v1 = register("versions-value", RESIDENT_V1);
        int v2 = register("versions-value", RESIDENT_V2);

        assertThat(call("GET", "/subjects", null).body())
                .anySatisfy(s -> assertThat(s.asText()).isEqualTo("versions-value"));
        assertThat(call("GET", "/subjects/versions-value/versions", null).body())
                .isEqualTo(JSON.createArrayNode().add(1).add(2));
        Reply latest = call("GET", "/subjects/versions-value/versions/latest", null);
        assertThat(latest.body().get("version").asInt()).isEqualTo(2);
        assertThat(latest.body().get("id").asInt()).isEqualTo(v2);
        assertThat(call("GET", "/subjects/versions-value/versions/-1", null).body())
                .isEqualTo(latest.body());
        assertThat(call("GET", "/subjects/versions-value/versions/1", null)
                        .body()
                        .get("id")
                        .asInt())
                .isEqualTo(v1);
        Reply raw = call("GET", "/subjects/versions-value/versions/2/schema", null);
        assertThat(raw.body().get("name").asText()).isEqualTo("Resident");
        assertThat(raw.body().get("fields")).hasSize(2);
        assertThat(call("GET", "/subjects/versions-value/versions/1/referencedby", null)
                        .body())
                .isEmpty();

        assertError(call("GET", "/subjects/versions-value/versions/0", null), 422, 42202, "'0' is not a valid version");
        assertError(call("GET", "/subjects/versions-value/versions/abc", null), 422, 42202, "'abc'");
        assertError(call("GET", "/subjects/versions-value/versions/3", null), 404, 40402, "Version 3 not found");
        assertError(call("GET", "/subjects/no-such/versions", null), 404, 40401, "Subject 'no-such' not found");
        assertError(call("GET", "/subjects/no-such/versions/1", null), 404, 40401, "no-such");
    }

    @Test
    void softThenPermanentDeletesOfVersionsAndSubjects() {
        register("delete-value", RESIDENT_V1);
        register("delete-value", RESIDENT_V2);

        assertError(call("DELETE", "/subjects/delete-value/versions/2?permanent=true", null), 404, 40407, "Version 2");
        assertThat(call("DELETE", "/subjects/delete-value/versions/2", null)
                        .body()
                        .asInt())
                .isEqualTo(2);
        assertError(call("DELETE", "/subjects/delete-value/versions/2", null), 404, 40406, "was soft deleted");
        assertThat(call("GET", "/subjects/delete-value/versions?deleted=true", null)
                        .body())
                .isEqualTo(JSON.createArrayNode().add(1).add(2));
        assertThat(call("GET", "/subjects/delete-value/versions/2?deleted=true", null)
                        .status())
                .isEqualTo(200);
        assertThat(call("DELETE", "/subjects/delete-value/versions/2?permanent=true", null)
                        .body()
                        .asInt())
                .isEqualTo(2);
        assertError(call("GET", "/subjects/delete-value/versions/2?deleted=true", null), 404, 40402, "Version 2");

        assertError(call("DELETE", "/subjects/delete-value?permanent=true", null), 404, 40405, "not deleted first");
        assertThat(call("DELETE", "/subjects/delete-value", null).body())
                .isEqualTo(JSON.createArrayNode().add(1));
        assertError(call("DELETE", "/subjects/delete-value", null), 404, 40404, "was soft deleted");
        assertThat(call("GET", "/subjects", null).body().toString()).doesNotContain("delete-value");
        assertThat(call("GET", "/subjects?deleted=true", null).body().toString())
                .contains("delete-value");
        assertThat(call("DELETE", "/subjects/delete-value?permanent=true", null).body())
                .isEqualTo(JSON.createArrayNode().add(1));
        assertError(call("DELETE", "/subjects/delete-value", null), 404, 40401, "delete-value");
    }

    @Test
    void schemasById() {
        int id = register("byid-a-value", TestSchemas.numbered(101));
        register("byid-b-value", TestSchemas.numbered(101));

        Reply schema = call("GET", "/schemas/ids/" + id, null);
        assertThat(schema.body().fieldNames()).toIterable().containsExactly("schema");
        assertThat(schema.body().get("schema").asText()).contains("Numbered101");
        assertThat(call("GET", "/schemas/ids/" + id + "/schema", null)
                        .body()
                        .get("name")
                        .asText())
                .isEqualTo("Numbered101");
        assertThat(call("GET", "/schemas/ids/" + id + "/subjects", null).body())
                .isEqualTo(JSON.createArrayNode().add("byid-a-value").add("byid-b-value"));
        assertThat(call("GET", "/schemas/ids/" + id + "/versions", null).body().toString())
                .isEqualTo(
                        "[{\"subject\":\"byid-a-value\",\"version\":1},{\"subject\":\"byid-b-value\",\"version\":1}]");
        assertThat(call("GET", "/schemas/types", null).body())
                .isEqualTo(JSON.createArrayNode().add("AVRO"));
        assertError(call("GET", "/schemas/ids/999999", null), 404, 40403, "Schema 999999 not found");
        assertError(call("GET", "/schemas/ids/999999/versions", null), 404, 40403, "Schema 999999 not found");
    }

    @Test
    void globalAndSubjectCompatibilityConfig() {
        assertThat(call("GET", "/config", null).body().get("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");
        try {
            assertThat(call("PUT", "/config", "{\"compatibility\":\"full\"}")
                            .body()
                            .toString())
                    .isEqualTo("{\"compatibility\":\"FULL\"}");
            assertThat(call("GET", "/config", null)
                            .body()
                            .get("compatibilityLevel")
                            .asText())
                    .isEqualTo("FULL");
            assertError(call("PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203, "SIDEWAYS");

            assertError(call("GET", "/config/cfg-value", null), 404, 40408, "subject-level compatibility");
            assertThat(call("GET", "/config/cfg-value?defaultToGlobal=true", null)
                            .body()
                            .get("compatibilityLevel")
                            .asText())
                    .isEqualTo("FULL");
            assertThat(call("PUT", "/config/cfg-value", "{\"compatibility\":\"NONE\"}")
                            .status())
                    .isEqualTo(200);
            assertThat(call("GET", "/config/cfg-value", null)
                            .body()
                            .get("compatibilityLevel")
                            .asText())
                    .isEqualTo("NONE");
            assertThat(call("DELETE", "/config/cfg-value", null)
                            .body()
                            .get("compatibilityLevel")
                            .asText())
                    .isEqualTo("NONE");
            assertError(call("DELETE", "/config/cfg-value", null), 404, 40408, "cfg-value");
        } finally {
            assertThat(call("DELETE", "/config", null)
                            .body()
                            .get("compatibilityLevel")
                            .asText())
                    .isEqualTo("FULL");
        }
        assertThat(call("GET", "/config", null).body().get("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");
    }

    @Test
    void compatibilityTestsWithAndWithoutVerboseMessages() {
        register("compat-value", RESIDENT_V2);

        Reply ok = call("POST", "/compatibility/subjects/compat-value/versions/latest", schemaBody(RESIDENT_V1));
        Reply bad = call(
                "POST",
                "/compatibility/subjects/compat-value/versions/1?verbose=true",
                schemaBody(RESIDENT_WITH_EMAIL));
        Reply all = call("POST", "/compatibility/subjects/compat-value/versions", schemaBody(RESIDENT_WITH_EMAIL));

        assertThat(ok.body().toString()).isEqualTo("{\"is_compatible\":true}");
        assertThat(bad.body().get("is_compatible").asBoolean()).isFalse();
        assertThat(bad.body().get("messages").toString())
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                .contains("email")
                .contains("{oldSchemaVersion: 1}");
        assertThat(all.body().toString()).isEqualTo("{\"is_compatible\":false}");
        assertThat(call("POST", "/compatibility/subjects/compat-new-value/versions/latest", schemaBody(VEHICLE))
                        .body()
                        .get("is_compatible")
                        .asBoolean())
                .isTrue();
        assertError(
                call("POST", "/compatibility/subjects/compat-value/versions/9", schemaBody(RESIDENT_V1)),
                404,
                40402,
                "Version 9");
        assertError(
                call("POST", "/compatibility/subjects/compat-value/versions/latest", schemaBody("{\"type\":\"nope\"}")),
                422,
                42201,
                "nope");
    }

    @Test
    void modesGuardWrites() {
        register("mode-value", VEHICLE);
        assertThat(call("GET", "/mode", null).body().toString()).isEqualTo("{\"mode\":\"READWRITE\"}");
        try {
            assertThat(call("PUT", "/mode", "{\"mode\":\"READONLY\"}").body().toString())
                    .isEqualTo("{\"mode\":\"READONLY\"}");
            assertError(
                    call("POST", "/subjects/mode-value/versions", schemaBody(RESIDENT_V1)), 422, 42205, "read-only");
            assertError(call("PUT", "/mode", "{\"mode\":\"WRITEONLY\"}"), 422, 42204, "WRITEONLY");
            assertError(call("PUT", "/mode", "{\"mode\":\"IMPORT\"}"), 422, 42205, "existing subjects");
            assertThat(call("PUT", "/mode?force=true", "{\"mode\":\"IMPORT\"}").status())
                    .isEqualTo(200);
            Reply imported = call(
                    "POST",
                    "/subjects/mode-import-value/versions",
                    JSON.createObjectNode()
                            .put("schema", TestSchemas.numbered(77))
                            .put("id", 7000)
                            .put("version", 5)
                            .toString());
            assertThat(imported.body().toString()).isEqualTo("{\"id\":7000}");
            assertThat(call("GET", "/subjects/mode-import-value/versions", null).body())
                    .isEqualTo(JSON.createArrayNode().add(5));
        } finally {
            call("PUT", "/mode", "{\"mode\":\"READWRITE\"}");
        }
        assertThat(register("mode-after-value", TestSchemas.numbered(78))).isGreaterThan(7000);
    }

    @Test
    void contentTypesAndUnsupportedEndpoints() {
        Reply plainJson = call(
                "POST", "/subjects/ctype-value/versions", schemaBody(TestSchemas.numbered(90)), "application/json");
        Reply unversioned = call(
                "POST",
                "/subjects/ctype-value/versions",
                schemaBody(TestSchemas.numbered(90)),
                "application/vnd.schemaregistry+json");

        assertThat(plainJson.status()).isEqualTo(200);
        assertThat(unversioned.body()).isEqualTo(plainJson.body());
        assertError(
                call("POST", "/subjects/ctype-value/versions", schemaBody(VEHICLE), "text/plain"),
                415,
                415,
                "Unsupported Media Type");
        assertError(call("GET", "/contexts", null), 404, 404, "HTTP 404 Not Found");
        assertError(call("GET", "/subjects/ctype-value/versions/1/nothing", null), 404, 404, "Not Found");
        assertError(call("PATCH", "/subjects", "{}"), 405, 405, "Method Not Allowed");
        assertThat(call("GET", "/", null).body().toString()).isEqualTo("{}");
    }

    @Test
    void aWriteTheStoreCannotTakeIs50001() throws Exception {
        String topic = "_contract_store_error";
        try (EmbeddedSchemaRegistry doomed = EmbeddedSchemaRegistry.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .topic(topic)
                        .storeTimeout(Duration.ofSeconds(3))
                        .start();
                Admin admin = Admin.create(
                        java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            HttpRequest request = HttpRequest.newBuilder(URI.create(doomed.url() + "/subjects/doomed-value/versions"))
                    .header("Content-Type", V1_JSON)
                    .POST(HttpRequest.BodyPublishers.ofString(schemaBody(VEHICLE)))
                    .build();

            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

            JsonNode error = JSON.readTree(response.body());
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(error.get("error_code").asInt()).isEqualTo(50001);
            assertThat(error.get("message").asText()).contains(topic);
        }
    }
}
