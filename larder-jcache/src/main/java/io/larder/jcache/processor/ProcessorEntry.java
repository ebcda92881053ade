package io.larder.jcache.processor;

import java.util.Objects;
import java.util.function.Function;
import javax.cache.processor.MutableEntry;

/**
 * The entry an {@code EntryProcessor} works on while the cache holds its key: it records what
 * the processor did, and the cache applies the net result once the processor returns (so that a
 * processor that throws changes nothing).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ProcessorEntry<K, V> implements MutableEntry<K, V> {
    /** The net effect of a processor on its entry. */
    public enum Action {
        /** Nothing, not even a read. */
        NONE,
        /** The value was read. */
        READ,
        /** A value was set where there was none. */
        CREATED,
        /** The value was replaced. */
        UPDATED,
        /** The value was removed (or an absent one deleted: the writer still hears of it). */
        REMOVED,
        /** The value was loaded through the cache's loader and nothing else was done. */
        LOADED
    }

    private final K key;
    private final boolean existed;
    private final Function<K, V> loader;
    private V value;
    private Action action = Action.NONE;

    /**
     * The entry of {@code key} holding {@code value} ({@code null} if absent); {@code loader}
     * reads an absent value through, or is {@code null} if the cache does not.
     */
    public ProcessorEntry(K key, V value, Function<K, V> loader) {
        this.key = key;
        this.value = value;
        this.existed = value != null;
        this.loader = loader;
    }

    /** What the processor did. */
    public Action action() {
        return action;
    }

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public V getValue() {
        if (value == null && loader != null && action == Action.NONE && !existed) {
            value = loader.apply(key);
            if (value != null) {
                action = Action.LOADED;
            }
            return value;
        }
        if (action == Action.NONE && value != null) {
            action = Action.READ;
        }
        return value;
    }

    @Override
    public boolean exists() {
        return value != null;
    }

    @Override
    public void remove() {
        value = null;
        action = action == Action.CREATED || action == Action.LOADED ? Action.NONE
                : Action.REMOVED;
    }

    @Override
    public void setValue(V newValue) {
        Objects.requireNonNull(newValue, "value");
        value = newValue;
        action = existed ? Action.UPDATED : Action.CREATED;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        throw new IllegalArgumentException("a processor's entry is not a " + clazz.getName());
    }
}
