package io.larder.jcache;

import io.larder.redis.RedisStore;
import io.larder.spi.Store;
import java.time.Duration;
import java.util.Properties;
import javax.cache.CacheException;

/**
 * The Redis store of {@code larder.store=redis}: loaded only then, so that applications without
 * {@code larder-redis} (and Lettuce) on the class path never touch it.
 */
final class RedisStores {
    private RedisStores() {
    }

    /** A Redis store from {@code larder.redis.uri}, {@code .prefix} and {@code .timeoutMillis}. */
    static Store create(Properties properties) {
        try {
            Class.forName("io.larder.redis.RedisStore", false, RedisStores.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CacheException("larder.store=redis needs io.larder:larder-redis on the"
                    + " class path", e);
        }
        return build(properties);
    }

    private static Store build(Properties properties) {
        String uri = properties.getProperty("larder.redis.uri", "redis://127.0.0.1:6379");
        RedisStore.Builder builder = RedisStore.builder(uri);
        String prefix = properties.getProperty("larder.redis.prefix");
        if (prefix != null) {
            builder.prefix(prefix);
        }
        String timeout = properties.getProperty("larder.redis.timeoutMillis");
        if (timeout != null) {
            builder.commandTimeout(Duration.ofMillis(Long.parseLong(timeout.trim())));
        }
        return builder.build();
    }
}
