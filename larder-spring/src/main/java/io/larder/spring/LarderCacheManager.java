package io.larder.spring;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.Region;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * Spring's {@link CacheManager} on a {@link Larder}: each cache is the Larder region of the same
 * name, with the region's TTL, stale window, early refresh and tags (configure them on the
 * Larder, or with {@code larder.regions.*} under Spring Boot). Caches are made on first use unless
 * {@link #setCacheNames} fixed the list.
 *
 * <pre>{@code
 * @Bean LarderCacheManager cacheManager(Larder larder) { return new LarderCacheManager(larder); }
 * }</pre>
 *
 * Register {@link LarderCachingConfiguration} too (Spring Boot's starter does) so that cached
 * methods' generic return types and {@link CacheTags} reach the caches.
 */
public final class LarderCacheManager implements CacheManager, DisposableBean {
    private final Larder larder;
    private final ValueTypes valueTypes = new ValueTypes();
    private final ConcurrentMap<String, LarderCache> caches = new ConcurrentHashMap<>();
    private volatile Set<String> fixedNames;
    private volatile boolean allowNullValues = true;
    private volatile Executor executor;
    private ExecutorService ownedExecutor;

    /** A manager whose caches live in {@code larder}. */
    public LarderCacheManager(Larder larder) {
        this.larder = Objects.requireNonNull(larder, "larder");
    }

    /**
     * Fixes the caches to {@code names} (each a valid region name), made now; other names then
     * have no cache ({@code getCache} returns {@code null}, as Spring expects). {@code null} goes
     * back to making caches on first use.
     */
    public void setCacheNames(Collection<String> names) {
        if (names == null) {
            fixedNames = null;
            return;
        }
        Set<String> fixed = new LinkedHashSet<>(names);
        fixed.forEach(this::create);
        fixedNames = Collections.unmodifiableSet(fixed);
    }

    /**
     * Whether {@code null} results are cached (default {@code true}, as Spring's caches); with
     * {@code false}, a {@code null} from a loader is returned and not cached, and {@code put} of
     * {@code null} fails.
     */
    public void setAllowNullValues(boolean allowNullValues) {
        if (!caches.isEmpty() && allowNullValues != this.allowNullValues) {
            throw new IllegalStateException("allowNullValues must be set before the first cache"
                    + " is made");
        }
        this.allowNullValues = allowNullValues;
    }

    /**
     * Where {@code retrieve(key, loader)} waits for a missed key's load (for methods returning
     * {@code CompletableFuture}); default a small pool of daemon threads made on first use.
     */
    public void setExecutor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public Cache getCache(String name) {
        LarderCache cache = caches.get(name);
        if (cache != null) {
            return cache;
        }
        Set<String> fixed = fixedNames;
        return fixed != null && !fixed.contains(name) ? null : create(name);
    }

    @Override
    public Collection<String> getCacheNames() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
    }

    /** The Larder behind the caches. */
    public Larder larder() {
        return larder;
    }

    private LarderCache create(String name) {
        return caches.computeIfAbsent(name, n -> {
            try {
                Key.checkRegion(n);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Spring cache '" + n + "' has no Larder region"
                        + " of that name: " + e.getMessage(), e);
            }
            useCodec(n);
            return new LarderCache(n, larder, this, allowNullValues, new CacheCounters(),
                    new KeyMemo(n), null, Options.NONE);
        });
    }

    /** Gives region {@code name} the codec that reads and writes {@link CachedValue}s. */
    private void useCodec(String name) {
        Region current = larder.region(name);
        if (current.codec() instanceof CachedValueCodec) {
            return;
        }
        larder.configureRegion(name, r -> {
            r.ttl(current.ttl()).staleFor(current.staleFor())
                    .earlyRefresh(current.earlyRefresh())
                    .codec(new CachedValueCodec(current.codec(), valueTypes));
            if (!current.tags().isEmpty()) {
                r.tags(current.tags().toArray(String[]::new));
            }
            current.maximumEntries().ifPresent(r::maximumEntries);
            current.maximumBytes().ifPresent(r::maximumBytes);
        });
    }

    ValueTypes valueTypes() {
        return valueTypes;
    }

    synchronized Executor executor() {
        if (executor == null) {
            AtomicInteger count = new AtomicInteger();
            ownedExecutor = Executors.newCachedThreadPool(r -> {
                Thread thread = new Thread(r, "larder-spring-retrieve-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            executor = ownedExecutor;
        }
        return executor;
    }

    /** Stops the executor this manager made; the Larder is its owner's to close. */
    @Override
    public synchronized void destroy() {
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }
}
