package city.heze.peony.registry.server;

import city.heze.peony.registry.RegistryEvent;
import city.heze.peony.registry.RegistryEvent.CompatibilityChanged;
import city.heze.peony.registry.RegistryEvent.ModeChanged;
import city.heze.peony.registry.RegistryEvent.SchemaIdsReserved;
import city.heze.peony.registry.RegistryEvent.SchemaVersionErased;
import city.heze.peony.registry.RegistryEvent.SchemaVersionStored;
import city.heze.peony.registry.RegistryEvent.SubjectDeleted;
import city.heze.peony.schemas.registry.CompatibilityLevel;
import city.heze.peony.schemas.registry.RegistryMode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * Confluent Schema Registry's storage-topic layout: JSON keys such as {@code
 * {"keytype":"SCHEMA","subject":"s","version":1,"magic":1}} and JSON values such as {@code
 * {"subject":"s","version":1,"id":1,"schema":"...","deleted":false}}, with tombstones for permanent
 * deletes. Keys are written in Confluent's field order, byte for byte, so that compaction keeps the
 * latest record per key whichever registry wrote it.
 *
 * <p>The one addition is the highest id handed out, carried in the value of Confluent's NOOP key
 * (whose value Confluent ignores): permanent deletes write it first, so that compaction of the
 * deleted records cannot make an id look unused.
 */
final class StoreRecordFormat {
    static final String MAX_ID_FIELD = "peonyMaxSchemaId";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One record of the storage topic; {@code value} null is a tombstone. */
    record StoreRecord(byte[] key, byte[] value) {}

    private StoreRecordFormat() {}

    static StoreRecord encode(RegistryEvent event) {
        if (event instanceof SchemaVersionStored stored) {
            ObjectNode value = JSON.createObjectNode()
                    .put("subject", stored.subject())
                    .put("version", stored.version())
                    .put("id", stored.id())
                    .put("schema", stored.schema())
                    .put("deleted", stored.deleted());
            return record(schemaKey(stored.subject(), stored.version()), value);
        } else if (event instanceof SchemaVersionErased erased) {
            return record(schemaKey(erased.subject(), erased.version()), null);
        } else if (event instanceof SubjectDeleted deleted) {
            ObjectNode key = key("DELETE_SUBJECT", deleted.subject()).put("magic", 0);
            ObjectNode value =
                    JSON.createObjectNode().put("subject", deleted.subject()).put("version", deleted.upToVersion());
            return record(key, value);
        } else if (event instanceof CompatibilityChanged changed) {
            ObjectNode value = changed.level() == null
                    ? null
                    : JSON.createObjectNode()
                            .put("compatibilityLevel", changed.level().name());
            return record(key("CONFIG", changed.subject()).put("magic", 0), value);
        } else if (event instanceof ModeChanged changed) {
            ObjectNode value = changed.mode() == null
                    ? null
                    : JSON.createObjectNode().put("mode", changed.mode().name());
            return record(key("MODE", changed.subject()).put("magic", 0), value);
        } else if (event instanceof SchemaIdsReserved reserved) {
            return record(
                    JSON.createObjectNode().put("keytype", "NOOP").put("magic", 0),
                    JSON.createObjectNode().put(MAX_ID_FIELD, reserved.maxId()));
        }
        throw new IllegalArgumentException("no storage layout for " + event);
    }

    /**
     * The event a stored record stands for; empty for records that change nothing (Confluent's
     * plain NOOP markers, CLEAR_SUBJECT).
     *
     * @throws IllegalArgumentException saying what is wrong with the record
     */
    static Optional<RegistryEvent> decode(byte[] keyBytes, byte[] valueBytes) {
        JsonNode key = json(keyBytes, "key");
        JsonNode value = valueBytes == null ? null : json(valueBytes, "value");
        String keyType = key.path("keytype").asText("");
        String subject = key.hasNonNull("subject") ? key.get("subject").asText() : null;
        switch (keyType) {
            case "SCHEMA" -> {
                int version = requiredInt(key, "version", "key");
                if (value == null) {
                    return Optional.of(new SchemaVersionErased(required(subject, "subject"), version));
                }
                int id = requiredInt(value, "id", "value");
                String type = value.path("schemaType").asText("AVRO");
                if (!"AVRO".equalsIgnoreCase(type)) {
                    // Not a schema Peony can serve, but its id is taken: never hand it out again.
                    return Optional.of(new SchemaIdsReserved(id));
                }
                return Optional.of(new SchemaVersionStored(
                        required(subject, "subject"),
                        version,
                        id,
                        requiredText(value, "schema"),
                        value.path("deleted").asBoolean(false)));
            }
            case "CONFIG" -> {
                CompatibilityLevel level = value == null || !value.hasNonNull("compatibilityLevel")
                        ? null
                        : CompatibilityLevel.parse(
                                value.get("compatibilityLevel").asText());
                return Optional.of(new CompatibilityChanged(subject, level));
            }
            case "MODE" -> {
                RegistryMode mode = value == null || !value.hasNonNull("mode")
                        ? null
                        : RegistryMode.parse(value.get("mode").asText());
                return Optional.of(new ModeChanged(subject, mode));
            }
            case "DELETE_SUBJECT" -> {
                if (value == null) {
                    return Optional.empty();
                }
                return Optional.of(
                        new SubjectDeleted(required(subject, "subject"), requiredInt(value, "version", "value")));
            }
            case "NOOP" -> {
                if (value == null || !value.has(MAX_ID_FIELD)) {
                    return Optional.empty();
                }
                return Optional.of(new SchemaIdsReserved(requiredInt(value, MAX_ID_FIELD, "value")));
            }
            case "CLEAR_SUBJECT" -> {
                return Optional.empty();
            }
            default -> throw new IllegalArgumentException("unknown keytype '" + keyType + "' in key " + key);
        }
    }

    private static ObjectNode schemaKey(String subject, int version) {
        return key("SCHEMA", subject).put("version", version).put("magic", 1);
    }

    /** {@code keytype} then {@code subject}, which Confluent omits for global config and mode. */
    private static ObjectNode key(String keyType, String subject) {
        ObjectNode key = JSON.createObjectNode().put("keytype", keyType);
        if (subject != null) {
            key.put("subject", subject);
        }
        return key;
    }

    private static StoreRecord record(ObjectNode key, ObjectNode value) {
        try {
            return new StoreRecord(JSON.writeValueAsBytes(key), value == null ? null : JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write registry record as JSON: " + key, e);
        }
    }

    private static JsonNode json(byte[] bytes, String part) {
        if (bytes == null) {
            throw new IllegalArgumentException("the record has no " + part);
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("the " + part + " is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the " + part + " is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("the " + part + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String required(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("the key has no '" + field + "'");
        }
        return value;
    }

    private static String requiredText(JsonNode node, String field) {
        if (!node.hasNonNull(field)) {
            throw new IllegalArgumentException("the value has no '" + field + "'");
        }
        return node.get(field).asText();
    }

    private static int requiredInt(JsonNode node, String field, String part) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new IllegalArgumentException("the " + part + " has no whole-number '" + field + "'");
        }
        return value.asInt();
    }
}
