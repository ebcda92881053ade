package io.larder;

/**
 * Computes a value on a cache miss. It runs at most once per key at a time; its exception is not
 * cached and reaches every caller waiting for it.
 *
 * @param <T> the value's type; {@code null} is a value like any other and is cached
 */
@FunctionalInterface
public interface Loader<T> {
    /** Computes the value; runtime exceptions reach callers unchanged, checked ones wrapped. */
    T load() throws Exception;
}
