package io.larder.spring.boot.autoconfigure;

import io.larder.redis.RedisStore;
import io.larder.spi.Store;

/** The Redis store: loaded only for {@code larder.store=redis} (larder-redis is optional). */
final class RedisStores {
    private RedisStores() {
    }

    static Store create(LarderProperties.Redis redis) {
        RedisStore.Builder builder = RedisStore.builder(redis.getUri()).prefix(redis.getPrefix());
        if (redis.getTimeout() != null) {
            builder.commandTimeout(redis.getTimeout());
        }
        return builder.build();
    }

    /** The Redis store inside {@code store}, or {@code null}. */
    static RedisStore find(Store store) {
        if (store instanceof RedisStore redis) {
            return redis;
        }
        if (store instanceof io.larder.store.TieredStore tiered) {
            return find(tiered.far());
        }
        return null;
    }
}
