package city.heze.peony.streams.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A validation task's hour tallies: counted in memory, written to a changelogged store once per
 * commit. Counting a record is then a field increment, where a store write per record (key and
 * value serialization, the record cache, position tracking) cost about a tenth of the stream
 * thread's time.
 *
 * <p>Why the counts stay exact under exactly_once_v2: Kafka Streams flushes every {@code
 * CachedStateStore} in {@code prepareCommit}, before the offsets and the transaction are
 * committed, whatever triggers the commit (the interval, a rebalance, a close); this store writes
 * its changed tallies to the changelog right there, inside the transaction. If the task fails
 * instead, the store is closed and restored from the changelog, and what was only in memory is
 * counted again when the records are processed again. This is the hook Kafka's own record caches
 * use ({@code org.apache.kafka.streams.state.internals}, an internal API: Kafka is pinned, and the
 * integration test's restart checks the counts).
 */
final class ScorecardTallyStore extends WrappedStateStore<KeyValueStore<String, byte[]>, String, byte[]> {
    private final Map<String, ScorecardCounts> tallies = new HashMap<>();
    private final Set<String> unflushed = new LinkedHashSet<>();

    ScorecardTallyStore(KeyValueStore<String, byte[]> changelogged) {
        super(changelogged);
    }

    /** The builder Kafka Streams creates the store with: in memory, changelogged, no record cache. */
    static StoreBuilder<ScorecardTallyStore> builder(String name) {
        return new TallyStoreBuilder(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                        .withCachingDisabled());
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        tallies.clear();
        unflushed.clear();
        super.init(context, root);
    }

    /** The tally under {@code key}, read from the store the first time, created when there is none. */
    ScorecardCounts get(String key, String department) {
        ScorecardCounts counts = tallies.get(key);
        if (counts == null) {
            byte[] stored = wrapped().get(key);
            counts = stored == null ? new ScorecardCounts(department) : ScorecardCounts.fromBytes(stored);
            tallies.put(key, counts);
        }
        return counts;
    }

    /** The tally was changed in place: write it at the next commit. */
    void changed(String key) {
        unflushed.add(key);
    }

    /** Every tally key in the store and in memory. */
    List<String> keys() {
        Set<String> keys = new LinkedHashSet<>(tallies.keySet());
        try (KeyValueIterator<String, byte[]> all = wrapped().all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                keys.add(entry.key);
            }
        }
        return new ArrayList<>(keys);
    }

    void delete(String key) {
        tallies.remove(key);
        unflushed.remove(key);
        wrapped().delete(key);
    }

    /** Called by Kafka Streams before every commit: the changed tallies go to the changelog in this commit. */
    @Override
    public void flushCache() {
        for (String key : unflushed) {
            ScorecardCounts counts = tallies.get(key);
            if (counts != null) {
                wrapped().put(key, counts.toBytes());
            }
        }
        unflushed.clear();
        super.flushCache();
    }

    /** Called when the task is closed dirty: what was not flushed was not committed either. */
    @Override
    public void clearCache() {
        tallies.clear();
        unflushed.clear();
        super.clearCache();
    }

    @Override
    public void close() {
        tallies.clear();
        unflushed.clear();
        super.close();
    }

    /** Builds the store around Kafka's changelogged in-memory store. */
    private static final class TallyStoreBuilder implements StoreBuilder<ScorecardTallyStore> {
        private final StoreBuilder<KeyValueStore<String, byte[]>> inner;

        TallyStoreBuilder(StoreBuilder<KeyValueStore<String, byte[]>> inner) {
            this.inner = inner;
        }

        @Override
        public StoreBuilder<ScorecardTallyStore> withCachingEnabled() {
            throw new UnsupportedOperationException("the tally store is its own cache");
        }

        @Override
        public StoreBuilder<ScorecardTallyStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<ScorecardTallyStore> withLoggingEnabled(Map<String, String> config) {
            inner.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<ScorecardTallyStore> withLoggingDisabled() {
            throw new UnsupportedOperationException("the tally store needs its changelog to be exact after a restart");
        }

        @Override
        public ScorecardTallyStore build() {
            return new ScorecardTallyStore(inner.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
