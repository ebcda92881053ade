package io.larder.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.larder.Key;
import io.larder.spi.Store;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.LongAdder;

/**
 * Entries in this JVM's memory, on Caffeine, bounded by a number of entries or by their encoded
 * size. Values are kept as objects: a hit decodes nothing. Tag generations live in a map.
 * Entries past their stale window are swept every 30 seconds (of the Larder's clock).
 */
public final class MemoryStore implements Store {
    /** What an entry costs beyond its payload, for the byte bound: key, times, tags, map nodes. */
    private static final int ENTRY_OVERHEAD = 160;

    private final Cache<Key, StoredEntry> cache;
    private final boolean weighed;
    private final ConcurrentMap<String, Long> generations = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> evictions = new ConcurrentHashMap<>();
    private static final long SWEEP_INTERVAL_MILLIS = 30_000;

    private volatile InstantSource clock = InstantSource.system();
    private volatile long nextSweep;

    private MemoryStore(Builder builder) {
        Caffeine<Key, StoredEntry> caffeine = Caffeine.newBuilder()
                .executor(Runnable::run) // evict on the writing thread: bounds hold at once
                .evictionListener(this::evicted);
        if (builder.maximumWeight > 0) {
            caffeine.maximumWeight(builder.maximumWeight).weigher((Key key, StoredEntry entry) ->
                    ENTRY_OVERHEAD + 2 * key.toString().length() + entry.payload().bytes().length);
        } else {
            caffeine.maximumSize(builder.maximumSize);
        }
        this.weighed = builder.maximumWeight > 0;
        this.cache = caffeine.build();
    }

    /** A builder; a bound is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void bind(StoreContext context) {
        this.clock = context.clock();
    }

    @Override
    public StoredEntry get(Key key) {
        return cache.getIfPresent(key);
    }

    @Override
    public Map<Key, StoredEntry> getAll(Collection<Key> keys) {
        return cache.getAllPresent(keys);
    }

    @Override
    public void put(Key key, StoredEntry entry) {
        cache.put(key, entry);
        long now = clock.millis();
        if (now >= nextSweep) {
            nextSweep = now + SWEEP_INTERVAL_MILLIS;
            ForkJoinPool.commonPool().execute(this::sweep);
        }
    }

    /**
     * Drops entries that can no longer be served, even stale. Caffeine's per-entry expiry would
     * do it too, but it reads the clock on every hit and costs a large part of the hit's time;
     * expired entries are misses for the engine anyway, so a periodic sweep is enough.
     */
    void sweep() {
        long now = clock.millis();
        cache.asMap().values().removeIf(entry -> entry.usableUntil() <= now);
    }

    @Override
    public void remove(Key key) {
        cache.invalidate(key);
    }

    @Override
    public void removeRegion(String region) {
        cache.asMap().keySet().removeIf(key -> key.region().equals(region));
    }

    @Override
    public void clear() {
        cache.invalidateAll();
    }

    @Override
    public long[] generations(List<String> tags) {
        long[] result = new long[tags.size()];
        for (int i = 0; i < result.length; i++) {
            Long generation = generations.get(tags.get(i));
            result[i] = generation == null ? 0 : generation;
        }
        return result;
    }

    @Override
    public void invalidateTags(Collection<String> tags) {
        for (String tag : tags) {
            generations.merge(tag, 1L, Long::sum);
        }
    }

    @Override
    public Usage usage(String region) {
        long entries = 0;
        long bytes = 0;
        for (Map.Entry<Key, StoredEntry> e : cache.asMap().entrySet()) {
            if (e.getKey().region().equals(region)) {
                entries++;
                bytes += Math.max(0, e.getValue().payload().byteSize());
            }
        }
        LongAdder evicted = evictions.get(region);
        return new Usage(entries, weighed ? bytes : -1, evicted == null ? 0 : evicted.sum());
    }

    @Override
    public void close() {
        cache.invalidateAll();
    }

    private void evicted(Key key, StoredEntry entry, RemovalCause cause) {
        if (key != null && cause == RemovalCause.SIZE) {
            evictions.computeIfAbsent(key.region(), r -> new LongAdder()).increment();
        }
    }

    /** Builds a {@link MemoryStore}. */
    public static final class Builder {
        private long maximumSize = -1;
        private long maximumWeight = -1;

        private Builder() {
        }

        /** At most this many entries; the least valuable are evicted first (W-TinyLFU). */
        public Builder maximumSize(long entries) {
            if (entries <= 0) {
                throw new IllegalArgumentException("maximumSize must be positive, was " + entries);
            }
            requireNoBound();
            this.maximumSize = entries;
            return this;
        }

        /** At most this many bytes of encoded values (values are encoded once to be weighed). */
        public Builder maximumBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maximumBytes must be positive, was " + bytes);
            }
            requireNoBound();
            this.maximumWeight = bytes;
            return this;
        }

        private void requireNoBound() {
            if (maximumSize > 0 || maximumWeight > 0) {
                throw new IllegalStateException("the bound was already set");
            }
        }

        /** The store. */
        public MemoryStore build() {
            if (maximumSize <= 0 && maximumWeight <= 0) {
                throw new IllegalStateException("set maximumSize or maximumBytes");
            }
            return new MemoryStore(this);
        }
    }
}
