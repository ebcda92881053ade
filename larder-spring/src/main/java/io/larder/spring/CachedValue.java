package io.larder.spring;

import java.lang.reflect.Type;

/**
 * What a Spring cache keeps in its Larder region: the value and the full type it is encoded as
 * (a cached method's generic return type, or the value's class). {@code null} value for Spring's
 * cached {@code null}. Immutable.
 *
 * @param value the cached value, {@code null} for a cached {@code null}
 * @param type the type the value is encoded as, {@code null} with a {@code null} value
 */
record CachedValue(Object value, Type type) {
    /** The cached {@code null}. */
    static final CachedValue NULL = new CachedValue(null, null);
}
