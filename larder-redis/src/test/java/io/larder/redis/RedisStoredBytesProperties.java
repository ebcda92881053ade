package io.larder.redis;

import io.larder.Key;
import io.larder.spi.Store;
import io.larder.testing.StoredBytesProperties;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Generated Redis values under a store's keys: see {@link StoredBytesProperties}. */
class RedisStoredBytesProperties extends StoredBytesProperties {
    private static final String PREFIX = "fuzz:";
    private static RawRedis redis;

    @BeforeContainer
    static void startRedis() {
        redis = new RawRedis();
    }

    @AfterContainer
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected Store newStore() {
        return redis.store(PREFIX);
    }

    @Override
    protected byte[] rawRead(Key key) {
        return redis.sync().get(RawRedis.entryKey(PREFIX, key));
    }

    @Override
    protected void rawWrite(Key key, byte[] bytes) {
        redis.sync().set(RawRedis.entryKey(PREFIX, key), bytes);
    }
}
