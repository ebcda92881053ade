package io.larder.jcache.configuration;

import io.larder.spi.Store;
import java.util.Properties;

/**
 * Makes the store of a cache manager when {@code larder.store} names a class that implements it
 * (public, with a public no-argument constructor): the way to put any {@link Store} behind
 * JCache.
 */
public interface StoreFactory {
    /** The store for a manager configured with {@code properties}. */
    Store create(Properties properties);
}
