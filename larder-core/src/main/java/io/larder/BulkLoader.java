package io.larder;

import java.util.Map;
import java.util.Set;

/**
 * Computes the values of many missing keys in one call (one query instead of one per key).
 * A key absent from the returned map is not cached and is absent from the caller's result.
 *
 * @param <T> the values' type
 */
@FunctionalInterface
public interface BulkLoader<T> {
    /** Loads the given keys, which are all missing from the cache. */
    Map<Key, T> load(Set<Key> keys) throws Exception;
}
