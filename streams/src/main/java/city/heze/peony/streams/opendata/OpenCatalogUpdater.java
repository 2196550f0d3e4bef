package city.heze.peony.streams.opendata;

import city.heze.peony.avro.CatalogEntry;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global-store processor of {@code peony.catalog} for open data: keeps the entry bytes in the
 * global store and the compiled catalog in {@link OpenCatalogs}. It runs over the whole topic when
 * the in-memory store is rebuilt at start, so the catalogs are complete before records are opened.
 * Entries change rarely, so each change of an OPEN catalog is logged.
 */
final class OpenCatalogUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger log = LoggerFactory.getLogger(OpenCatalogUpdater.class);

    private final OpenDataContext ctx;
    private KeyValueStore<String, byte[]> store;
    private Deserializer<CatalogEntry> entries;

    OpenCatalogUpdater(OpenDataContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(OpenDataTopology.CATALOG_STORE);
        this.entries = ctx.topics().catalog.valueSerde().deserializer();
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String catalogId = record.key();
        if (catalogId == null) {
            log.warn("a catalog entry without a key (the catalog id) is ignored");
            return;
        }
        if (record.value() == null) {
            store.delete(catalogId);
            ctx.catalogs().remove(catalogId);
            return;
        }
        store.put(catalogId, record.value());
        OpenCatalog compiled;
        try {
            compiled = OpenCatalog.compile(
                    catalogId, entries.deserialize(ctx.topics().catalog.name(), record.value()));
        } catch (SerializationException e) {
            // Not an OPEN catalog as far as anyone can tell: its records are skipped, never opened unread.
            compiled = OpenCatalog.unusable(
                    catalogId,
                    null,
                    "the entry of catalog " + catalogId + " cannot be read as a CatalogEntry: " + e.getMessage());
        }
        ctx.catalogs().put(compiled);
        if (compiled.isOpen()) {
            if (compiled.usable()) {
                log.info(
                        "catalog {} is OPEN: opened on open.{} as {} field(s)",
                        catalogId,
                        catalogId,
                        compiled.openSchema().getFields().size());
            } else {
                log.warn("{}; its records are withheld until the entry is fixed", compiled.unusableReason());
            }
        }
    }
}
