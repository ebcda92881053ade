package io.larder.jcache;

import io.larder.Key;
import io.larder.Lookup;
import io.larder.Outcome;
import io.larder.jcache.configuration.LarderConfiguration;
import io.larder.jcache.event.EventDispatcher;
import io.larder.jcache.event.EventDispatcher.Change;
import io.larder.jcache.expiry.Expiry;
import io.larder.jcache.integration.Integration;
import io.larder.jcache.management.Statistics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.cache.Cache;
import javax.cache.event.EventType;

/**
 * What every operation of a cache shares: the entries (through the {@link LarderBridge}), one
 * lock per key stripe that makes each operation atomic for its key, expiry, store-by-value
 * copies, the loader and writer, the listeners and the statistics.
 */
abstract class CacheCore<K, V> implements Cache<K, V> {
    private static final int STRIPES = 256;

    final String name;
    final CacheManagerImpl manager;
    final LarderConfiguration<K, V> configuration;
    final LarderBridge bridge;
    final Expiry expiry;
    final Integration<K, V> integration;
    final EventDispatcher<K, V> events;
    final Statistics statistics;
    private final Copier copier;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    volatile boolean closed;

    CacheCore(String name, CacheManagerImpl manager, LarderConfiguration<K, V> configuration,
            LarderBridge bridge, Integration<K, V> integration, EventDispatcher<K, V> events) {
        this.name = name;
        this.manager = manager;
        this.configuration = configuration;
        this.bridge = bridge;
        this.expiry = new Expiry(configuration.getExpiryPolicyFactory().create());
        this.integration = integration;
        this.events = events;
        this.statistics = new Statistics(bridge::evictions, bridge::resetEvictions);
        this.copier = configuration.isStoreByValue() ? new Copier(manager.getClassLoader()) : null;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    final void requireOpen() {
        if (closed) {
            throw new IllegalStateException("cache " + name + " is closed");
        }
    }

    final ReentrantLock lock(Key key) {
        int h = key.hashCode();
        ReentrantLock lock = locks[(h ^ (h >>> 16)) & (STRIPES - 1)];
        lock.lock();
        return lock;
    }

    /** A list to collect changes in, or {@code null} when no listener wants them. */
    final List<Change<K, V>> changes() {
        return events.active() ? new ArrayList<>(2) : null;
    }

    /** What an operation does under its key's lock, collecting changes for the listeners. */
    interface Locked<K, V, R> {
        R run(List<Change<K, V>> changes);
    }

    /**
     * Runs {@code body} under the lock of {@code key} with a list for its changes, then tells
     * the listeners, after the lock was released (not if {@code body} threw).
     */
    final <R> R locked(Key key, Locked<K, V, R> body) {
        List<Change<K, V>> changes = changes();
        R result;
        ReentrantLock lock = lock(key);
        try {
            result = body.run(changes);
        } finally {
            lock.unlock();
        }
        publish(changes);
        return result;
    }

    /** Publishes collected changes to the listeners (after the key's lock was released). */
    final void publish(List<Change<K, V>> changes) {
        if (changes != null) {
            events.publish(this, changes);
        }
    }

    static <K, V> void record(List<Change<K, V>> changes, EventType type, K key, V value,
            V old) {
        if (changes != null) {
            changes.add(new Change<>(type, key, value, old));
        }
    }

    @SuppressWarnings("unchecked")
    final <T> T copy(T value) {
        return copier == null ? value : (T) copier.copy(value);
    }

    @SuppressWarnings("unchecked")
    final V valueOf(Held held) {
        return copy((V) held.value());
    }

    @SuppressWarnings("unchecked")
    final K keyOf(Held held) {
        return (K) held.key();
    }

    /**
     * The live entry of {@code key} (caller holds its lock), or {@code null}; an expired entry
     * is removed and reported as expired.
     */
    final Held live(Object jcacheKey, Key key, long now, List<Change<K, V>> changes) {
        Held held = bridge.read(key);
        if (held == null) {
            bridge.forget(jcacheKey, key);
            return null;
        }
        if (!held.expiredAt(now)) {
            return held;
        }
        bridge.remove(jcacheKey, key);
        record(changes, EventType.EXPIRED, keyOf(held), valueOf(held), valueOf(held));
        return null;
    }

    /**
     * Stores {@code value} for {@code key} where {@code current} was (caller holds the lock),
     * with the expiry of a creation or an update, and records the change.
     *
     * @return whether the value was stored (false: it expired at once)
     */
    final boolean store(Key larderKey, K key, V value, Held current, long now,
            List<Change<K, V>> changes) {
        long expireAt = current == null ? expiry.created(now)
                : expiry.updated(now, current.expireAt());
        if (expireAt <= now) {
            if (current != null) {
                bridge.remove(key, larderKey);
                record(changes, EventType.EXPIRED, key, valueOf(current), valueOf(current));
            }
            return current != null;
        }
        bridge.write(larderKey, new Held(copy(key), copy(value), expireAt));
        if (current == null) {
            record(changes, EventType.CREATED, key, value, null);
        } else {
            record(changes, EventType.UPDATED, key, value, valueOf(current));
        }
        return true;
    }

    /** Applies a read's expiry to {@code held} (caller holds the lock). */
    final void touch(Key larderKey, Held held, long now) {
        if (!expiry.tracksAccess()) {
            return;
        }
        long expireAt = expiry.accessed(now, held.expireAt());
        if (expireAt == held.expireAt()) {
            return;
        }
        if (expireAt <= now) {
            bridge.remove(held.key(), larderKey);
        } else {
            bridge.write(larderKey, held.expiringAt(expireAt));
        }
    }

    /** Removes {@code held} (caller holds the lock) and records the removal. */
    final void delete(Key larderKey, K key, Held held, List<Change<K, V>> changes) {
        bridge.remove(key, larderKey);
        V old = valueOf(held);
        record(changes, EventType.REMOVED, key, old, old);
    }

    /**
     * The loader's value of {@code key} (caller holds the lock), loaded on Larder's load path so
     * that processes sharing the store load it once, and stored as a creation.
     */
    final V loadInto(Key larderKey, K key, long now, List<Change<K, V>> changes) {
        long expireAt = expiry.created(now);
        Lookup<Held> found = bridge.load(larderKey, expireAt, () -> {
            V loaded = integration.load(key);
            return loaded == null ? null : new Held(copy(key), copy(loaded), expireAt);
        });
        if (found == null) {
            return null;
        }
        V value = valueOf(found.value());
        if (found.outcome() == Outcome.LOADED && !found.value().expiredAt(now)) {
            record(changes, EventType.CREATED, key, value, null);
        }
        return value;
    }

    final boolean readThrough() {
        return configuration.isReadThrough() && integration.loader() != null;
    }

    final boolean writeThrough() {
        return configuration.isWriteThrough() && integration.writer() != null;
    }

    /** Rejects a key or value that is not of the cache's configured types. */
    final void checkTypes(Object key, Object value) {
        Class<?> keyType = configuration.getKeyType();
        Class<?> valueType = configuration.getValueType();
        if (keyType != Object.class && !keyType.isInstance(key)) {
            throw new ClassCastException("cache " + name + " takes keys of "
                    + keyType.getName() + ", not " + key.getClass().getName());
        }
        if (value != null && valueType != Object.class && !valueType.isInstance(value)) {
            throw new ClassCastException("cache " + name + " takes values of "
                    + valueType.getName() + ", not " + value.getClass().getName());
        }
    }

    static void requireNonNull(Object o, String what) {
        if (o == null) {
            throw new NullPointerException(what + " is null");
        }
    }
}
