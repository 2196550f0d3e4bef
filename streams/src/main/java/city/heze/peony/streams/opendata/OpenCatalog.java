package city.heze.peony.streams.opendata;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.OpenField;
import city.heze.peony.avro.common.OpenTreatment;
import city.heze.peony.schemas.CatalogKeys;
import city.heze.peony.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * One version of a catalog, ready to open records: its schema (what shared records are decoded
 * into), the derived open schema, the masking, and the positions the checks need. Compiled once
 * per entry version on the global thread. A catalog whose open section cannot be applied stays
 * here with the reason: if it is OPEN, its records are withheld with that reason (and count against
 * the open-qualified rate) rather than opened unchecked.
 *
 * <p>The open schema's registry id is found by the first stream thread that opens a record of this
 * version ({@link #openSchemaId}, {@link #registered}); it is never asked again for this version.
 */
public final class OpenCatalog {
    private final String catalogId;
    private final CatalogEntry entry;
    private final Schema schema;
    private final Schema openSchema;
    private final OpenMasking masking;
    private final int[] nameFields;
    private final String[] nameFieldNames;
    private final int[] requiredFields;
    private final boolean keyOpened;
    private final String unusableReason;
    private volatile int openSchemaId = -1;
    private volatile String registrationFailure;

    private OpenCatalog(
            String catalogId,
            CatalogEntry entry,
            Schema schema,
            Schema openSchema,
            OpenMasking masking,
            int[] nameFields,
            String[] nameFieldNames,
            int[] requiredFields,
            boolean keyOpened,
            String unusableReason) {
        this.catalogId = catalogId;
        this.entry = entry;
        this.schema = schema;
        this.openSchema = openSchema;
        this.masking = masking;
        this.nameFields = nameFields;
        this.nameFieldNames = nameFieldNames;
        this.requiredFields = requiredFields;
        this.keyOpened = keyOpened;
        this.unusableReason = unusableReason;
    }

    public static OpenCatalog compile(String catalogId, CatalogEntry entry) {
        String where = "catalog " + catalogId + " (published " + entry.getPublishedAt() + ")";
        Schema schema;
        try {
            schema = new Schema.Parser().parse(entry.getSchema$());
        } catch (SchemaParseException | NullPointerException e) {
            return unusable(catalogId, entry, where + ": its schema is not valid Avro (" + e.getMessage() + ")");
        }
        List<OpenField> openFields = OpenCatalogs.fieldsOf(entry);
        if (openFields.isEmpty()) {
            return unusable(
                    catalogId,
                    entry,
                    where + " is OPEN but declares no open treatment of its fields; expected an open: section"
                            + " (peony catalog register with the catalog file's open: fields)");
        }
        try {
            OpenSchemas.check(schema, openFields, entry.getOpenRequired());
        } catch (OpenDefinitionException e) {
            return unusable(catalogId, entry, where + ": its open section cannot be applied: " + e.getMessage());
        }
        Schema openSchema = OpenSchemas.derive(schema, openFields);
        List<Integer> names = new ArrayList<>();
        List<String> nameNames = new ArrayList<>();
        for (OpenField open : openFields) {
            if ("true".equals(open.getParameters().get(OpenSchemas.PERSON_NAME))) {
                names.add(schema.getField(open.getField()).pos());
                nameNames.add(open.getField());
            }
        }
        int[] required = entry.getOpenRequired().stream()
                .mapToInt(f -> openSchema.getField(f).pos())
                .toArray();
        boolean keyOpened =
                OpenSchemas.treatmentOf(openFields, CatalogKeys.keyField(entry.getKeyField())) == OpenTreatment.KEEP;
        return new OpenCatalog(
                catalogId,
                entry,
                schema,
                openSchema,
                OpenMasking.compile(schema, openSchema, openFields),
                names.stream().mapToInt(Integer::intValue).toArray(),
                nameNames.toArray(String[]::new),
                required,
                keyOpened,
                null);
    }

    static OpenCatalog unusable(String catalogId, CatalogEntry entry, String reason) {
        return new OpenCatalog(
                catalogId, entry, null, null, null, new int[0], new String[0], new int[0], false, reason);
    }

    public String catalogId() {
        return catalogId;
    }

    /** The entry; null when it could not be read. */
    public CatalogEntry entry() {
        return entry;
    }

    public String department() {
        return entry == null ? null : entry.getDepartment();
    }

    /** Whether the catalog is to be opened at all (its open type is OPEN). */
    public boolean isOpen() {
        return entry != null && OpenChecks.isOpen(entry.getOpenType());
    }

    public boolean usable() {
        return unusableReason == null && registrationFailure == null;
    }

    public String unusableReason() {
        return unusableReason != null ? unusableReason : registrationFailure;
    }

    public Schema schema() {
        return schema;
    }

    public Schema openSchema() {
        return openSchema;
    }

    OpenMasking masking() {
        return masking;
    }

    int[] nameFields() {
        return nameFields;
    }

    String[] nameFieldNames() {
        return nameFieldNames;
    }

    int[] requiredFields() {
        return requiredFields;
    }

    /** Whether the Kafka key (the key field's value) may go on to open.*; it does only when that field is KEEP. */
    boolean keyOpened() {
        return keyOpened;
    }

    /** The open schema's id under {@code open.<catalog>-value}; -1 until registered. */
    int openSchemaId() {
        return openSchemaId;
    }

    void registered(int id) {
        openSchemaId = id;
    }

    /** The registry refused the open schema: this version's records are withheld with the reason. */
    void refused(String reason) {
        registrationFailure = "the open schema of catalog " + catalogId + " was refused under "
                + Topics.openValueSubject(catalogId) + ": " + reason
                + "; expected a schema compatible with the registered ones (a field's open type changed?)";
    }
}
