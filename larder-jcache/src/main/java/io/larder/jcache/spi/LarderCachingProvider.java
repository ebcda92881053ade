package io.larder.jcache.spi;

import io.larder.jcache.CacheManagerImpl;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * Larder's JCache provider, found by {@code Caching.getCachingProvider()} through
 * {@code ServiceLoader}. With several providers on the class path, pick it by name:
 * {@code Caching.getCachingProvider("io.larder.jcache.spi.LarderCachingProvider")}, or set the
 * system property {@code javax.cache.spi.CachingProvider} to that name. One cache manager per
 * class loader and URI; the URI may name a properties file ({@code classpath:cache.properties},
 * {@code file:/etc/app/cache.properties}) with the manager's settings.
 */
public final class LarderCachingProvider implements CachingProvider {
    private static final URI DEFAULT_URI = URI.create("urn:larder:default");

    private final Map<ClassLoader, Map<URI, CacheManagerImpl>> managers = new WeakHashMap<>();

    /** The provider; {@code ServiceLoader} and {@code Caching} make it. */
    public LarderCachingProvider() {
    }

    @Override
    public synchronized CacheManager getCacheManager(URI uri, ClassLoader classLoader,
            Properties properties) {
        URI theUri = uri == null ? getDefaultURI() : uri;
        ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
        Map<URI, CacheManagerImpl> byUri = managers.computeIfAbsent(loader, l -> new HashMap<>());
        CacheManagerImpl manager = byUri.get(theUri);
        if (manager == null || manager.isClosed()) {
            Properties given = properties == null ? getDefaultProperties() : properties;
            manager = new CacheManagerImpl(this, theUri, loader, given);
            byUri.put(theUri, manager);
        }
        return manager;
    }

    @Override
    public ClassLoader getDefaultClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : LarderCachingProvider.class.getClassLoader();
    }

    @Override
    public URI getDefaultURI() {
        return DEFAULT_URI;
    }

    @Override
    public Properties getDefaultProperties() {
        return new Properties();
    }

    @Override
    public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
        return getCacheManager(uri, classLoader, getDefaultProperties());
    }

    @Override
    public CacheManager getCacheManager() {
        return getCacheManager(getDefaultURI(), getDefaultClassLoader());
    }

    @Override
    public void close() {
        Map<ClassLoader, Map<URI, CacheManagerImpl>> all;
        synchronized (this) {
            all = new HashMap<>(managers);
            managers.clear();
        }
        all.values().forEach(byUri -> Map.copyOf(byUri).values().forEach(CacheManager::close));
    }

    @Override
    public void close(ClassLoader classLoader) {
        Map<URI, CacheManagerImpl> byUri;
        synchronized (this) {
            byUri = managers.remove(classLoader == null ? getDefaultClassLoader() : classLoader);
        }
        if (byUri != null) {
            Map.copyOf(byUri).values().forEach(CacheManager::close);
        }
    }

    @Override
    public void close(URI uri, ClassLoader classLoader) {
        CacheManagerImpl manager;
        synchronized (this) {
            Map<URI, CacheManagerImpl> byUri = managers.get(
                    classLoader == null ? getDefaultClassLoader() : classLoader);
            manager = byUri == null ? null
                    : byUri.remove(uri == null ? getDefaultURI() : uri);
        }
        if (manager != null) {
            manager.close();
        }
    }

    /** Forgets a manager that was closed (called by the manager). */
    public synchronized void release(CacheManager manager) {
        Map<URI, CacheManagerImpl> byUri = managers.get(manager.getClassLoader());
        if (byUri != null) {
            byUri.remove(manager.getURI(), manager);
        }
    }

    @Override
    public boolean isSupported(OptionalFeature feature) {
        return feature == OptionalFeature.STORE_BY_REFERENCE
                && CacheManagerImpl.keepsObjects(getDefaultURI(), getDefaultClassLoader(),
                        getDefaultProperties());
    }
}
