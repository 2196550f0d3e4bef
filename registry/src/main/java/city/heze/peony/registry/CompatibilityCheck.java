package city.heze.peony.registry;

import city.heze.peony.schemas.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Checks a candidate schema against earlier versions of a subject with Avro's own
 * {@link SchemaCompatibility}, and words each failure the way Confluent's verbose answers do:
 * {@code {errorType:'...', description:'...', additionalInfo:'...'}}, then the old version, the
 * old schema and the level.
 */
final class CompatibilityCheck {
    private CompatibilityCheck() {}

    /**
     * The reasons the candidate is not compatible with {@code earlier} under {@code level}; empty
     * when it is. {@code earlier} is already narrowed to the versions the level looks at.
     */
    static List<String> incompatibilities(CompatibilityLevel level, Schema candidate, List<StoredVersion> earlier) {
        List<String> messages = new ArrayList<>();
        if (level == CompatibilityLevel.NONE) {
            return messages;
        }
        for (StoredVersion old : earlier) {
            List<String> reasons = new ArrayList<>();
            Schema oldSchema = old.schema().schema();
            if (level.backward()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, oldSchema), old, true, reasons);
            }
            if (level.forward()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(oldSchema, candidate), old, false, reasons);
            }
            if (!reasons.isEmpty()) {
                messages.addAll(reasons);
                messages.add("{oldSchemaVersion: " + old.version() + "}");
                messages.add("{oldSchema: '" + old.schema().canonical() + "'}");
            }
        }
        if (!messages.isEmpty()) {
            messages.add("{compatibility: '" + level.name() + "'}");
        }
        return messages;
    }

    private static void describe(
            SchemaCompatibility.SchemaPairCompatibility pair,
            StoredVersion old,
            boolean newSchemaReads,
            List<String> reasons) {
        if (pair.getResult().getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility incompatibility : pair.getResult().getIncompatibilities()) {
            String direction = newSchemaReads
                    ? "The new schema cannot read data written with version " + old.version()
                    : "Version " + old.version() + " cannot read data written with the new schema";
            String description =
                    direction + " at path '" + incompatibility.getLocation() + "': " + incompatibility.getMessage();
            reasons.add("{errorType:'" + incompatibility.getType() + "', description:'" + description
                    + "', additionalInfo:'" + incompatibility.getMessage() + "'}");
        }
    }
}
