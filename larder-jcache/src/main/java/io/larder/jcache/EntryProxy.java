package io.larder.jcache;

import javax.cache.Cache;

/**
 * An entry handed out by iteration or to a {@code CacheWriter}: a key and a value.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class EntryProxy<K, V> implements Cache.Entry<K, V> {
    private final K key;
    private final V value;

    EntryProxy(K key, V value) {
        this.key = key;
        this.value = value;
    }

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public V getValue() {
        return value;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        throw new IllegalArgumentException("an entry is not a " + clazz.getName());
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
