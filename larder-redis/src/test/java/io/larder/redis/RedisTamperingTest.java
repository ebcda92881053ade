package io.larder.redis;

import io.larder.Key;
import io.larder.spi.Store;
import io.larder.testing.TamperingContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Tampered Redis values (written by anyone who can reach the server): see
 * {@link TamperingContract}.
 */
class RedisTamperingTest extends TamperingContract {
    private static final String PREFIX = "tamper:";
    private static RawRedis raw;
    private RedisStore redis;

    @BeforeAll
    static void startRedis() {
        raw = new RawRedis();
    }

    @AfterAll
    static void stopRedis() {
        raw.close();
    }

    @Override
    protected Store newStore() {
        raw.sync().flushall();
        redis = raw.store(PREFIX);
        return redis;
    }

    @Override
    protected byte[] rawRead(Key key) {
        return raw.sync().get(RawRedis.entryKey(PREFIX, key));
    }

    @Override
    protected void rawWrite(Key key, byte[] bytes) {
        raw.sync().set(RawRedis.entryKey(PREFIX, key), bytes);
    }

    @Override
    protected long rejected() {
        return redis.stats().badEntries();
    }

    @Override
    protected String storeName() {
        return "redis";
    }
}
