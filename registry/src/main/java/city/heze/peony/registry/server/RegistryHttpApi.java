package city.heze.peony.registry.server;

import city.heze.peony.registry.ParsedAvroSchema;
import city.heze.peony.registry.SchemaRegistry;
import city.heze.peony.schemas.registry.CompatibilityLevel;
import city.heze.peony.schemas.registry.CompatibilityReport;
import city.heze.peony.schemas.registry.RegisteredSchema;
import city.heze.peony.schemas.registry.RegistryErrors;
import city.heze.peony.schemas.registry.RegistryMode;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import city.heze.peony.schemas.registry.SubjectVersion;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confluent Schema Registry's REST API over a {@link SchemaRegistry}: the paths, JSON bodies,
 * content types and error JSON ({@code {"error_code":40401,"message":"..."}}) that Confluent's
 * clients, and every client written against Confluent, expect. Unsupported paths answer 404 and
 * wrong methods 405, both in the same error JSON.
 */
final class RegistryHttpApi implements HttpHandler {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final List<String> ACCEPTED_BODY_TYPES = List.of(
            "application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json", "application/json");
    private static final Logger log = LoggerFactory.getLogger(RegistryHttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaRegistry registry;
    private final Optional<RegistryAccess> access;

    /** An answer: a status and a JSON body. */
    private record Answer(int status, JsonNode body) {
        static Answer ok(JsonNode body) {
            return new Answer(200, body);
        }
    }

    /** A request that cannot be served, answered with Confluent's error JSON. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final int errorCode;

        Refusal(int status, int errorCode, String message) {
            super(message, null, false, false);
            this.status = status;
            this.errorCode = errorCode;
        }

        static Refusal notFound() {
            return new Refusal(404, 404, "HTTP 404 Not Found");
        }
    }

    /** The parts of a request the routes read. */
    private record Call(
            String method,
            List<String> path,
            Map<String, String> query,
            HttpExchange exchange,
            Optional<String> principal,
            Optional<RegistryAccess> access) {
        String segment(int index) {
            return path.get(index);
        }

        /** Refuses, before anything changes, a write on {@code subject} the principal may not make. */
        void requireWrite(String subject) {
            if (access.isPresent() && !access.get().mayWrite(principal.orElseThrow(), subject)) {
                throw new Refusal(
                        403, 40301, "User " + principal.get() + " is denied operation Write on Subject: " + subject);
            }
        }

        /** The same for the global config and mode. */
        void requireGlobalWrite(String what) {
            if (access.isPresent() && !access.get().mayWriteGlobal(principal.orElseThrow())) {
                throw new Refusal(403, 40301, "User " + principal.get() + " is denied operation Write on " + what);
            }
        }

        boolean flag(String name) {
            return "true".equalsIgnoreCase(query.getOrDefault(name, "false"));
        }

        JsonNode body() {
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null) {
                String mediaType = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
                if (!ACCEPTED_BODY_TYPES.contains(mediaType)) {
                    throw new Refusal(415, 415, "HTTP 415 Unsupported Media Type: send one of " + ACCEPTED_BODY_TYPES);
                }
            }
            try {
                byte[] bytes = exchange.getRequestBody().readAllBytes();
                JsonNode node = bytes.length == 0 ? null : JSON.readTree(bytes);
                if (node == null || !node.isObject()) {
                    throw new Refusal(400, 400, "The request body must be a JSON object");
                }
                return node;
            } catch (JsonProcessingException e) {
                throw new Refusal(400, 400, "The request body is not JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new Refusal(400, 400, "The request body cannot be read: " + e.getMessage());
            }
        }
    }

    /** Serves {@code registry}; with {@code access}, every request must sign in and writes are checked. */
    RegistryHttpApi(SchemaRegistry registry, Optional<RegistryAccess> access) {
        this.registry = registry;
        this.access = access;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Answer answer;
            try {
                Optional<String> principal = authenticate(exchange);
                answer = route(new Call(
                        exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                        segments(exchange.getRequestURI().getRawPath()),
                        query(exchange.getRequestURI().getRawQuery()),
                        exchange,
                        principal,
                        access));
            } catch (SchemaRegistryException e) {
                answer = error(e.httpStatus(), e.errorCode(), e.registryMessage());
            } catch (Refusal e) {
                if (e.status == 401) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"peony-schema-registry\"");
                }
                answer = error(e.status, e.errorCode, e.getMessage());
            } catch (KafkaScramAuthenticator.KafkaUnavailableException e) {
                log.warn("Schema registry cannot check credentials: {}", e.getMessage());
                answer = error(503, 50301, "Service Unavailable: " + e.getMessage());
            } catch (RuntimeException e) {
                log.warn(
                        "Schema registry failed on {} {}",
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(),
                        e);
                answer = error(500, 500, "Internal error: " + e);
            }
            byte[] body = JSON.writeValueAsBytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The principal of the request's basic credentials; empty when the registry is open to all. */
    private Optional<String> authenticate(HttpExchange exchange) {
        if (access.isEmpty()) {
            return Optional.empty();
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        if (given == null || !given.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw unauthorized("this registry requires HTTP basic credentials (basic.auth.user.info)");
        }
        String userInfo;
        try {
            userInfo = new String(Base64.getDecoder().decode(given.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw unauthorized("the basic credentials are not Base64");
        }
        int colon = userInfo.indexOf(':');
        if (colon < 0) {
            throw unauthorized("the basic credentials have no ':' between user and password");
        }
        return Optional.of(access.get()
                .authenticate(userInfo.substring(0, colon), userInfo.substring(colon + 1))
                .orElseThrow(() -> unauthorized("wrong user name or password")));
    }

    private static Refusal unauthorized(String why) {
        return new Refusal(401, 401, "Unauthorized: " + why);
    }

    private Answer route(Call call) {
        List<String> path = call.path();
        if (path.isEmpty()) {
            return only(call, "GET", () -> Answer.ok(JSON.createObjectNode()));
        }
        switch (path.get(0)) {
            case "subjects":
                return subjects(call);
            case "schemas":
                return schemas(call);
            case "config":
                return config(call);
            case "compatibility":
                return compatibility(call);
            case "mode":
                return mode(call);
            default:
                throw Refusal.notFound();
        }
    }

    // ---- /subjects ----

    private Answer subjects(Call call) {
        List<String> path = call.path();
        switch (path.size()) {
            case 1:
                return only(call, "GET", () -> Answer.ok(strings(registry.subjects(call.flag("deleted")))));
            case 2: {
                String subject = call.segment(1);
                if (call.method().equals("POST")) {
                    RegisteredSchema found = registry.lookup(subject, schemaOf(call.body()), call.flag("deleted"));
                    return Answer.ok(registered(found));
                }
                if (call.method().equals("DELETE")) {
                    call.requireWrite(subject);
                    return Answer.ok(ints(registry.deleteSubject(subject, call.flag("permanent"))));
                }
                throw methodNotAllowed();
            }
            case 3: {
                requireSegment(path, 2, "versions");
                String subject = call.segment(1);
                if (call.method().equals("GET")) {
                    return Answer.ok(ints(registry.versions(subject, call.flag("deleted"))));
                }
                if (call.method().equals("POST")) {
                    call.requireWrite(subject);
                    return register(subject, call.body());
                }
                throw methodNotAllowed();
            }
            case 4: {
                requireSegment(path, 2, "versions");
                String subject = call.segment(1);
                int version = version(call.segment(3));
                if (call.method().equals("GET")) {
                    return Answer.ok(registered(registry.version(subject, version, call.flag("deleted"))));
                }
                if (call.method().equals("DELETE")) {
                    call.requireWrite(subject);
                    return Answer.ok(JSON.getNodeFactory()
                            .numberNode(registry.deleteVersion(subject, version, call.flag("permanent"))));
                }
                throw methodNotAllowed();
            }
            case 5: {
                requireSegment(path, 2, "versions");
                String subject = call.segment(1);
                int version = version(call.segment(3));
                if (path.get(4).equals("schema")) {
                    return only(
                            call,
                            "GET",
                            () -> Answer.ok(rawSchema(registry.version(subject, version, call.flag("deleted"))
                                    .schema())));
                }
                if (path.get(4).equals("referencedby")) {
                    // Peony stores no schema references, so nothing refers to any version.
                    return only(call, "GET", () -> {
                        registry.version(subject, version, true);
                        return Answer.ok(JSON.createArrayNode());
                    });
                }
                throw Refusal.notFound();
            }
            default:
                throw Refusal.notFound();
        }
    }

    private Answer register(String subject, JsonNode body) {
        String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw RegistryErrors.invalidSchema(
                    "schemaType '" + type + "' is not supported: Peony's registry stores Avro schemas only");
        }
        if (body.path("references").size() > 0) {
            throw RegistryErrors.invalidSchema("schema references are not supported by Peony's registry");
        }
        Integer id = optionalInt(body, "id");
        Integer version = optionalInt(body, "version");
        RegisteredSchema registered = registry.register(subject, schemaOf(body), id, version);
        return Answer.ok(JSON.createObjectNode().put("id", registered.id()));
    }

    // ---- /schemas ----

    private Answer schemas(Call call) {
        List<String> path = call.path();
        if (path.size() == 2 && path.get(1).equals("types")) {
            return only(call, "GET", () -> Answer.ok(strings(List.of("AVRO"))));
        }
        if (path.size() < 3 || path.size() > 4 || !path.get(1).equals("ids")) {
            throw Refusal.notFound();
        }
        int id = schemaId(path.get(2));
        if (path.size() == 3) {
            return only(call, "GET", () -> {
                ParsedAvroSchema schema = registry.schemaById(id);
                return Answer.ok(JSON.createObjectNode().put("schema", schema.canonical()));
            });
        }
        switch (path.get(3)) {
            case "schema":
                return only(
                        call,
                        "GET",
                        () -> Answer.ok(rawSchema(registry.schemaById(id).canonical())));
            case "versions":
                return only(call, "GET", () -> {
                    ArrayNode versions = JSON.createArrayNode();
                    for (SubjectVersion v : registry.subjectVersionsById(id, call.flag("deleted"))) {
                        versions.addObject().put("subject", v.subject()).put("version", v.version());
                    }
                    return Answer.ok(versions);
                });
            case "subjects":
                return only(call, "GET", () -> Answer.ok(strings(registry.subjectsById(id, call.flag("deleted")))));
            default:
                throw Refusal.notFound();
        }
    }

    // ---- /config ----

    private Answer config(Call call) {
        List<String> path = call.path();
        if (path.size() > 2) {
            throw Refusal.notFound();
        }
        String subject = path.size() == 2 ? call.segment(1) : null;
        switch (call.method()) {
            case "GET": {
                CompatibilityLevel level;
                if (subject == null) {
                    level = registry.globalCompatibility();
                } else if (call.flag("defaultToGlobal")) {
                    level = registry.effectiveCompatibility(subject);
                } else {
                    level = registry.subjectCompatibility(subject)
                            .orElseThrow(() -> RegistryErrors.subjectCompatibilityNotConfigured(subject));
                }
                return Answer.ok(JSON.createObjectNode().put("compatibilityLevel", level.name()));
            }
            case "PUT": {
                requireConfigWrite(call, subject);
                JsonNode body = call.body();
                JsonNode given = body.get("compatibility");
                CompatibilityLevel level =
                        CompatibilityLevel.parse(given == null || given.isNull() ? null : given.asText());
                registry.setCompatibility(subject, level);
                return Answer.ok(JSON.createObjectNode().put("compatibility", level.name()));
            }
            case "DELETE": {
                requireConfigWrite(call, subject);
                CompatibilityLevel previous = registry.deleteCompatibility(subject);
                return Answer.ok(JSON.createObjectNode().put("compatibilityLevel", previous.name()));
            }
            default:
                throw methodNotAllowed();
        }
    }

    private static void requireConfigWrite(Call call, String subject) {
        if (subject == null) {
            call.requireGlobalWrite("the global config");
        } else {
            call.requireWrite(subject);
        }
    }

    // ---- /compatibility ----

    private Answer compatibility(Call call) {
        List<String> path = call.path();
        if (path.size() < 4
                || path.size() > 5
                || !path.get(1).equals("subjects")
                || !path.get(3).equals("versions")) {
            throw Refusal.notFound();
        }
        return only(call, "POST", () -> {
            String subject = call.segment(2);
            String schema = schemaOf(call.body());
            CompatibilityReport report = path.size() == 4
                    ? registry.testCompatibility(subject, schema)
                    : registry.testCompatibility(subject, version(call.segment(4)), schema);
            ObjectNode answer = JSON.createObjectNode().put("is_compatible", report.compatible());
            if (call.flag("verbose")) {
                answer.set("messages", strings(report.messages()));
            }
            return Answer.ok(answer);
        });
    }

    // ---- /mode ----

    private Answer mode(Call call) {
        if (call.path().size() != 1) {
            throw Refusal.notFound();
        }
        switch (call.method()) {
            case "GET":
                return Answer.ok(
                        JSON.createObjectNode().put("mode", registry.mode().name()));
            case "PUT": {
                call.requireGlobalWrite("the global mode");
                JsonNode given = call.body().get("mode");
                RegistryMode mode = RegistryMode.parse(given == null || given.isNull() ? null : given.asText());
                registry.setMode(mode, call.flag("force"));
                return Answer.ok(JSON.createObjectNode().put("mode", mode.name()));
            }
            default:
                throw methodNotAllowed();
        }
    }

    // ---- helpers ----

    private interface Route {
        Answer serve();
    }

    private static Answer only(Call call, String method, Route route) {
        if (!call.method().equals(method)) {
            throw methodNotAllowed();
        }
        return route.serve();
    }

    private static Refusal methodNotAllowed() {
        return new Refusal(405, 405, "HTTP 405 Method Not Allowed");
    }

    private static void requireSegment(List<String> path, int index, String expected) {
        if (!path.get(index).equals(expected)) {
            throw Refusal.notFound();
        }
    }

    private static String schemaOf(JsonNode body) {
        JsonNode schema = body.get("schema");
        if (schema == null || schema.isNull()) {
            throw RegistryErrors.invalidSchema("the request has no 'schema' field");
        }
        // Confluent clients send the schema as a JSON string; accept an embedded object as well.
        return schema.isTextual() ? schema.asText() : schema.toString();
    }

    private static Integer optionalInt(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt()) {
            throw new Refusal(422, 422, "'" + field + "' must be a whole number, not " + value);
        }
        // Confluent's clients send id/version -1 or 0 to mean "not given".
        return value.asInt() <= 0 ? null : value.asInt();
    }

    /** A version path segment: a number from 1 or {@code latest} (or -1, Confluent's alias for it). */
    static int version(String segment) {
        if (segment.equalsIgnoreCase("latest") || segment.equals("-1")) {
            return SchemaRegistry.LATEST;
        }
        try {
            int version = Integer.parseInt(segment);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw RegistryErrors.invalidVersion(segment);
    }

    private static int schemaId(String segment) {
        try {
            return Integer.parseInt(segment);
        } catch (NumberFormatException e) {
            throw Refusal.notFound();
        }
    }

    private static Answer error(int status, int errorCode, String message) {
        return new Answer(
                status, JSON.createObjectNode().put("error_code", errorCode).put("message", message));
    }

    private static ObjectNode registered(RegisteredSchema schema) {
        return JSON.createObjectNode()
                .put("subject", schema.subject())
                .put("version", schema.version())
                .put("id", schema.id())
                .put("schema", schema.schema());
    }

    /** The schema itself as the body (it is JSON), as {@code .../schema} endpoints answer. */
    private static JsonNode rawSchema(String schemaText) {
        try {
            return JSON.readTree(schemaText);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored schema is not JSON: " + schemaText, e);
        }
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static ArrayNode ints(List<Integer> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    /** Path segments, percent-decoded one by one so that an encoded '/' stays inside a subject name. */
    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        if (rawPath == null) {
            return segments;
        }
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "true" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.put(name, value);
        }
        return query;
    }
}
