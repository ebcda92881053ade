package io.larder.jcache;

import io.larder.Larder;
import io.larder.jcache.configuration.LarderConfiguration;
import io.larder.jcache.event.EventDispatcher;
import io.larder.jcache.integration.Integration;
import io.larder.jcache.spi.LarderCachingProvider;
import java.net.URI;
import java.time.InstantSource;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;
import javax.cache.spi.CachingProvider;

/**
 * A JCache {@code CacheManager} on one {@link Larder}: its store is chosen by the manager's
 * settings (see the module's README), and each of its caches is a region of that Larder.
 * Reach the Larder with {@code unwrap(Larder.class)}. Made by {@link LarderCachingProvider}.
 */
public final class CacheManagerImpl implements CacheManager {
    private final LarderCachingProvider provider;
    private final URI uri;
    private final ClassLoader classLoader;
    private final Properties properties;
    private final Settings settings;
    private final HeldCodec codec;
    private final InstantSource clock;
    private final Larder larder;
    private final ExecutorService executor;
    private final ConcurrentMap<String, CacheProxy<?, ?>> caches = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A manager; applications get one from {@code Caching.getCachingProvider()}. */
    public CacheManagerImpl(LarderCachingProvider provider, URI uri, ClassLoader classLoader,
            Properties properties) {
        this.provider = provider;
        this.uri = uri;
        this.classLoader = classLoader;
        this.properties = properties;
        this.settings = Settings.resolve(uri, classLoader, properties);
        this.codec = new HeldCodec(classLoader, settings.types());
        this.clock = settings.clock();
        this.larder = LarderBridge.open(settings.store(classLoader), clock, codec,
                settings.secret());
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "larder-jcache-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Whether the store these settings name keeps objects (so store-by-reference works). */
    public static boolean keepsObjects(URI uri, ClassLoader classLoader, Properties properties) {
        return Settings.resolve(uri, classLoader, properties).keepsObjects();
    }

    @Override
    public CachingProvider getCachingProvider() {
        return provider;
    }

    @Override
    public URI getURI() {
        return uri;
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    @Override
    public Properties getProperties() {
        return properties;
    }

    @Override
    public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName,
            C configuration) {
        requireOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        Objects.requireNonNull(configuration, "configuration");
        LarderConfiguration<K, V> copy = LarderConfiguration.of(configuration);
        if (!copy.isStoreByValue() && !settings.keepsObjects()) {
            throw new UnsupportedOperationException("store-by-reference needs the memory store;"
                    + " larder.store is " + settings.storeKind());
        }
        synchronized (caches) {
            if (caches.containsKey(cacheName)) {
                throw new CacheException("cache " + cacheName + " exists already");
            }
            codec.allow(copy.getKeyType());
            codec.allow(copy.getValueType());
            LarderBridge bridge = new LarderBridge(larder, cacheName, copy.getTags(),
                    copy.getMaximumSize(), clock);
            // no clear: a file or Redis cache keeps what other processes and earlier runs stored
            CacheProxy<K, V> cache = new CacheProxy<>(cacheName, this, copy, bridge,
                    integration(copy), new EventDispatcher<>(executor));
            caches.put(cacheName, cache);
            return cache;
        }
    }

    private static <K, V> Integration<K, V> integration(CompleteConfiguration<K, V> c) {
        CacheLoader<K, V> loader = c.getCacheLoaderFactory() == null ? null
                : c.getCacheLoaderFactory().create();
        CacheWriter<? super K, ? super V> writer = c.isWriteThrough()
                && c.getCacheWriterFactory() != null ? c.getCacheWriterFactory().create() : null;
        return new Integration<>(loader, writer);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
        requireOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        CacheProxy<?, ?> cache = caches.get(cacheName);
        if (cache == null) {
            return null;
        }
        Class<?> configuredKey = cache.configuration.getKeyType();
        Class<?> configuredValue = cache.configuration.getValueType();
        if (!configuredKey.equals(keyType) || !configuredValue.equals(valueType)) {
            throw new ClassCastException("cache " + cacheName + " holds " + configuredKey.getName()
                    + " -> " + configuredValue.getName() + ", not " + keyType.getName() + " -> "
                    + valueType.getName());
        }
        return (Cache<K, V>) cache;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> Cache<K, V> getCache(String cacheName) {
        requireOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        return (Cache<K, V>) caches.get(cacheName);
    }

    @Override
    public Iterable<String> getCacheNames() {
        requireOpen();
        return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
    }

    @Override
    public void destroyCache(String cacheName) {
        requireOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        CacheProxy<?, ?> cache = caches.get(cacheName);
        if (cache != null) {
            cache.clear();
            cache.close();
        }
    }

    @Override
    public void enableManagement(String cacheName, boolean enabled) {
        requireOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        CacheProxy<?, ?> cache = caches.get(cacheName);
        if (cache != null) {
            cache.enableManagement(enabled);
        }
    }

    @Override
    public void enableStatistics(String cacheName, boolean enabled) {
        requireOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        CacheProxy<?, ?> cache = caches.get(cacheName);
        if (cache != null) {
            cache.enableStatistics(enabled);
        }
    }

    /** Forgets a cache that was closed. */
    void release(CacheProxy<?, ?> cache) {
        caches.remove(cache.getName(), cache);
    }

    /** Where loadAll and asynchronous listeners run. */
    ExecutorService executor() {
        return executor;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        provider.release(this);
        caches.values().forEach(CacheProxy::close);
        caches.clear();
        executor.shutdown();
        larder.close();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        if (clazz == Larder.class) {
            return clazz.cast(larder);
        }
        throw new IllegalArgumentException("a Larder cache manager cannot be unwrapped to "
                + clazz);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the cache manager is closed");
        }
    }
}
