package io.larder.jcache;

import io.larder.Key;
import io.larder.Larder;
import io.larder.jcache.configuration.LarderConfiguration;
import io.larder.jcache.event.EventDispatcher;
import io.larder.jcache.expiry.Expiry;
import io.larder.jcache.integration.Integration;
import io.larder.jcache.management.ConfigurationBean;
import io.larder.jcache.management.Jmx;
import java.io.Closeable;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.event.EventType;
import org.slf4j.LoggerFactory;

/**
 * A JCache {@code Cache} on one Larder region: each operation runs under its key's lock, reads
 * the entry through Larder, applies the expiry policy, the loader, the writer and the
 * processors, writes the result back through Larder and then tells the listeners. Bulk
 * operations are in {@link BulkCache}.
 */
final class CacheProxy<K, V> extends BulkCache<K, V> {
    private final ConfigurationBean configurationBean;

    CacheProxy(String name, CacheManagerImpl manager, LarderConfiguration<K, V> configuration,
            LarderBridge bridge, Integration<K, V> integration, EventDispatcher<K, V> events) {
        super(name, manager, configuration, bridge, integration, events);
        this.configurationBean = new ConfigurationBean(() -> this.configuration);
        statistics.enable(configuration.isStatisticsEnabled());
        if (configuration.isStatisticsEnabled()) {
            Jmx.register(managerUri(), name, Jmx.Kind.CacheStatistics, statistics);
        }
        if (configuration.isManagementEnabled()) {
            Jmx.register(managerUri(), name, Jmx.Kind.CacheConfiguration, configurationBean);
        }
        for (CacheEntryListenerConfiguration<K, V> listener
                : configuration.getCacheEntryListenerConfigurations()) {
            events.register(listener);
        }
    }

    private String managerUri() {
        return manager.getURI().toString();
    }

    @Override
    public V get(K key) {
        requireOpen();
        requireNonNull(key, "key");
        long start = statistics.start();
        Held held = bridge.read(key);
        // An eternal entry (the JCache default) is a hit without a clock read.
        if (held != null && (held.expireAt() == Expiry.NEVER || !held.expiredAt(bridge.now()))) {
            statistics.hits(1);
            if (expiry.tracksAccess()) {
                long now = bridge.now();
                Key k = bridge.key(key);
                ReentrantLock lock = lock(k);
                try {
                    Held current = live(key, k, now, null);
                    if (current != null) {
                        touch(k, current, now);
                    }
                } finally {
                    lock.unlock();
                }
            }
            statistics.getTime(start);
            return valueOf(held);
        }
        Key k = bridge.key(key);
        V value = locked(k, changes -> {
            long now = bridge.now();
            Held current = live(key, k, now, changes);
            if (current != null) {
                statistics.hits(1);
                touch(k, current, now);
                return valueOf(current);
            }
            statistics.misses(1);
            return readThrough() ? loadInto(k, key, now, changes) : null;
        });
        statistics.getTime(start);
        return value;
    }

    @Override
    public boolean containsKey(K key) {
        requireOpen();
        requireNonNull(key, "key");
        Held held = bridge.read(key);
        return held != null && (held.expireAt() == Expiry.NEVER || !held.expiredAt(bridge.now()));
    }

    @Override
    public void put(K key, V value) {
        putting(key, value, false);
    }

    @Override
    public V getAndPut(K key, V value) {
        return putting(key, value, true);
    }

    private V putting(K key, V value, boolean previous) {
        requireOpen();
        requireNonNull(key, "key");
        requireNonNull(value, "value");
        checkTypes(key, value);
        long start = statistics.start();
        Key k = bridge.key(key);
        V old = locked(k, changes -> {
            // Nobody needs the entry a plain put replaces when no listener, writer or expiry
            // depends on it: then it is written without being read first, and when entries
            // never expire, without the time.
            boolean blind = !previous && changes == null && !writeThrough()
                    && expiry.updateIgnoresCurrent();
            long now = blind && expiry.eternal() ? 0 : bridge.now();
            Held current = blind ? null : live(key, k, now, changes);
            V replaced = null;
            if (previous) {
                statistics.hits(current != null ? 1 : 0);
                statistics.misses(current != null ? 0 : 1);
                replaced = current == null ? null : valueOf(current);
            }
            integration.write(new EntryProxy<>(key, value));
            if (store(k, key, value, current, now, changes)) {
                statistics.puts(1);
            }
            return replaced;
        });
        statistics.putTime(start);
        return old;
    }

    @Override
    public boolean putIfAbsent(K key, V value) {
        requireOpen();
        requireNonNull(key, "key");
        requireNonNull(value, "value");
        checkTypes(key, value);
        long start = statistics.start();
        Key k = bridge.key(key);
        boolean put = locked(k, changes -> {
            long now = bridge.now();
            Held current = live(key, k, now, changes);
            if (current != null) {
                statistics.hits(1);
                return false;
            }
            statistics.misses(1);
            integration.write(new EntryProxy<>(key, value));
            boolean stored = store(k, key, value, null, now, changes);
            statistics.puts(stored ? 1 : 0);
            return stored;
        });
        statistics.putTime(start);
        return put;
    }

    @Override
    public boolean remove(K key) {
        requireOpen();
        requireNonNull(key, "key");
        long start = statistics.start();
        Key k = bridge.key(key);
        boolean removed = locked(k, changes -> {
            Held current = live(key, k, bridge.now(), changes);
            integration.delete(key);
            if (current == null) {
                return false;
            }
            delete(k, key, current, changes);
            statistics.removals(1);
            return true;
        });
        statistics.removeTime(start);
        return removed;
    }

    @Override
    public boolean remove(K key, V oldValue) {
        requireOpen();
        requireNonNull(key, "key");
        requireNonNull(oldValue, "oldValue");
        long start = statistics.start();
        Key k = bridge.key(key);
        boolean removed = locked(k, changes -> {
            long now = bridge.now();
            Held current = live(key, k, now, changes);
            if (current == null) {
                statistics.misses(1);
                return false;
            }
            statistics.hits(1);
            if (!Objects.equals(current.value(), oldValue)) {
                touch(k, current, now);
                return false;
            }
            integration.delete(key);
            delete(k, key, current, changes);
            statistics.removals(1);
            return true;
        });
        statistics.removeTime(start);
        return removed;
    }

    @Override
    public V getAndRemove(K key) {
        requireOpen();
        requireNonNull(key, "key");
        long start = statistics.start();
        Key k = bridge.key(key);
        V old = locked(k, changes -> {
            Held current = live(key, k, bridge.now(), changes);
            integration.delete(key);
            if (current == null) {
                statistics.misses(1);
                return null;
            }
            statistics.hits(1);
            V value = valueOf(current);
            delete(k, key, current, changes);
            statistics.removals(1);
            return value;
        });
        statistics.removeTime(start);
        statistics.getTime(start);
        return old;
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        requireOpen();
        requireNonNull(oldValue, "oldValue");
        return replacing(key, oldValue, newValue) != null;
    }

    @Override
    public boolean replace(K key, V value) {
        return replacing(key, null, value) != null;
    }

    @Override
    public V getAndReplace(K key, V value) {
        return replacing(key, null, value);
    }

    /** Replaces the value of a present key (equal to {@code expected} if given); the old one. */
    private V replacing(K key, V expected, V value) {
        requireOpen();
        requireNonNull(key, "key");
        requireNonNull(value, "value");
        checkTypes(key, value);
        long start = statistics.start();
        Key k = bridge.key(key);
        V old = locked(k, changes -> {
            long now = bridge.now();
            Held current = live(key, k, now, changes);
            if (current == null) {
                statistics.misses(1);
                return null;
            }
            statistics.hits(1);
            if (expected != null && !Objects.equals(current.value(), expected)) {
                touch(k, current, now);
                return null;
            }
            integration.write(new EntryProxy<>(key, value));
            V replaced = valueOf(current);
            if (store(k, key, value, current, now, changes)) {
                statistics.puts(1);
            }
            return replaced;
        });
        statistics.putTime(start);
        return old;
    }

    @Override
    public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
        requireOpen();
        requireNonNull(listener, "listener configuration");
        configuration.addCacheEntryListenerConfiguration(listener);
        events.register(listener);
    }

    @Override
    public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
        requireOpen();
        requireNonNull(listener, "listener configuration");
        configuration.removeCacheEntryListenerConfiguration(listener);
        events.deregister(listener);
    }

    @Override
    public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
        if (clazz.isInstance(configuration)) {
            return clazz.cast(new LarderConfiguration<>(configuration));
        }
        throw new IllegalArgumentException("the configuration is not a " + clazz.getName());
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public CacheManager getCacheManager() {
        return manager;
    }

    /** Turns statistics on or off, with their bean. */
    void enableStatistics(boolean on) {
        configuration.setStatisticsEnabled(on);
        statistics.enable(on);
        if (on) {
            Jmx.register(managerUri(), name, Jmx.Kind.CacheStatistics, statistics);
        } else {
            Jmx.unregister(managerUri(), name, Jmx.Kind.CacheStatistics);
        }
    }

    /** Turns the configuration bean on or off. */
    void enableManagement(boolean on) {
        configuration.setManagementEnabled(on);
        if (on) {
            Jmx.register(managerUri(), name, Jmx.Kind.CacheConfiguration, configurationBean);
        } else {
            Jmx.unregister(managerUri(), name, Jmx.Kind.CacheConfiguration);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        manager.release(this);
        Jmx.unregister(managerUri(), name, Jmx.Kind.CacheStatistics);
        Jmx.unregister(managerUri(), name, Jmx.Kind.CacheConfiguration);
        events.close();
        for (Object part : new Object[] {integration.loader(), integration.writer(),
                expiry.policy()}) {
            if (part instanceof Closeable closeable) {
                try {
                    closeable.close();
                } catch (IOException | RuntimeException e) {
                    LoggerFactory.getLogger(CacheProxy.class).warn("closing {} failed", part, e);
                }
            }
        }
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
            return clazz.cast(bridge.larder());
        }
        if (clazz == LarderConfiguration.class) {
            return clazz.cast(new LarderConfiguration<>(configuration));
        }
        throw new IllegalArgumentException("a Larder cache cannot be unwrapped to " + clazz);
    }
}
