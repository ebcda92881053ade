package io.larder.spring;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Loaded;
import io.larder.Lookup;
import io.larder.Options;
import io.larder.Outcome;
import io.larder.Source;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.springframework.cache.support.AbstractValueAdaptingCache;

/**
 * A Spring {@link org.springframework.cache.Cache} on one Larder region (the cache's name).
 *
 * <ul>
 * <li>{@link #get(Object, Callable)} ({@code @Cacheable(sync = true)}) goes through Larder's
 *     single-flight: one load per key at a time in this JVM, and across the JVMs sharing a file
 *     or Redis store; inside the region's stale window the stale value is returned at once and
 *     one background refresh calls the loader (which then runs on another thread).</li>
 * <li>{@link #get(Object)} (plain {@code @Cacheable}) has no loader, so a stale entry reads as
 *     a miss there: the method runs, and the TTL holds.</li>
 * <li>{@link #clear()} and {@link #invalidate()} empty the region without a scan
 *     ({@link Larder#invalidateRegion}).</li>
 * <li>Values are encoded by the region's codec (JSON, never Java serialization) with the cached
 *     method's generic return type when the cache was resolved by {@link LarderCacheResolver},
 *     else with the value's class; {@code null} is cached per {@link #isAllowNullValues()}.</li>
 * <li>Keys become Larder keys by {@link KeyMapper} (never paths).</li>
 * </ul>
 *
 * <p>A cache is a view: {@link #typed(Type)} and {@link #withTags(Collection)} give views on the
 * same region that encode as a type or tag what they write. Thread-safe.
 */
public final class LarderCache extends AbstractValueAdaptingCache {
    private final String name;
    private final Larder larder;
    private final LarderCacheManager manager;
    private final CacheCounters counters;
    private final KeyMemo keys;
    /** The type values are encoded as, or {@code null} for each value's own class. */
    private final Type valueType;
    private final Options options;

    LarderCache(String name, Larder larder, LarderCacheManager manager, boolean allowNullValues,
            CacheCounters counters, KeyMemo keys, Type valueType, Options options) {
        super(allowNullValues);
        this.name = name;
        this.larder = larder;
        this.manager = manager;
        this.counters = counters;
        this.keys = keys;
        this.valueType = valueType;
        this.options = options;
    }

    @Override
    public String getName() {
        return name;
    }

    /** The {@link Larder} behind every cache of the manager. */
    @Override
    public Larder getNativeCache() {
        return larder;
    }

    /**
     * A view of this cache that encodes what it writes as {@code type} (a generic type such as
     * {@code List<PostView>}, which a value's class cannot tell), and reads back values of it
     * in any JVM.
     */
    public LarderCache typed(Type type) {
        Objects.requireNonNull(type, "type");
        if (!ValueTypes.fullySpecified(type)) {
            throw new IllegalArgumentException("type " + type.getTypeName() + " must name its"
                    + " type arguments (List<PostView>, not List or List<T>)");
        }
        manager.valueTypes().register(type);
        return type.equals(valueType) ? this
                : new LarderCache(name, larder, manager, isAllowNullValues(), counters, keys, type,
                        options);
    }

    /** A view of this cache whose writes and loads carry {@code tags} too. */
    public LarderCache withTags(Collection<String> tags) {
        if (tags.isEmpty()) {
            return this;
        }
        return new LarderCache(name, larder, manager, isAllowNullValues(), counters, keys, valueType,
                options.withTags(tags.toArray(String[]::new)));
    }

    /** Counters of this cache's reads and writes, shared by its views (for metrics). */
    public CacheCounters counters() {
        return counters;
    }

    @Override
    protected Object lookup(Object key) {
        Optional<Lookup<CachedValue>> found = larder.peek(key(key), CachedValue.class);
        if (found.isEmpty() || found.get().outcome() != Outcome.HIT) {
            counters.misses.increment();
            return null;
        }
        counters.hits.increment();
        return toStore(found.get().value());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Callable<T> valueLoader) {
        Lookup<CachedValue> found = larder.lookup(key(key), CachedValue.class, options,
                () -> load(key, valueLoader));
        (found.outcome() == Outcome.HIT || found.outcome() == Outcome.STALE ? counters.hits
                : counters.misses).increment();
        return (T) found.value().value();
    }

    private <T> Loaded<CachedValue> load(Object key, Callable<T> valueLoader) {
        T value;
        try {
            value = valueLoader.call();
        } catch (Exception e) {
            throw new ValueRetrievalException(key, valueLoader, e);
        }
        if (value == null && !isAllowNullValues()) {
            return Loaded.uncached(CachedValue.NULL); // returned, never cached
        }
        counters.puts.increment();
        return Loaded.of(cached(value));
    }

    /**
     * The value of {@code key} if a fresh one is cached, as a completed future (a value wrapper
     * when {@code null} values are allowed), else {@code null}: a Larder read does not block for
     * long (a store's call is bounded by its timeout).
     */
    @Override
    public CompletableFuture<?> retrieve(Object key) {
        Object stored = lookup(key);
        if (stored == null) {
            return null;
        }
        return CompletableFuture.completedFuture(
                isAllowNullValues() ? toValueWrapper(stored) : fromStoreValue(stored));
    }

    /**
     * The value of {@code key}: a fresh one at once, else through Larder's single-flight on the
     * manager's executor, whose load waits for {@code valueLoader}'s future.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> retrieve(Object key,
            Supplier<CompletableFuture<T>> valueLoader) {
        Optional<Lookup<CachedValue>> found = larder.peek(key(key), CachedValue.class);
        if (found.isPresent() && found.get().outcome() == Outcome.HIT) {
            counters.hits.increment();
            return CompletableFuture.completedFuture((T) found.get().value().value());
        }
        return CompletableFuture.supplyAsync(() -> get(key, () -> {
            try {
                return valueLoader.get().join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }), manager.executor());
    }

    @Override
    public void put(Object key, Object value) {
        Object stored = toStoreValue(value); // refuses null when null values are not allowed
        counters.puts.increment();
        larder.put(key(key), cached(fromStoreValue(stored)), options);
    }

    @Override
    public ValueWrapper putIfAbsent(Object key, Object value) {
        Object stored = toStoreValue(value);
        Lookup<CachedValue> found = larder.lookup(key(key), CachedValue.class, options,
                Source.of(() -> cached(fromStoreValue(stored))));
        if (found.outcome() == Outcome.HIT || found.outcome() == Outcome.STALE) {
            return toValueWrapper(toStore(found.value()));
        }
        counters.puts.increment();
        return null;
    }

    @Override
    public void evict(Object key) {
        counters.evictions.increment();
        larder.invalidate(key(key));
    }

    @Override
    public boolean evictIfPresent(Object key) {
        Key larderKey = key(key);
        boolean present = larder.peek(larderKey, CachedValue.class).isPresent();
        evict(key);
        return present;
    }

    /** Empties the region in every store, without a scan. */
    @Override
    public void clear() {
        larder.invalidateRegion(name);
    }

    /** As {@link #clear()}; {@code false}: whether entries existed is not known. */
    @Override
    public boolean invalidate() {
        clear();
        return false;
    }

    private Key key(Object springKey) {
        return keys.key(springKey);
    }

    private CachedValue cached(Object value) {
        return value == null ? CachedValue.NULL
                : new CachedValue(value, ValueTypes.typeFor(valueType, value));
    }

    private static Object toStore(CachedValue cached) {
        return cached.value() == null ? org.springframework.cache.support.NullValue.INSTANCE
                : cached.value();
    }

    @Override
    public String toString() {
        return "LarderCache[" + name + (valueType == null ? "" : ", " + valueType.getTypeName())
                + (options.tags().isEmpty() ? "" : ", tags " + options.tags()) + "]";
    }
}
