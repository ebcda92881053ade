package io.larder.jcache;

import io.larder.Key;
import io.larder.jcache.configuration.LarderConfiguration;
import io.larder.jcache.event.EventDispatcher;
import io.larder.jcache.event.EventDispatcher.Change;
import io.larder.jcache.integration.Integration;
import io.larder.jcache.processor.ProcessorEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import javax.cache.Cache;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * The operations of a cache on many keys, and its entry processors: each key is still changed
 * under its own lock, the writer and loader are called once for a batch, a partial failure of the
 * writer leaves exactly the entries it did not write unchanged, and a processor's net effect is
 * applied once it returns.
 */
abstract class BulkCache<K, V> extends CacheCore<K, V> {

    BulkCache(String name, CacheManagerImpl manager, LarderConfiguration<K, V> configuration,
            LarderBridge bridge, Integration<K, V> integration, EventDispatcher<K, V> events) {
        super(name, manager, configuration, bridge, integration, events);
    }

    @Override
    public Map<K, V> getAll(Set<? extends K> keys) {
        requireOpen();
        requireNonNull(keys, "keys");
        keys.forEach(key -> requireNonNull(key, "a key"));
        long start = statistics.start();
        Map<K, V> result = new LinkedHashMap<>();
        List<K> missing = new ArrayList<>();
        List<Change<K, V>> changes = changes();
        for (K key : keys) {
            Key k = bridge.key(key);
            ReentrantLock lock = lock(k);
            try {
                long now = bridge.now();
                Held current = live(key, k, now, changes);
                if (current == null) {
                    statistics.misses(1);
                    missing.add(key);
                } else {
                    statistics.hits(1);
                    touch(k, current, now);
                    result.put(key, valueOf(current));
                }
            } finally {
                lock.unlock();
            }
        }
        if (readThrough() && !missing.isEmpty()) {
            Map<K, V> loaded = integration.loadAll(missing);
            for (K key : missing) {
                V value = loaded.get(key);
                if (value != null) {
                    storeLoaded(key, value, false, changes);
                    result.put(key, value);
                }
            }
        }
        publish(changes);
        statistics.getTime(start);
        return result;
    }

    /** Stores a loaded value (no writer); replaces a present one only if {@code replace}. */
    private void storeLoaded(K key, V value, boolean replace, List<Change<K, V>> changes) {
        Key k = bridge.key(key);
        ReentrantLock lock = lock(k);
        try {
            long now = bridge.now();
            Held current = live(key, k, now, changes);
            if (current == null || replace) {
                store(k, key, value, current, now, changes);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void loadAll(Set<? extends K> keys, boolean replaceExisting,
            CompletionListener listener) {
        requireOpen();
        requireNonNull(keys, "keys");
        keys.forEach(key -> requireNonNull(key, "a key"));
        if (integration.loader() == null) {
            if (listener != null) {
                listener.onCompletion();
            }
            return;
        }
        List<K> wanted = new ArrayList<>(keys);
        manager.executor().execute(() -> {
            try {
                List<K> toLoad = new ArrayList<>();
                for (K key : wanted) {
                    if (replaceExisting || !containsKey(key)) {
                        toLoad.add(key);
                    }
                }
                if (!toLoad.isEmpty()) {
                    Map<K, V> loaded = integration.loadAll(toLoad);
                    List<Change<K, V>> changes = changes();
                    for (K key : toLoad) {
                        V value = loaded.get(key);
                        if (value != null) {
                            storeLoaded(key, value, replaceExisting, changes);
                        }
                    }
                    publish(changes);
                }
                if (listener != null) {
                    listener.onCompletion();
                }
            } catch (Exception e) {
                if (listener != null) {
                    listener.onException(e instanceof CacheLoaderException ? e
                            : new CacheLoaderException(e));
                }
            }
        });
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> map) {
        requireOpen();
        requireNonNull(map, "map");
        map.forEach((key, value) -> {
            requireNonNull(key, "a key");
            requireNonNull(value, "a value");
            checkTypes(key, value);
        });
        long start = statistics.start();
        Collection<Cache.Entry<? extends K, ? extends V>> unwritten = new ArrayList<>();
        map.forEach((key, value) -> unwritten.add(new EntryProxy<>(key, value)));
        CacheWriterException failure = writeThrough() ? integration.writeAll(unwritten) : null;
        Set<Object> failed = new LinkedHashSet<>();
        if (failure != null) {
            unwritten.forEach(entry -> failed.add(entry.getKey()));
        }
        List<Change<K, V>> changes = changes();
        for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
            if (failed.contains(entry.getKey())) {
                continue;
            }
            Key k = bridge.key(entry.getKey());
            ReentrantLock lock = lock(k);
            try {
                long now = bridge.now();
                Held current = live(entry.getKey(), k, now, changes);
                if (store(k, entry.getKey(), entry.getValue(), current, now, changes)) {
                    statistics.puts(1);
                }
            } finally {
                lock.unlock();
            }
        }
        publish(changes);
        statistics.putTime(start);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void removeAll(Set<? extends K> keys) {
        requireOpen();
        requireNonNull(keys, "keys");
        keys.forEach(key -> requireNonNull(key, "a key"));
        removing(new ArrayList<>(keys));
    }

    @Override
    public void removeAll() {
        requireOpen();
        List<K> keys = new ArrayList<>();
        for (Object key : bridge.keys()) {
            keys.add(cast(key));
        }
        removing(keys);
    }

    private void removing(List<K> keys) {
        long start = statistics.start();
        Collection<Object> undeleted = new ArrayList<>(keys);
        CacheWriterException failure = writeThrough() ? integration.deleteAll(undeleted) : null;
        Set<Object> failed = failure == null ? Set.of() : new LinkedHashSet<>(undeleted);
        List<Change<K, V>> changes = changes();
        for (K key : keys) {
            if (failed.contains(key)) {
                continue;
            }
            Key k = bridge.key(key);
            ReentrantLock lock = lock(k);
            try {
                Held current = live(key, k, bridge.now(), changes);
                if (current != null) {
                    delete(k, key, current, changes);
                    statistics.removals(1);
                }
            } finally {
                lock.unlock();
            }
        }
        publish(changes);
        statistics.removeTime(start);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void clear() {
        requireOpen();
        bridge.clear();
    }

    @Override
    public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
        requireOpen();
        requireNonNull(key, "key");
        requireNonNull(processor, "processor");
        long start = statistics.start();
        Key k = bridge.key(key);
        List<Change<K, V>> changes = changes();
        T result;
        ReentrantLock lock = lock(k);
        try {
            long now = bridge.now();
            Held current = live(key, k, now, changes);
            statistics.hits(current != null ? 1 : 0);
            statistics.misses(current != null ? 0 : 1);
            ProcessorEntry<K, V> entry = new ProcessorEntry<>(key,
                    current == null ? null : valueOf(current),
                    readThrough() ? integration::load : null);
            try {
                result = processor.process(entry, arguments);
                apply(k, key, current, entry, now, changes);
            } catch (EntryProcessorException e) {
                throw e;
            } catch (Exception e) {
                throw new EntryProcessorException(e);
            }
        } finally {
            lock.unlock();
        }
        publish(changes);
        statistics.getTime(start);
        return result;
    }

    private void apply(Key k, K key, Held current, ProcessorEntry<K, V> entry, long now,
            List<Change<K, V>> changes) {
        switch (entry.action()) {
            case NONE -> { }
            case READ -> touch(k, current, now);
            case CREATED, UPDATED -> {
                V value = entry.getValue();
                integration.write(new EntryProxy<>(key, value));
                if (store(k, key, value, current, now, changes)) {
                    statistics.puts(1);
                }
            }
            case LOADED -> {
                if (store(k, key, entry.getValue(), null, now, changes)) {
                    statistics.puts(1);
                }
            }
            case REMOVED -> {
                integration.delete(key);
                if (current != null) {
                    delete(k, key, current, changes);
                    statistics.removals(1);
                }
            }
            default -> throw new IllegalStateException("unknown action " + entry.action());
        }
    }

    @Override
    public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys,
            EntryProcessor<K, V, T> processor, Object... arguments) {
        requireOpen();
        requireNonNull(keys, "keys");
        keys.forEach(key -> requireNonNull(key, "a key"));
        requireNonNull(processor, "processor");
        Map<K, EntryProcessorResult<T>> results = new LinkedHashMap<>();
        for (K key : keys) {
            try {
                T result = invoke(key, processor, arguments);
                if (result != null) {
                    results.put(key, () -> result);
                }
            } catch (EntryProcessorException e) {
                results.put(key, () -> {
                    throw e;
                });
            }
        }
        return results;
    }

    @SuppressWarnings("unchecked")
    private K cast(Object key) {
        return (K) key;
    }

    @Override
    public Iterator<Cache.Entry<K, V>> iterator() {
        requireOpen();
        Iterator<Object> keys = bridge.keys().iterator();
        return new Iterator<>() {
            private Cache.Entry<K, V> next;
            private K last;

            @Override
            public boolean hasNext() {
                while (next == null && keys.hasNext()) {
                    K key = cast(keys.next());
                    Key k = bridge.key(key);
                    List<Change<K, V>> changes = changes();
                    ReentrantLock lock = lock(k);
                    try {
                        long now = bridge.now();
                        Held current = live(key, k, now, changes);
                        if (current != null) {
                            statistics.hits(1);
                            touch(k, current, now);
                            next = new EntryProxy<>(copy(key), valueOf(current));
                        }
                    } finally {
                        lock.unlock();
                    }
                    publish(changes);
                }
                return next != null;
            }

            @Override
            public Cache.Entry<K, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Cache.Entry<K, V> entry = next;
                next = null;
                last = entry.getKey();
                return entry;
            }

            @Override
            public void remove() {
                if (last == null) {
                    throw new IllegalStateException("next() was not called");
                }
                BulkCache.this.remove(last);
                last = null;
            }
        };
    }
}
