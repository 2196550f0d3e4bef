package city.heze.peony.registry;

import city.heze.peony.schemas.registry.SchemaRegistryException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where a {@link SchemaRegistry} keeps its changes: in memory, or in a compacted Kafka topic. A
 * journal feeds every stored event to the registry's state, the old ones when it opens and each new
 * one once it is durable, so that a write is visible to the next read.
 */
public interface RegistryJournal extends AutoCloseable {

    /** Delivers every event stored so far to {@code applier}, then keeps delivering new ones. */
    void open(Consumer<RegistryEvent> applier);

    /**
     * Stores {@code events} durably, in order, and returns once each has been delivered to the
     * applier.
     *
     * @throws SchemaRegistryException 50001 when the events could not be stored
     */
    void append(List<RegistryEvent> events);

    /** Names the storage for messages, e.g. {@code topic _peony_schemas on 127.0.0.1:9092}. */
    String describe();

    @Override
    void close();

    /** A journal that keeps nothing beyond the registry's memory, for tests and in-process use. */
    static RegistryJournal inMemory() {
        return new RegistryJournal() {
            private Consumer<RegistryEvent> applier;

            @Override
            public void open(Consumer<RegistryEvent> applier) {
                this.applier = applier;
            }

            @Override
            public void append(List<RegistryEvent> events) {
                events.forEach(applier);
            }

            @Override
            public String describe() {
                return "memory";
            }

            @Override
            public void close() {}
        };
    }
}
