package city.heze.peony.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * A client of any registry that speaks Confluent's REST API, over the JDK {@link HttpClient}.
 *
 * <p>Schemas by id and ids by subject and schema are cached (an id never changes its schema), so
 * serdes reach the registry once per schema. Calls that may safely repeat are retried with
 * exponential backoff, moving to the next URL when one does not answer; a registry that never
 * answers gives a {@link SchemaRegistryException} with code {@link RegistryErrors#UNREACHABLE}
 * naming the URLs.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How to reach the registry; see {@link SchemaRegistryClients} for the config names. */
    public record Settings(
            List<URI> urls,
            Optional<String> basicAuthUserInfo,
            int maxRetries,
            Duration retryWait,
            Duration retryMaxWait,
            Duration connectTimeout,
            Duration requestTimeout) {
        public Settings {
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("at least one schema registry URL is needed");
            }
            urls = List.copyOf(urls);
        }

        /** Default retries and timeouts for the given URLs. */
        public static Settings of(List<URI> urls) {
            return new Settings(
                    urls,
                    Optional.empty(),
                    3,
                    Duration.ofMillis(100),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(30));
        }
    }

    private record SubjectSchema(String subject, Schema schema) {}

    private final Settings settings;
    private final HttpClient http;
    private final Optional<String> authorization;
    private final AtomicInteger nextUrl = new AtomicInteger();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    public HttpSchemaRegistryClient(Settings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
        this.authorization = settings.basicAuthUserInfo()
                .map(userInfo -> "Basic "
                        + java.util.Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    }

    // ---- registration and lookup (cached) ----

    @Override
    public int register(String subject, String schemaText) {
        JsonNode answer = call("POST", subjectPath(subject) + "/versions", schemaBody(schemaText), true);
        return requiredInt(answer, "id");
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        int id = register(subject, schema.toString());
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public RegisteredSchema lookup(String subject, String schemaText, boolean includeDeleted) {
        JsonNode answer =
                call("POST", subjectPath(subject) + deletedQuery(includeDeleted), schemaBody(schemaText), true);
        return registered(answer);
    }

    @Override
    public int idOf(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        int id = lookup(subject, schema.toString(), false).id();
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("GET", "/schemas/ids/" + id, null, true);
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw new SchemaRegistryException(
                    RegistryErrors.INVALID_SCHEMA,
                    "Schema " + id + " at " + location() + " is a " + type + " schema; Peony reads Avro only");
        }
        Schema schema = new Schema.Parser().parse(requiredText(answer, "schema"));
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    @Override
    public List<SubjectVersion> subjectVersionsById(int id) {
        List<SubjectVersion> result = new ArrayList<>();
        for (JsonNode node : call("GET", "/schemas/ids/" + id + "/versions", null, true)) {
            result.add(new SubjectVersion(requiredText(node, "subject"), requiredInt(node, "version")));
        }
        return result;
    }

    // ---- subjects and versions ----

    @Override
    public List<String> subjects(boolean includeDeleted) {
        List<String> subjects = new ArrayList<>();
        call("GET", "/subjects" + deletedQuery(includeDeleted), null, true).forEach(n -> subjects.add(n.asText()));
        return subjects;
    }

    @Override
    public List<Integer> versions(String subject) {
        return ints(call("GET", subjectPath(subject) + "/versions", null, true));
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return registered(call("GET", subjectPath(subject) + "/versions/" + versionSegment(version), null, true));
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return version(subject, LATEST);
    }

    @Override
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        return ints(call("DELETE", subjectPath(subject) + permanentQuery(permanent), null, false));
    }

    @Override
    public int deleteVersion(String subject, int version, boolean permanent) {
        JsonNode answer = call(
                "DELETE",
                subjectPath(subject) + "/versions/" + versionSegment(version) + permanentQuery(permanent),
                null,
                false);
        return answer.asInt();
    }

    // ---- compatibility ----

    @Override
    public CompatibilityLevel globalCompatibility() {
        return CompatibilityLevel.parse(requiredText(call("GET", "/config", null, true), "compatibilityLevel"));
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        call("PUT", "/config", compatibilityBody(level), true);
    }

    @Override
    public Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        try {
            JsonNode answer = call("GET", "/config/" + encode(subject), null, true);
            return Optional.of(CompatibilityLevel.parse(requiredText(answer, "compatibilityLevel")));
        } catch (SchemaRegistryException e) {
            // Confluent answers 40408; older registries answer 40401 for a subject without a level.
            if (e.errorCode() == RegistryErrors.SUBJECT_COMPATIBILITY_NOT_CONFIGURED
                    || e.errorCode() == RegistryErrors.SUBJECT_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        call("PUT", "/config/" + encode(subject), compatibilityBody(level), true);
    }

    @Override
    public void deleteSubjectCompatibility(String subject) {
        call("DELETE", "/config/" + encode(subject), null, false);
    }

    @Override
    public CompatibilityReport testCompatibility(String subject, String schemaText) {
        return report(call(
                "POST",
                "/compatibility/subjects/" + encode(subject) + "/versions?verbose=true",
                schemaBody(schemaText),
                true));
    }

    @Override
    public CompatibilityReport testCompatibility(String subject, int version, String schemaText) {
        return report(call(
                "POST",
                "/compatibility/subjects/" + encode(subject) + "/versions/" + versionSegment(version) + "?verbose=true",
                schemaBody(schemaText),
                true));
    }

    // ---- mode ----

    @Override
    public RegistryMode mode() {
        return RegistryMode.parse(requiredText(call("GET", "/mode", null, true), "mode"));
    }

    @Override
    public void setMode(RegistryMode mode, boolean force) {
        ObjectNode body = JSON.createObjectNode().put("mode", mode.name());
        call("PUT", "/mode" + (force ? "?force=true" : ""), body, true);
    }

    @Override
    public String location() {
        return settings.urls().stream().map(URI::toString).collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        schemasById.clear();
        idsBySubjectSchema.clear();
    }

    // ---- HTTP ----

    /**
     * Sends one request, retrying when it may: any request that never reached a registry
     * (connection refused) and, for idempotent calls, timeouts and 5xx/429 answers.
     */
    private JsonNode call(String method, String pathAndQuery, JsonNode body, boolean idempotent) {
        List<URI> urls = settings.urls();
        int attempts = settings.maxRetries() + 1;
        int start = Math.floorMod(nextUrl.get(), urls.size());
        Exception lastFailure = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            URI base = urls.get((start + attempt) % urls.size());
            boolean lastAttempt = attempt == attempts - 1;
            try {
                HttpResponse<String> response = http.send(request(base, method, pathAndQuery, body), BodyHandlers.UTF8);
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    nextUrl.set((start + attempt) % urls.size());
                    return parse(response.body(), base, pathAndQuery);
                }
                SchemaRegistryException error = errorOf(response, base);
                if (!idempotent || lastAttempt || (status < 500 && status != 429)) {
                    throw error;
                }
                lastFailure = error;
            } catch (ConnectException e) {
                lastFailure = e;
            } catch (IOException e) {
                if (!idempotent) {
                    throw unreachable(method, pathAndQuery, attempt + 1, e);
                }
                lastFailure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unreachable(method, pathAndQuery, attempt + 1, e);
            }
            if (!lastAttempt) {
                pause(attempt);
            }
        }
        if (lastFailure instanceof SchemaRegistryException answered) {
            throw answered;
        }
        throw unreachable(method, pathAndQuery, attempts, lastFailure);
    }

    private SchemaRegistryException unreachable(String method, String path, int attempts, Exception cause) {
        return new SchemaRegistryException(
                RegistryErrors.UNREACHABLE,
                "Schema registry at " + location() + " is unreachable (" + method + " " + path + ", " + attempts
                        + " attempt" + (attempts == 1 ? "" : "s") + "): " + cause,
                cause);
    }

    private void pause(int attempt) {
        long wait = Math.min(
                settings.retryMaxWait().toMillis(), settings.retryWait().toMillis() << Math.min(attempt, 20));
        long jittered = wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
        try {
            Thread.sleep(jittered);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest request(URI base, String method, String pathAndQuery, JsonNode body) {
        String root = base.toString().endsWith("/")
                ? base.toString().substring(0, base.toString().length() - 1)
                : base.toString();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(root + pathAndQuery))
                .timeout(settings.requestTimeout())
                .header("Accept", ACCEPT)
                .header("User-Agent", "peony-schemas");
        authorization.ifPresent(value -> builder.header("Authorization", value));
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static JsonNode parse(String body, URI base, String path) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException(
                    RegistryErrors.INVALID_ANSWER,
                    "Schema registry at " + base + " answered " + path + " with something that is not JSON: "
                            + abbreviate(body),
                    e);
        }
    }

    private static SchemaRegistryException errorOf(HttpResponse<String> response, URI base) {
        try {
            JsonNode error = JSON.readTree(response.body());
            if (error != null && error.has("error_code")) {
                return new SchemaRegistryException(
                        error.get("error_code").asInt(), error.path("message").asText(""));
            }
        } catch (JsonProcessingException e) {
            // Not Confluent's error JSON (a proxy's HTML page, say): report the status and body.
        }
        return new SchemaRegistryException(
                response.statusCode(),
                "HTTP " + response.statusCode() + " from " + base + ": " + abbreviate(response.body()));
    }

    private static String abbreviate(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }

    private static ObjectNode schemaBody(String schemaText) {
        return JSON.createObjectNode().put("schema", schemaText);
    }

    private static ObjectNode compatibilityBody(CompatibilityLevel level) {
        return JSON.createObjectNode().put("compatibility", level.name());
    }

    private static RegisteredSchema registered(JsonNode node) {
        return new RegisteredSchema(
                requiredText(node, "subject"),
                requiredInt(node, "version"),
                requiredInt(node, "id"),
                requiredText(node, "schema"));
    }

    private static CompatibilityReport report(JsonNode node) {
        List<String> messages = new ArrayList<>();
        node.path("messages").forEach(m -> messages.add(m.asText()));
        return new CompatibilityReport(node.path("is_compatible").asBoolean(false), messages);
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asInt()));
        return result;
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new SchemaRegistryException(
                    RegistryErrors.INVALID_ANSWER,
                    "Schema registry answer lacks '" + field + "': " + abbreviate(node.toString()));
        }
        return value.asText();
    }

    private static int requiredInt(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException(
                    RegistryErrors.INVALID_ANSWER,
                    "Schema registry answer lacks '" + field + "': " + abbreviate(node.toString()));
        }
        return value.asInt();
    }

    private static String subjectPath(String subject) {
        return "/subjects/" + encode(subject);
    }

    private static String versionSegment(int version) {
        return version == LATEST ? "latest" : Integer.toString(version);
    }

    private static String deletedQuery(boolean includeDeleted) {
        return includeDeleted ? "?deleted=true" : "";
    }

    private static String permanentQuery(boolean permanent) {
        return permanent ? "?permanent=true" : "";
    }

    /** Percent-encodes a path segment (a subject may hold any character, '/' included). */
    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static final class BodyHandlers {
        static final HttpResponse.BodyHandler<String> UTF8 = HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8);
    }
}
