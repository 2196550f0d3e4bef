package city.heze.peony.streams.validation;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global-store processor of {@code peony.catalog}: keeps the entry bytes in the global store
 * and the compiled catalog in the {@link CatalogDirectory}. Kafka Streams also runs it over the
 * whole topic when the (in-memory) global store is rebuilt at start, so the directory is complete
 * before any stream thread processes a record.
 *
 * <p>Catalog entries change rarely, so each change is logged. A registry that does not answer is
 * waited for (the global thread is outside any transaction, and stream threads keep using the
 * directory they have): an entry is never skipped because the registry blinked.
 */
final class CatalogDirectoryUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger log = LoggerFactory.getLogger(CatalogDirectoryUpdater.class);
    private static final Duration REGISTRY_PATIENCE = Duration.ofMinutes(5);

    private final ValidationContext ctx;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;
    private Deserializer<CatalogEntry> entries;

    CatalogDirectoryUpdater(ValidationContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(ValidationTopology.CATALOG_STORE);
        this.entries = ctx.topics().catalog.valueSerde().deserializer();
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String where = where();
        String catalogId = record.key();
        if (catalogId == null) {
            log.warn("{}: a catalog entry without a key (the catalog id) is ignored", where);
            return;
        }
        CatalogDirectory directory = ctx.directory();
        if (record.value() == null) {
            store.delete(catalogId);
            directory.remove(catalogId);
            log.info("catalog {} removed ({})", catalogId, where);
            return;
        }
        store.put(catalogId, record.value());
        CompiledCatalog compiled;
        try {
            CatalogEntry entry = decode(record.value(), where);
            if (!catalogId.equals(entry.getId())) {
                log.warn(
                        "{}: entry keyed {} names itself {}; the key (the raw topic's id) wins",
                        where,
                        catalogId,
                        entry.getId());
            }
            compiled = CompiledCatalog.compile(catalogId, entry, ctx.settings().clock(), ctx.meters());
        } catch (SerializationException e) {
            compiled = CompiledCatalog.unreadable(
                    catalogId,
                    "the entry of catalog " + catalogId + " at " + where + " cannot be read as a CatalogEntry: "
                            + e.getMessage(),
                    ctx.meters());
        }
        directory.put(compiled);
        if (compiled.usable()) {
            log.info(
                    "catalog {} of {} ready: {} rule(s), schema {} ({})",
                    catalogId,
                    compiled.department(),
                    compiled.rules().ruleIds().size(),
                    compiled.schema().getFullName(),
                    where);
        } else {
            log.warn("{}; its records are rejected until the entry is fixed", compiled.unusableReason());
        }
    }

    private CatalogEntry decode(byte[] value, String where) {
        long deadline = System.nanoTime() + REGISTRY_PATIENCE.toNanos();
        long waitMs = 500;
        while (true) {
            try {
                return entries.deserialize(
                        context.recordMetadata().map(RecordMetadata::topic).orElse("peony.catalog"), value);
            } catch (SerializationException e) {
                SchemaRegistryException registry = WriterSchemas.registryFailure(e);
                if (registry == null || WriterSchemas.isNotFound(e)) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new RegistryUnavailableException(
                            where + ": the schema registry did not answer for " + REGISTRY_PATIENCE.toMinutes()
                                    + " minutes while reading a catalog entry: " + registry.getMessage(),
                            e);
                }
                log.warn(
                        "{}: the schema registry did not answer ({}); retrying in {} ms",
                        where,
                        registry.getMessage(),
                        waitMs);
                try {
                    Thread.sleep(waitMs);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new RegistryUnavailableException(where + ": interrupted while waiting for the registry", e);
                }
                waitMs = Math.min(waitMs * 2, 5_000);
            }
        }
    }

    private String where() {
        return context.recordMetadata()
                .map(m -> m.topic() + " partition " + m.partition() + " offset " + m.offset())
                .orElse("peony.catalog");
    }

    @Override
    public void close() {
        if (entries != null) {
            entries.close();
        }
    }
}
