package city.heze.peony.streams.validation;

import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.RegistryErrors;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import city.heze.peony.schemas.registry.SubjectVersion;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Decides whether a writer schema id belongs to a catalog: the id is in the registry, it is
 * registered under the catalog's subject {@code raw.<id>-value}, and it resolves to the catalog's
 * record schema. The answer is cached on the catalog version; an unknown id only for a while,
 * since it may be registered later.
 */
final class WriterSchemas {
    /** How long an unknown schema id stays unknown before the registry is asked again. */
    static final long UNKNOWN_ID_RETRY_MS = 10_000;

    private final SchemaRegistryClient client;

    WriterSchemas(SchemaRegistryClient client) {
        this.client = client;
    }

    /**
     * The cached answer for the id, asking the registry when there is none (or an unknown id's
     * answer expired).
     *
     * @throws RegistryUnavailableException when the registry cannot answer
     */
    WriterCheck check(CompiledCatalog catalog, int schemaId, long nowMs) {
        WriterCheck cached = catalog.writerChecks().get(schemaId);
        if (cached != null && !cached.expired(nowMs)) {
            return cached;
        }
        WriterCheck fresh = ask(catalog, schemaId, nowMs);
        catalog.writerChecks().put(schemaId, fresh);
        return fresh;
    }

    private WriterCheck ask(CompiledCatalog catalog, int schemaId, long nowMs) {
        Schema writer;
        try {
            writer = client.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == RegistryErrors.SCHEMA_NOT_FOUND) {
                return WriterCheck.unknownSchema(
                        "schema id " + schemaId + " is not in the schema registry at " + client.location()
                                + "; expected the id of the catalog's schema, registered under "
                                + subject(catalog),
                        nowMs + UNKNOWN_ID_RETRY_MS);
            }
            throw unavailable(schemaId, e);
        }
        String subject = subject(catalog);
        List<SubjectVersion> uses;
        try {
            uses = client.subjectVersionsById(schemaId);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() != RegistryErrors.SCHEMA_NOT_FOUND) {
                throw unavailable(schemaId, e);
            }
            uses = List.of();
        }
        if (uses.stream().noneMatch(use -> use.subject().equals(subject))) {
            return WriterCheck.wrongSchema(
                    "schema id " + schemaId + " (" + writer.getFullName() + ") is registered under "
                            + (uses.isEmpty()
                                    ? "no live subject"
                                    : uses.stream()
                                            .map(SubjectVersion::subject)
                                            .distinct()
                                            .toList())
                            + ", not under " + subject + ": it is not a schema of catalog " + catalog.catalogId()
                            + " (expected " + catalog.schema().getFullName() + ")");
        }
        SchemaCompatibility.SchemaPairCompatibility pair =
                SchemaCompatibility.checkReaderWriterCompatibility(catalog.schema(), writer);
        if (pair.getType() != SchemaCompatibilityType.COMPATIBLE) {
            return WriterCheck.wrongSchema("schema id " + schemaId + " (" + writer.getFullName()
                    + ") cannot be read as the catalog's current schema "
                    + catalog.schema().getFullName() + ": "
                    + pair.getResult().getIncompatibilities().stream()
                            .map(i -> i.getType() + " " + i.getMessage() + " at " + i.getLocation())
                            .toList());
        }
        return WriterCheck.ACCEPTED;
    }

    private RegistryUnavailableException unavailable(int schemaId, SchemaRegistryException e) {
        return new RegistryUnavailableException(
                "the schema registry at " + client.location() + " could not answer for schema id " + schemaId + ": "
                        + e.getMessage() + "; the record will be processed again once it answers",
                e);
    }

    private static String subject(CompiledCatalog catalog) {
        return Topics.rawValueSubject(catalog.catalogId());
    }

    /** Whether a registry failure means "no such schema" rather than "no answer". */
    static boolean isNotFound(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registry) {
                return registry.errorCode() == RegistryErrors.SCHEMA_NOT_FOUND
                        || registry.errorCode() == RegistryErrors.SUBJECT_NOT_FOUND;
            }
        }
        return false;
    }

    /** The registry failure behind {@code failure}, if any. */
    static SchemaRegistryException registryFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registry) {
                return registry;
            }
        }
        return null;
    }
}
