package io.larder.jcache;

/**
 * One JCache entry as the Larder region keeps it: the key (for iteration), the value and the
 * moment it expires by the cache's {@code ExpiryPolicy} (epoch ms, {@link Long#MAX_VALUE} for
 * never). Immutable; the key and value are the cache's own copies.
 *
 * @param key the entry's key
 * @param value the entry's value, never {@code null}
 * @param expireAt when it expires, epoch ms
 */
record Held(Object key, Object value, long expireAt) {

    /** Whether the entry can no longer be read at {@code now}. */
    boolean expiredAt(long now) {
        return now >= expireAt;
    }

    /** The same entry with another expiry. */
    Held expiringAt(long when) {
        return new Held(key, value, when);
    }
}
