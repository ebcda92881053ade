package io.larder.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.larder.Key;
import io.larder.spi.Payload;
import io.larder.spi.Store;
import io.larder.spi.StoreContext;
import io.larder.spi.StoredEntry;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Entries in this JVM's memory, on Caffeine, bounded by a number of entries or by their encoded
 * size. A region given a bound of its own ({@link #boundRegion}) lives in a Caffeine cache of
 * its own, outside the shared bound, so that it evicts only its own entries. Values are kept as
 * objects: a hit decodes nothing. Tag generations live in a map, on a base that
 * {@link #invalidateAll()} moves; markers live in another.
 * Every entry is {@linkplain StoredEntry#retire() retired} before it can be seen gone (replaced,
 * removed, evicted, cleared), so that {@link #holds} can vouch for an entry a reader kept.
 * Entries past their stale window are swept every 30 seconds (of the Larder's clock).
 */
public final class MemoryStore implements Store {
    /** What an entry costs beyond its payload, for the byte bound: key, times, tags, map nodes. */
    private static final int ENTRY_OVERHEAD = 160;

    private final Cache<Key, StoredEntry> cache;
    /** The regions bounded on their own, each in its own cache. */
    private final ConcurrentMap<String, Cache<Key, StoredEntry>> bounded =
            new ConcurrentHashMap<>();
    private volatile boolean anyBounded;
    private final boolean weighed;
    private final ConcurrentMap<String, Long> generations = new ConcurrentHashMap<>();
    /**
     * Replaced after every move of a generation: an entry found current under the same stamp
     * is current still, without its tags looked up again.
     */
    private volatile Object generationsStamp = new Object();
    /** Added to every tag's count: moving it moves every generation at once, never backwards. */
    private final AtomicLong base = new AtomicLong();
    private final ConcurrentMap<String, Long> markers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> evictions = new ConcurrentHashMap<>();
    private static final long SWEEP_INTERVAL_MILLIS = 30_000;

    /** Serialize the puts of a key (see {@link #put}); a power of two. */
    private final Object[] stripes = new Object[64];

    private volatile InstantSource clock = InstantSource.system();
    private volatile long nextSweep;

    private MemoryStore(Builder builder) {
        this.weighed = builder.maximumWeight > 0;
        this.cache = newCache(builder.maximumSize, builder.maximumWeight);
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    private Cache<Key, StoredEntry> newCache(long maximumSize, long maximumWeight) {
        Caffeine<Key, StoredEntry> caffeine = Caffeine.newBuilder()
                .executor(Runnable::run) // evict on the writing thread: bounds hold at once
                .evictionListener(this::evicted);
        if (maximumWeight > 0) {
            caffeine.maximumWeight(maximumWeight).weigher((Key key, StoredEntry entry) ->
                    ENTRY_OVERHEAD + 2 * key.toString().length() + size(entry.payload()));
        } else {
            caffeine.maximumSize(maximumSize);
        }
        return caffeine.build();
    }

    /** The encoded size of {@code payload}, encoding it if it has no bytes yet. */
    private static int size(Payload payload) {
        int size = payload.byteSize();
        return size >= 0 ? size : payload.bytes().length;
    }

    /** The cache that holds {@code region}'s entries. */
    private Cache<Key, StoredEntry> cacheOf(String region) {
        if (!anyBounded) {
            return cache;
        }
        Cache<Key, StoredEntry> own = bounded.get(region);
        return own != null ? own : cache;
    }

    /** Every cache, the shared one first. */
    private List<Cache<Key, StoredEntry>> caches() {
        if (!anyBounded) {
            return List.of(cache);
        }
        List<Cache<Key, StoredEntry>> all = new ArrayList<>(bounded.size() + 1);
        all.add(cache);
        all.addAll(bounded.values());
        return all;
    }

    /**
     * Gives {@code region} a cache of its own with this bound (entries, or bytes of encoded
     * values, as this store weighs them), or back to the shared one with {@code 0, 0}. The
     * region's entries are dropped when its bound changes (misses, never older values).
     */
    @Override
    public synchronized boolean boundRegion(String region, long maximumEntries,
            long maximumBytes) {
        if (maximumEntries < 0 || maximumBytes < 0 || maximumEntries > 0 && maximumBytes > 0) {
            throw new IllegalArgumentException("a region is bounded by entries or by bytes, not"
                    + " both; was " + maximumEntries + " entries, " + maximumBytes + " bytes");
        }
        Cache<Key, StoredEntry> previous = maximumEntries == 0 && maximumBytes == 0
                ? bounded.remove(region)
                : bounded.put(region, newCache(maximumEntries, maximumBytes));
        anyBounded = !bounded.isEmpty();
        if (previous != null) {
            drop(previous, key -> true);
        }
        drop(cache, key -> key.region().equals(region));
        return true;
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
        return cacheOf(key.region()).getIfPresent(key);
    }

    /** Whether {@code entry}, found under {@code key} here, is still there: not retired. */
    @Override
    public boolean holds(Key key, StoredEntry entry) {
        return !entry.retired();
    }

    @Override
    public Map<Key, StoredEntry> getAll(Collection<Key> keys) {
        if (!anyBounded) {
            return cache.getAllPresent(keys);
        }
        Map<Key, StoredEntry> found = new HashMap<>();
        for (Key key : keys) {
            StoredEntry entry = get(key);
            if (entry != null) {
                found.put(key, entry);
            }
        }
        return found;
    }

    /**
     * Stores {@code entry}, retiring the entry it replaces before the swap makes it gone. Puts of
     * a key are serialized by a stripe lock, so the entry read first is the one the swap
     * replaces: removals, evictions and sweeps only take entries out (each retiring its own
     * inside its atomic removal), and no other put can come between. A Caffeine
     * {@code compute} would do it without the lock but allocates its bookkeeping on every call
     * (a JCache {@code put} allocated 556 bytes with it, 254 without).
     */
    @Override
    public void put(Key key, StoredEntry entry) {
        Cache<Key, StoredEntry> target = cacheOf(key.region());
        int h = key.hashCode();
        synchronized (stripes[(h ^ (h >>> 16)) & (stripes.length - 1)]) {
            StoredEntry old = target.policy().getIfPresentQuietly(key);
            if (old != entry) {
                if (old != null) {
                    old.retire();
                }
                StoredEntry replaced = target.asMap().put(key, entry);
                if (replaced != null && replaced != old && replaced != entry) {
                    replaced.retire(); // not expected: only puts add entries, and they wait here
                }
            }
        }
        long now = entry.createdAt();
        if (now >= nextSweep && (now = clock.millis()) >= nextSweep) {
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
        for (Cache<Key, StoredEntry> each : caches()) {
            ConcurrentMap<Key, StoredEntry> map = each.asMap();
            for (Map.Entry<Key, StoredEntry> e : map.entrySet()) {
                if (e.getValue().usableUntil() <= now) {
                    map.computeIfPresent(e.getKey(),
                            (k, old) -> old.usableUntil() <= now && retire(old) ? null : old);
                }
            }
        }
    }

    @Override
    public void remove(Key key) {
        cacheOf(key.region()).asMap().computeIfPresent(key, (k, old) -> {
            old.retire();
            return null;
        });
    }

    @Override
    public void removeRegion(String region) {
        Cache<Key, StoredEntry> own = anyBounded ? bounded.get(region) : null;
        if (own != null) {
            drop(own, key -> true);
        } else {
            drop(cache, key -> key.region().equals(region));
        }
    }

    @Override
    public void clear() {
        caches().forEach(each -> drop(each, key -> true));
    }

    /** Removes the entries of {@code keys}, each retired inside its atomic removal. */
    private static void drop(Cache<Key, StoredEntry> cache, Predicate<Key> keys) {
        ConcurrentMap<Key, StoredEntry> map = cache.asMap();
        for (Key key : map.keySet()) {
            if (keys.test(key)) {
                map.computeIfPresent(key, (k, old) -> retire(old) ? null : old);
            }
        }
    }

    private static boolean retire(StoredEntry entry) {
        entry.retire();
        return true;
    }

    @Override
    public long[] generations(List<String> tags) {
        long[] result = new long[tags.size()];
        long all = base.get();
        for (int i = 0; i < result.length; i++) {
            Long generation = generations.get(tags.get(i));
            result[i] = all + (generation == null ? 0 : generation);
        }
        return result;
    }

    @Override
    public boolean current(StoredEntry entry) {
        Object stamp = generationsStamp;
        if (entry.foundCurrentIn(stamp)) {
            return true;
        }
        List<String> tags = entry.tags();
        long all = base.get();
        for (int i = 0; i < tags.size(); i++) {
            Long generation = generations.get(tags.get(i));
            if (all + (generation == null ? 0 : generation) != entry.generation(i)) {
                return false;
            }
        }
        entry.markCurrentIn(stamp);
        return true;
    }

    /** Moves every generation forward and drops every entry. */
    @Override
    public void invalidateAll() {
        base.incrementAndGet();
        generationsStamp = new Object();
        clear();
    }

    @Override
    public OptionalLong marker(String name) {
        Long value = markers.get(Store.checkMarker(name));
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    @Override
    public void marker(String name, long value) {
        markers.put(Store.checkMarker(name), value);
    }

    @Override
    public void invalidateTags(Collection<String> tags) {
        for (String tag : tags) {
            generations.merge(tag, 1L, Long::sum);
        }
        generationsStamp = new Object();
    }

    @Override
    public Usage usage(String region) {
        long entries = 0;
        long bytes = 0;
        for (Map.Entry<Key, StoredEntry> e : cacheOf(region).asMap().entrySet()) {
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
        clear();
    }

    /** Called inside the atomic removal of an evicted entry (before it can be seen gone). */
    private void evicted(Key key, StoredEntry entry, RemovalCause cause) {
        if (entry != null) {
            entry.retire();
        }
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
