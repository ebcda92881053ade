package io.larder.jcache.integration;

import java.util.Collection;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;

/**
 * A cache's {@link CacheLoader} and {@link CacheWriter}, with the specification's exception
 * wrapping: whatever they throw reaches the caller as a {@link CacheLoaderException} or a
 * {@link CacheWriterException} (as it is if it already is one), and the cache is left as it was
 * for the entries that failed. Either may be absent.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class Integration<K, V> {
    private final CacheLoader<K, V> loader;
    private final CacheWriter<? super K, ? super V> writer;

    /** The loader (read-through) and writer (write-through) of a cache, {@code null} if none. */
    public Integration(CacheLoader<K, V> loader, CacheWriter<? super K, ? super V> writer) {
        this.loader = loader;
        this.writer = writer;
    }

    /** The loader, or {@code null}. */
    public CacheLoader<K, V> loader() {
        return loader;
    }

    /** The writer, or {@code null}. */
    public CacheWriter<? super K, ? super V> writer() {
        return writer;
    }

    /** The loader's value of {@code key}, or {@code null} if it has none. */
    public V load(K key) {
        try {
            return loader.load(key);
        } catch (CacheLoaderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheLoaderException(e);
        }
    }

    /** The loader's values of {@code keys}; keys it has no value for are absent. */
    public Map<K, V> loadAll(Iterable<? extends K> keys) {
        try {
            Map<K, V> loaded = loader.loadAll(keys);
            return loaded == null ? Map.of() : loaded;
        } catch (CacheLoaderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheLoaderException(e);
        }
    }

    /** Writes one entry through, if the cache writes through. */
    public void write(Cache.Entry<? extends K, ? extends V> entry) {
        if (writer == null) {
            return;
        }
        try {
            writer.write(entry);
        } catch (CacheWriterException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheWriterException(e);
        }
    }

    /**
     * Writes entries through; {@code entries} is left holding those that were not written.
     *
     * @return the failure, or {@code null} if every entry was written
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public CacheWriterException writeAll(
            Collection<Cache.Entry<? extends K, ? extends V>> entries) {
        if (writer == null || entries.isEmpty()) {
            return null;
        }
        try {
            writer.writeAll((Collection) entries);
            return null;
        } catch (CacheWriterException e) {
            return e;
        } catch (RuntimeException e) {
            return new CacheWriterException(e);
        }
    }

    /** Deletes one key through, if the cache writes through. */
    public void delete(K key) {
        if (writer == null) {
            return;
        }
        try {
            writer.delete(key);
        } catch (CacheWriterException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheWriterException(e);
        }
    }

    /**
     * Deletes keys through; {@code keys} is left holding those that were not deleted.
     *
     * @return the failure, or {@code null} if every key was deleted
     */
    public CacheWriterException deleteAll(Collection<?> keys) {
        if (writer == null || keys.isEmpty()) {
            return null;
        }
        try {
            writer.deleteAll(keys);
            return null;
        } catch (CacheWriterException e) {
            return e;
        } catch (RuntimeException e) {
            return new CacheWriterException(e);
        }
    }
}
