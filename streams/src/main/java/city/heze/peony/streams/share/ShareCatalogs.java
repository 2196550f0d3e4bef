package city.heze.peony.streams.share;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.ShareType;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The catalog facts a share application needs (provider department, share type, deadline), read
 * from the global store over {@code peony.catalog}. A catalog entry carries its Avro schema and
 * rules, so decoding it per request would cost more than the rest of the request's work: the terms
 * are cached per task and the cache is dropped on every punctuation, so a changed catalog applies
 * to requests within one punctuation interval (the global store is updated asynchronously anyway).
 * Unknown catalogs are not cached: registering one takes effect at once.
 */
final class ShareCatalogs {
    /** What a request for one catalog is held to. */
    record Terms(String catalogId, String department, ShareType shareType, Integer deadlineWorkingDays) {}

    private final ReadOnlyKeyValueStore<String, ValueAndTimestamp<CatalogEntry>> store;
    private final Map<String, Terms> cache = new HashMap<>();

    ShareCatalogs(ReadOnlyKeyValueStore<String, ValueAndTimestamp<CatalogEntry>> store) {
        this.store = store;
    }

    /**
     * The terms of {@code catalogId}.
     *
     * @throws InvalidShareEvent if no such catalog is registered, or its entry cannot be read
     */
    Terms terms(String catalogId) {
        Terms cached = cache.get(catalogId);
        if (cached != null) {
            return cached;
        }
        ValueAndTimestamp<CatalogEntry> found;
        try {
            found = store.get(catalogId);
        } catch (SerializationException e) {
            throw new InvalidShareEvent(
                    "share.unreadable-catalog",
                    "catalogId",
                    "the entry of catalog '" + catalogId + "' on peony.catalog cannot be read (" + e.getMessage()
                            + "); expected a CatalogEntry: re-register the catalog");
        }
        if (found == null || found.value() == null) {
            throw new InvalidShareEvent(
                    "share.unknown-catalog",
                    "catalogId",
                    "no catalog '" + catalogId + "' is registered on peony.catalog; expected the id of a"
                            + " registered catalog (peony catalog list)");
        }
        CatalogEntry e = found.value();
        Terms terms = new Terms(e.getId(), e.getDepartment(), e.getShareType(), e.getShareDeadlineWorkingDays());
        cache.put(catalogId, terms);
        return terms;
    }

    /** Forgets the cached terms, so that changed catalogs are read again. */
    void refresh() {
        cache.clear();
    }
}
