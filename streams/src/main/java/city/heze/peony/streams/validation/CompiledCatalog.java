package city.heze.peony.streams.validation;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.rules.CatalogRules;
import city.heze.peony.streams.rules.RuleDefinitionException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * One version of a catalog, ready to judge records: its entry, its record schema (the reader
 * schema every record of the catalog is decoded into), its compiled rules and its counters.
 * Compiled once per entry version on the global thread; the answers about writer schema ids are
 * cached here, so a new entry version starts with a clean cache.
 *
 * <p>A catalog whose schema or rules Peony cannot apply stays in the directory as unusable, with
 * the reason: its records are rejected (and can be replayed once the entry is fixed) rather than
 * shared unchecked.
 *
 * @param entry the entry; null when it could not be read
 * @param writerChecks the answers about writer schema ids, per id; filled as records arrive
 */
record CompiledCatalog(
        String catalogId,
        CatalogEntry entry,
        Schema schema,
        CatalogRules rules,
        String unusableReason,
        ValidationMeters.CatalogMeters meters,
        Map<Integer, WriterCheck> writerChecks) {

    private CompiledCatalog(
            String catalogId,
            CatalogEntry entry,
            Schema schema,
            CatalogRules rules,
            String unusableReason,
            ValidationMeters.CatalogMeters meters) {
        this(catalogId, entry, schema, rules, unusableReason, meters, new ConcurrentHashMap<>());
    }

    static CompiledCatalog compile(String catalogId, CatalogEntry entry, Clock clock, ValidationMeters meters) {
        ValidationMeters.CatalogMeters catalogMeters = meters.forCatalog(entry.getDepartment(), catalogId);
        String where = "catalog " + catalogId + " (published " + entry.getPublishedAt() + ")";
        Schema schema;
        try {
            schema = ReaderSchemas.parse(entry.getSchema$(), entry.getFieldRules());
        } catch (SchemaParseException | NullPointerException e) {
            return new CompiledCatalog(
                    catalogId,
                    entry,
                    null,
                    null,
                    where + ": its schema is not valid Avro (" + e.getMessage() + "); expected the record schema"
                            + " registered under " + Topics.rawValueSubject(catalogId),
                    catalogMeters);
        }
        try {
            CatalogRules rules = CatalogRules.compile(entry.getFieldRules(), schema, clock);
            return new CompiledCatalog(catalogId, entry, schema, rules, null, catalogMeters);
        } catch (RuleDefinitionException | IllegalArgumentException e) {
            return new CompiledCatalog(
                    catalogId,
                    entry,
                    schema,
                    null,
                    where + ": its rules cannot be applied: " + e.getMessage(),
                    catalogMeters);
        }
    }

    /** An entry on {@code peony.catalog} that cannot even be read. */
    static CompiledCatalog unreadable(String catalogId, String reason, ValidationMeters meters) {
        return new CompiledCatalog(catalogId, null, null, null, reason, meters.forCatalog(null, catalogId));
    }

    /** The provider department; null when the entry could not be read. */
    String department() {
        return entry == null ? null : entry.getDepartment();
    }

    boolean usable() {
        return unusableReason == null;
    }

    /** How long it may be silent before it is stale; 0 for never. */
    long silenceAllowedMs() {
        return entry == null ? 0 : UpdateCycles.silenceAllowedMs(entry.getUpdateCycle());
    }

    /** When this version of the entry was published (ms), the silence clock's start for a catalog never fed. */
    long publishedAtMs() {
        return entry == null || entry.getPublishedAt() == null
                ? ScorecardCounts.NONE
                : entry.getPublishedAt().toEpochMilli();
    }
}
