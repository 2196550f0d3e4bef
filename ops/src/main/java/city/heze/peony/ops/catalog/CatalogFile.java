package city.heze.peony.ops.catalog;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.OpenField;
import city.heze.peony.avro.common.OpenTreatment;
import city.heze.peony.avro.common.OpenType;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.avro.common.Severity;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.avro.common.UpdateCycle;
import city.heze.peony.producers.CatalogRegistrar;
import city.heze.peony.schemas.CatalogKeys;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.opendata.OpenDefinitionException;
import city.heze.peony.streams.opendata.OpenSchemas;
import city.heze.peony.streams.rules.CatalogRules;
import city.heze.peony.streams.rules.RuleDefinitionException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.specific.SpecificData;

/**
 * A catalog entry kept as code: one YAML (or JSON) file per catalog under {@code ops/catalog/}.
 * Loading checks everything that can be checked without a cluster (the id, the enums, the schema,
 * the key field, every rule against the schema), so that a bad file is refused with the file, the
 * field and what was expected, before anything is registered.
 */
public final class CatalogFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KNOWN_FIELDS = Set.of(
            "id",
            "resourceCode",
            "name",
            "department",
            "departmentName",
            "description",
            "schema",
            "shareType",
            "shareCondition",
            "shareMethod",
            "openType",
            "updateCycle",
            "shareDeadlineWorkingDays",
            "keyField",
            "partitions",
            "rules",
            "open");

    private final Path file;

    private CatalogFile(Path file) {
        this.file = file;
    }

    /** Loads and checks one catalog file. @throws CatalogFileException naming the file and field */
    public static CatalogEntry load(Path file) {
        return loadRequest(file).entry();
    }

    /**
     * Loads and checks one catalog file, with its {@code partitions:} if it has one (the partitions
     * of its raw and shared topics; without it, new topics get the registrar's default).
     *
     * @throws CatalogFileException naming the file and field
     */
    public static CatalogRegistrar.Request loadRequest(Path file) {
        return new CatalogFile(file).read();
    }

    /** Every {@code *.yaml}, {@code *.yml} and {@code *.json} file of a folder, sorted by name. */
    public static List<Path> filesIn(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.filter(f -> f.toString().matches(".*\\.(ya?ml|json)$"))
                    .sorted()
                    .toList();
        }
    }

    private CatalogRegistrar.Request read() {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw fail(null, "no such file");
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String first = e.getOriginalMessage().strip().lines().findFirst().orElse("");
            throw new CatalogFileException(file + (loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr())
                    + ": not valid YAML: " + first);
        } catch (IOException e) {
            throw fail(null, "cannot read it: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw fail(null, "expected a mapping with the catalog's fields (id, name, department, schema, ...)");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KNOWN_FIELDS.contains(name)) {
                throw fail(name, "unknown field; expected one of " + new java.util.TreeSet<>(KNOWN_FIELDS));
            }
        }
        String id = text(root, "id", true);
        try {
            Topics.requireCatalogId(id);
        } catch (IllegalArgumentException e) {
            throw fail("id", e.getMessage());
        }
        String expectedName = file.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
        if (!expectedName.equals(id)) {
            throw fail("id", "'" + id + "' differs from the file name; name the file " + id + ".yaml");
        }
        Schema schema = schema(root.get("schema"));
        String keyField = text(root, "keyField", false);
        String effectiveKey = CatalogKeys.keyField(keyField);
        Schema.Field key = schema.getField(effectiveKey);
        if (key == null || key.schema().getType() != Schema.Type.STRING) {
            throw fail(
                    "keyField",
                    "the record key field '" + effectiveKey + "' must be a string field of " + schema.getFullName()
                            + " (fields: " + fieldNames(schema) + ")");
        }
        List<FieldRule> rules = rules(root.get("rules"));
        try {
            CatalogRules.compile(rules, schema);
        } catch (RuleDefinitionException e) {
            throw fail("rules", e.getMessage());
        }
        List<OpenField> openFields = new ArrayList<>();
        List<String> openRequired = new ArrayList<>();
        open(root.get("open"), openFields, openRequired);
        try {
            OpenSchemas.check(schema, openFields, openRequired);
        } catch (OpenDefinitionException e) {
            throw fail("open", e.getMessage());
        }
        Integer deadline = null;
        if (root.hasNonNull("shareDeadlineWorkingDays")) {
            JsonNode d = root.get("shareDeadlineWorkingDays");
            if (!d.canConvertToInt() || !d.isIntegralNumber() || d.intValue() < 1 || d.intValue() > 250) {
                throw fail("shareDeadlineWorkingDays", "'" + d.asText() + "' is not a number of working days (1..250)");
            }
            deadline = d.intValue();
        }
        OptionalInt partitions = OptionalInt.empty();
        if (root.hasNonNull("partitions")) {
            JsonNode p = root.get("partitions");
            if (!p.isIntegralNumber() || !p.canConvertToInt() || p.intValue() < 1) {
                throw fail("partitions", "'" + p.asText() + "' is not a partition count (1 or more)");
            }
            partitions = OptionalInt.of(p.intValue());
        }
        CatalogEntry entry = CatalogEntry.newBuilder()
                .setId(id)
                .setResourceCode(text(root, "resourceCode", true))
                .setName(text(root, "name", true))
                .setDepartment(department(text(root, "department", true)))
                .setDepartmentName(text(root, "departmentName", false))
                .setDescription(text(root, "description", false))
                .setSchema$(schema.toString())
                .setShareType(symbol(root, "shareType", ShareType.class, true))
                .setShareCondition(text(root, "shareCondition", false))
                .setShareMethod(text(root, "shareMethod", false))
                .setOpenType(symbol(root, "openType", OpenType.class, true))
                .setUpdateCycle(symbol(root, "updateCycle", UpdateCycle.class, true))
                .setFieldRules(rules)
                .setShareDeadlineWorkingDays(deadline)
                .setKeyField(keyField)
                .setOpenFields(openFields)
                .setOpenRequired(openRequired)
                .setPublishedAt(Instant.EPOCH)
                .build();
        return new CatalogRegistrar.Request(entry, partitions);
    }

    private String department(String code) {
        if (!code.matches("[a-z]{2,8}")) {
            throw fail(
                    "department", "'" + code + "' is not a department short code (2 to 8 lower-case letters, e.g. mz)");
        }
        return code;
    }

    private Schema schema(JsonNode node) {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw fail(
                    "schema",
                    "expected exactly one of 'record: <generated class>', 'file: <path.avsc>' or 'inline: <schema>'");
        }
        String kind = node.fieldNames().next();
        JsonNode value = node.get(kind);
        Schema schema;
        try {
            schema = switch (kind) {
                case "record" -> recordSchema(value.asText());
                case "file" ->
                    new Schema.Parser()
                            .parse(file.resolveSibling(value.asText()).toFile());
                case "inline" -> new Schema.Parser().parse(JSON.writeValueAsString(value));
                default -> throw fail("schema." + kind, "expected 'record', 'file' or 'inline'");
            };
        } catch (SchemaParseException e) {
            throw fail("schema." + kind, "not a valid Avro schema: " + e.getMessage());
        } catch (IOException e) {
            throw fail("schema." + kind, "cannot read " + value.asText() + ": " + e.getMessage());
        }
        if (schema.getType() != Schema.Type.RECORD) {
            throw fail("schema." + kind, "expected an Avro record schema, found " + schema.getType());
        }
        return schema;
    }

    private Schema recordSchema(String className) {
        try {
            return SpecificData.get().getSchema(Class.forName(className));
        } catch (ClassNotFoundException e) {
            throw fail("schema.record", "no generated Avro class " + className + " in Peony's contracts");
        }
    }

    private List<FieldRule> rules(JsonNode node) {
        List<FieldRule> rules = new ArrayList<>();
        if (node == null || node.isNull()) {
            return rules;
        }
        if (!node.isArray()) {
            throw fail("rules", "expected a list of rules");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode r = node.get(i);
            String where = "rules[" + i + "]";
            if (!r.isObject()) {
                throw fail(where, "expected a mapping with id, field, kind, parameters, severity");
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            JsonNode params = r.get("parameters");
            if (params != null && !params.isNull()) {
                if (!params.isObject()) {
                    throw fail(where + ".parameters", "expected a mapping of names to values");
                }
                params.fields()
                        .forEachRemaining(
                                p -> parameters.put(p.getKey(), p.getValue().asText()));
            }
            rules.add(FieldRule.newBuilder()
                    .setRuleId(text(r, "id", true, where))
                    .setField(text(r, "field", false, where))
                    .setKind(symbol(r, "kind", RuleKind.class, true, where))
                    .setParameters(parameters)
                    .setSeverity(
                            r.hasNonNull("severity")
                                    ? symbol(r, "severity", Severity.class, true, where)
                                    : Severity.BLOCKING)
                    .setDescription(text(r, "description", false, where))
                    .build());
        }
        return rules;
    }

    /**
     * The {@code open:} section: how each field is treated when the catalog is opened, and the
     * fields a record needs to be opened at all.
     *
     * <pre>
     * open:
     *   required: [creditCode, entityName]
     *   fields:
     *     - {field: legalRepresentative, treatment: MASK, parameters: {keepFirst: "1", personName: "true"}}
     *     - {field: legalRepresentativeId, treatment: DROP}
     * </pre>
     */
    private void open(JsonNode node, List<OpenField> fields, List<String> required) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw fail("open", "expected a mapping with 'fields' (a list of field treatments) and 'required'");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("fields") && !name.equals("required")) {
                throw fail("open." + name, "unknown field; expected 'fields' or 'required'");
            }
        }
        JsonNode list = node.get("fields");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw fail("open.fields", "expected a list of {field, treatment, parameters}, one per opened field");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode f = list.get(i);
            String where = "open.fields[" + i + "]";
            if (!f.isObject()) {
                throw fail(where, "expected a mapping with field, treatment and parameters");
            }
            for (Iterator<String> names = f.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!Set.of("field", "treatment", "parameters").contains(name)) {
                    throw fail(where + "." + name, "unknown field; expected field, treatment or parameters");
                }
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            JsonNode params = f.get("parameters");
            if (params != null && !params.isNull()) {
                if (!params.isObject()) {
                    throw fail(where + ".parameters", "expected a mapping of names to values");
                }
                params.fields()
                        .forEachRemaining(
                                p -> parameters.put(p.getKey(), p.getValue().asText()));
            }
            fields.add(new OpenField(
                    text(f, "field", true, where),
                    symbol(f, "treatment", OpenTreatment.class, true, where),
                    parameters));
        }
        JsonNode req = node.get("required");
        if (req != null && !req.isNull()) {
            if (!req.isArray()) {
                throw fail("open.required", "expected a list of field names");
            }
            for (JsonNode r : req) {
                if (!r.isTextual() || r.asText().isBlank()) {
                    throw fail("open.required", "expected field names, found '" + r + "'");
                }
                required.add(r.asText());
            }
        }
    }

    private String text(JsonNode node, String field, boolean required) {
        return text(node, field, required, null);
    }

    private String text(JsonNode node, String field, boolean required, String parent) {
        JsonNode value = node.get(field);
        String where = parent == null ? field : parent + "." + field;
        if (value == null
                || value.isNull()
                || (value.isTextual() && value.asText().isBlank())) {
            if (required) {
                throw fail(where, "missing; it is required");
            }
            return null;
        }
        if (!value.isValueNode()) {
            throw fail(where, "expected a text value");
        }
        return value.asText();
    }

    private <E extends Enum<E>> E symbol(JsonNode node, String field, Class<E> type, boolean required) {
        return symbol(node, field, type, required, null);
    }

    private <E extends Enum<E>> E symbol(JsonNode node, String field, Class<E> type, boolean required, String parent) {
        String value = text(node, field, required, parent);
        String where = parent == null ? field : parent + "." + field;
        List<String> allowed = Arrays.stream(type.getEnumConstants())
                .map(Enum::name)
                .filter(n -> !n.equals("UNKNOWN"))
                .toList();
        if (!allowed.contains(value)) {
            throw fail(where, "'" + value + "' is not one of " + allowed);
        }
        return Enum.valueOf(type, value);
    }

    private static String fieldNames(Schema schema) {
        return schema.getFields().stream().map(Schema.Field::name).toList().toString();
    }

    private CatalogFileException fail(String field, String message) {
        return new CatalogFileException(file + (field == null ? "" : ": field '" + field + "'") + ": " + message);
    }
}
