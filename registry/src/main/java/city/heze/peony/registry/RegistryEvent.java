package city.heze.peony.registry;

import city.heze.peony.schemas.registry.CompatibilityLevel;
import city.heze.peony.schemas.registry.RegistryMode;

/**
 * One change to the registry's state. The registry decides a change, a {@link RegistryJournal}
 * makes it durable, and the same events rebuild the state when the journal is replayed; each event
 * maps to one record of Confluent's storage-topic layout.
 */
public sealed interface RegistryEvent {

    /** A version of a subject, live or soft-deleted (Confluent's SCHEMA key with a value). */
    record SchemaVersionStored(String subject, int version, int id, String schema, boolean deleted)
            implements RegistryEvent {}

    /** A version permanently deleted (Confluent's SCHEMA key with a tombstone). */
    record SchemaVersionErased(String subject, int version) implements RegistryEvent {}

    /** Every version up to {@code upToVersion} soft-deleted at once (Confluent's DELETE_SUBJECT key). */
    record SubjectDeleted(String subject, int upToVersion) implements RegistryEvent {}

    /** A compatibility level set, or cleared when {@code level} is null; {@code subject} null is global. */
    record CompatibilityChanged(String subject, CompatibilityLevel level) implements RegistryEvent {}

    /** A mode set, or cleared when {@code mode} is null; {@code subject} null is global. */
    record ModeChanged(String subject, RegistryMode mode) implements RegistryEvent {}

    /**
     * Ids up to {@code maxId} have been handed out. Written before a permanent delete so that the
     * highest id survives compaction of the deleted schema's records: ids are never reused.
     */
    record SchemaIdsReserved(int maxId) implements RegistryEvent {}
}
