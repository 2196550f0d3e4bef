package city.heze.peony.schemas.registry;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * What Peony asks of a schema registry, in Confluent's terms. Two implementations: {@link
 * HttpSchemaRegistryClient} for any Confluent-compatible registry (Confluent, Karapace, Redpanda,
 * Apicurio's ccompat API, Peony's embedded one) and peony-registry's {@code
 * InProcessSchemaRegistryClient} for a registry in this JVM ({@link InProcessRegistries}). Build one from Confluent's config names with {@link
 * SchemaRegistryClients#fromConfig}.
 *
 * <p>Every failure is a {@link SchemaRegistryException} with the registry's error code.
 */
public interface SchemaRegistryClient extends AutoCloseable {
    /** The version number that stands for "latest" (Confluent accepts {@code latest} and {@code -1}). */
    int LATEST = -1;

    /** Registers the schema text under the subject (idempotent) and returns its id. */
    int register(String subject, String schemaText);

    /** Registers the schema under the subject and returns its id; cached per subject and schema. */
    default int register(String subject, Schema schema) {
        return register(subject, schema.toString());
    }

    /**
     * The version of the subject that holds the schema.
     *
     * @throws SchemaRegistryException 40401 unknown subject, 40403 schema not registered under it
     */
    RegisteredSchema lookup(String subject, String schemaText, boolean includeDeleted);

    /** The id of a schema already registered under the subject, without registering it; cached. */
    default int idOf(String subject, Schema schema) {
        return lookup(subject, schema.toString(), false).id();
    }

    /** The schema with this id; cached, since an id never changes its schema. @throws SchemaRegistryException 40403 */
    Schema schemaById(int id);

    /** The subject versions that use the schema id. */
    List<SubjectVersion> subjectVersionsById(int id);

    List<String> subjects(boolean includeDeleted);

    default List<String> subjects() {
        return subjects(false);
    }

    /** The live versions of a subject. @throws SchemaRegistryException 40401 */
    List<Integer> versions(String subject);

    /** One version of a subject. @throws SchemaRegistryException 40401, 40402 */
    RegisteredSchema version(String subject, int version);

    /** The latest live version of a subject. @throws SchemaRegistryException 40401 */
    RegisteredSchema latest(String subject);

    /** Soft-deletes a subject, or permanently deletes a soft-deleted one; returns the versions deleted. */
    List<Integer> deleteSubject(String subject, boolean permanent);

    /** Soft-deletes a version, or permanently deletes a soft-deleted one; returns its number. */
    int deleteVersion(String subject, int version, boolean permanent);

    CompatibilityLevel globalCompatibility();

    void setGlobalCompatibility(CompatibilityLevel level);

    /** The subject's own level; empty when it follows the global one. */
    Optional<CompatibilityLevel> subjectCompatibility(String subject);

    void setSubjectCompatibility(String subject, CompatibilityLevel level);

    /** Makes the subject follow the global level again. @throws SchemaRegistryException 40408 */
    void deleteSubjectCompatibility(String subject);

    /** Tests a schema against the versions the subject's level looks at; verbose messages included. */
    CompatibilityReport testCompatibility(String subject, String schemaText);

    /** Tests a schema against one version ({@link #LATEST} for the latest). */
    CompatibilityReport testCompatibility(String subject, int version, String schemaText);

    RegistryMode mode();

    /** Sets the global mode; IMPORT on a registry with subjects needs {@code force}. */
    void setMode(RegistryMode mode, boolean force);

    /** Where the registry is, for messages: a URL (without credentials) or {@code local://name}. */
    String location();

    @Override
    void close();
}
