package io.larder;

import io.larder.spi.Store;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * The cache: values by key, loaded at most once per key at a time, kept fresh, invalidated by tag.
 *
 * <pre>{@code
 * Larder larder = Larder.builder()
 *         .store(DiskStore.builder(Path.of("cache")).build())
 *         .region("home-posts", r -> r.ttl(Duration.ofMinutes(5)).staleFor(Duration.ofHours(1)))
 *         .build();
 *
 * List<PostView> posts = larder.get(Key.of("home-posts", lang, page),
 *         new TypeRef<List<PostView>>() {}, Options.tags("posts"),
 *         () -> repository.homePosts(lang, page));
 *
 * larder.invalidateTag("posts"); // after an edit: the next read loads again
 * }</pre>
 *
 * <p>A store's failure never reaches the caller: the read behaves as a miss, the write is
 * skipped, the failure is counted and logged once per burst. A loader's exception reaches every
 * caller waiting for it and is not cached. A loader may run on a background thread (to refresh a
 * stale entry), so it must not depend on the calling thread's state. Thread-safe.
 */
public final class Larder implements AutoCloseable {
    private final Engine engine;
    private final ExecutorService ownedExecutor;
    private volatile boolean closed;

    Larder(Engine engine, ExecutorService ownedExecutor) {
        this.engine = engine;
        this.ownedExecutor = ownedExecutor;
    }

    /**
     * A builder with the defaults: a memory store of 10,000 entries, TTL 5 minutes, no stale
     * window.
     */
    public static LarderBuilder builder() {
        return new LarderBuilder();
    }

    /**
     * The cached value of {@code key}, or {@code loader}'s result, which is then cached; the loader
     * runs at most once per key at a time however many threads ask.
     */
    public <T> T get(Key key, Class<T> type, Loader<? extends T> loader) {
        return get(key, type, Options.NONE, loader);
    }

    /** As {@link #get(Key, Class, Loader)}, with per-entry TTL, stale window or tags. */
    @SuppressWarnings("unchecked")
    public <T> T get(Key key, Class<T> type, Options options, Loader<? extends T> loader) {
        return (T) open().get(key, type, options, loader);
    }

    /** As {@link #get(Key, Class, Loader)}, for a generic type such as {@code List<PostView>}. */
    public <T> T get(Key key, TypeRef<T> type, Loader<? extends T> loader) {
        return get(key, type, Options.NONE, loader);
    }

    /** As {@link #get(Key, TypeRef, Loader)}, with per-entry TTL, stale window or tags. */
    @SuppressWarnings("unchecked")
    public <T> T get(Key key, TypeRef<T> type, Options options, Loader<? extends T> loader) {
        return (T) open().get(key, type.type(), options, loader);
    }

    /**
     * The value of {@code key} and how it was obtained: the integration form of {@code get}.
     * On a miss {@code source.load()} runs on this thread (at most once per key at a time, as
     * {@code get}); a stale entry is refreshed by {@code source.refresh()} on a background
     * thread; a value the source returns {@link Loaded#uncached uncached} is this caller's alone.
     */
    public <T> Lookup<T> lookup(Key key, Class<T> type, Options options,
            Source<? extends T> source) {
        return open().lookup(key, type, options, source);
    }

    /** As {@link #lookup(Key, Class, Options, Source)}, for a generic type. */
    public <T> Lookup<T> lookup(Key key, TypeRef<T> type, Options options,
            Source<? extends T> source) {
        return open().lookup(key, type.type(), options, source);
    }

    /**
     * The stored value of {@code key} as {@link #lookup} serves it (counted as a hit, a stale
     * one refreshed by {@code source.refresh()} in the background, as is one due for early
     * refresh), or {@code null} when nothing usable is stored: then nothing is loaded and no
     * miss is counted, for a caller that serves a miss its own way (a page cache's fast path
     * passes the request on to the application, whose ordinary path counts and loads it). The
     * value comes in a {@link Snapshot} of the entry it was read from, for {@link #hitAgain};
     * its {@link Snapshot#outcome} says hit or stale.
     */
    public <T> Snapshot<T> lookupStored(Key key, Class<T> type, Options options,
            Source<? extends T> source) {
        return open().lookupStored(key, type, options, source);
    }

    /**
     * Whether {@code last}, a {@link #lookupStored snapshot} of a key, is a fresh
     * hit again, answered without reading the entry again (from memory; on the file store, by
     * one {@code stat} of the entry's file): counted and traced as a hit. {@code false}, with
     * nothing read or counted, when the store does not vouch for its entry
     * ({@link io.larder.spi.Store#holds}), or it is stale, no longer current or due for an early
     * refresh: the caller then reads the key with {@link #lookupStored}. Never waits for a lock,
     * a load or another process.
     */
    public boolean hitAgain(Snapshot<?> last) {
        return open().hitAgain(last);
    }

    /**
     * The values of many keys: cached ones from the store (a stale one refreshed as by
     * {@code get}), the missing ones from one call of {@code loader}, with at most one load per
     * key at a time in this process. The result follows the order of {@code keys}; a key the
     * loader did not return is absent from it and recorded as absent, so later bulk gets skip
     * it until it expires or a tag invalidates it (a single {@code get} still loads it); a
     * {@code null} value is cached.
     */
    public <T> Map<Key, T> getAll(Collection<Key> keys, Class<T> type,
            BulkLoader<? extends T> loader) {
        return getAll(keys, type, Options.NONE, loader);
    }

    /** As {@link #getAll(Collection, Class, BulkLoader)}, with per-entry TTL, stale or tags. */
    public <T> Map<Key, T> getAll(Collection<Key> keys, Class<T> type, Options options,
            BulkLoader<? extends T> loader) {
        return open().getAll(keys, type, options, loader);
    }

    /** As {@link #getAll(Collection, Class, Options, BulkLoader)}, for a generic type. */
    public <T> Map<Key, T> getAll(Collection<Key> keys, TypeRef<T> type, Options options,
            BulkLoader<? extends T> loader) {
        return open().getAll(keys, type.type(), options, loader);
    }

    /**
     * The cached value of {@code key} if there is a usable one, without loading; a stale value is
     * returned as it is, without a refresh. Empty also when the cached value is {@code null}:
     * {@link #peek} tells the two apart.
     */
    public <T> Optional<T> getIfPresent(Key key, Class<T> type) {
        return peek(key, type).map(Lookup::value);
    }

    /**
     * The cached entry of {@code key} if there is a usable one ({@code HIT} or {@code STALE}),
     * without loading or refreshing: present with a {@code null} value for a cached
     * {@code null}, empty when nothing usable is cached.
     */
    public <T> Optional<Lookup<T>> peek(Key key, Class<T> type) {
        return Optional.ofNullable(open().peek(key, type));
    }

    /** As {@link #peek(Key, Class)}, for a generic type. */
    public <T> Optional<Lookup<T>> peek(Key key, TypeRef<T> type) {
        return Optional.ofNullable(open().peek(key, type.type()));
    }

    /**
     * As {@link #peek(Key, Class)}, for an integration that reads the same keys again and again:
     * {@code last}, what this method returned for {@code key} before, is returned again, without
     * the key read, while the store vouches that its entry is still the key's
     * ({@link io.larder.spi.Store#holds}) and it is still usable and current (the clock is not
     * read for an entry usable forever); otherwise the key is read.
     *
     * @param last an earlier answer for {@code key} and {@code type}, or {@code null}
     * @return the usable entry's value, or {@code null} when nothing usable is cached
     */
    public <T> Snapshot<T> peek(Key key, Class<T> type, Snapshot<T> last) {
        return open().peek(key, type, last);
    }

    /** Stores {@code value} under {@code key} with the region's settings. */
    public void put(Key key, Object value) {
        put(key, value, Options.NONE);
    }

    /** Stores {@code value} under {@code key}. */
    public void put(Key key, Object value, Options options) {
        open().put(key, value, options);
    }

    /**
     * Makes {@code key} a miss; a load of it under way is returned to its callers but not stored.
     */
    public void invalidate(Key key) {
        engine.invalidate(key);
    }

    /** Makes every entry written under {@code tag} a miss, in every store, without scanning. */
    public void invalidateTag(String tag) {
        engine.invalidateTags(List.of(Options.checkTag(tag)));
    }

    /** Makes every entry written under any of {@code tags} a miss. */
    public void invalidateTags(Collection<String> tags) {
        tags.forEach(Options::checkTag);
        engine.invalidateTags(List.copyOf(tags));
    }

    /** Makes every entry of {@code region} a miss and frees its space. */
    public void invalidateRegion(String region) {
        engine.invalidateRegion(Key.checkRegion(region));
    }

    /** Calls {@code listener} after each invalidation made through this instance. */
    public void onInvalidation(Consumer<Invalidation> listener) {
        engine.invalidator.listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Adds tags to the load running on this thread, if any: the entry it produces carries them.
     * Integrations call it to tag a result with what it read (for example, loaded entities).
     */
    public static void tagCurrentLoad(String... tags) {
        for (String tag : tags) {
            Options.checkTag(tag);
        }
        CurrentLoad.tag(tags);
    }

    /**
     * Configures region {@code name} while this Larder runs (an integration creating a cache on
     * demand), replacing its settings if it had some; entries already stored keep their times.
     * Unset settings come from this Larder's defaults.
     */
    public Region configureRegion(String name, Consumer<Region.Builder> settings) {
        Region.Builder builder = Region.builder(name);
        settings.accept(builder);
        return engine.configure(builder.build(engine.regions.defaults()));
    }

    /** The settings of {@code region}: its own if configured, else the defaults. */
    public Region region(String region) {
        return engine.regions.state(region).region;
    }

    /** A snapshot of every region's counters, by region name. */
    public Map<String, RegionStats> stats() {
        Map<String, RegionStats> stats = new TreeMap<>();
        engine.regions.all().forEach(
                (name, state) -> stats.put(name, state.snapshot(engine.usage(name))));
        return stats;
    }

    /** Invalidations the store failed to apply: their entries may be served until they expire. */
    public long invalidationErrors() {
        return engine.store.invalidationErrors.sum();
    }

    /** The store entries live in. */
    public Store store() {
        return engine.store.store;
    }

    /**
     * Stops background refreshes and closes the store; later reads and writes throw
     * {@link IllegalStateException}. Closing again does nothing.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
        engine.close();
        engine.store.store.close();
    }

    private Engine open() {
        if (closed) {
            throw new IllegalStateException("this Larder is closed");
        }
        return engine;
    }

    /** Visible to tests in this package. */
    Engine engine() {
        return engine;
    }

    static Type typeOf(Object value) {
        return value == null ? Object.class : value.getClass();
    }
}
