package io.larder.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.larder.Key;
import io.larder.spi.Store;
import io.larder.testing.TamperingContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Tampered Redis values (written by anyone who can reach the server): see
 * {@link TamperingContract}.
 */
class RedisTamperingTest extends TamperingContract {
    private static final String PREFIX = "tamper:";
    private static RedisServer server;
    private static RedisClient client;
    private static StatefulRedisConnection<byte[], byte[]> raw;
    private RedisStore redis;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        client = RedisClient.create(server.uri());
        raw = client.connect(ByteArrayCodec.INSTANCE);
    }

    @AfterAll
    static void stopRedis() {
        raw.close();
        client.shutdown();
        server.close();
    }

    @Override
    protected Store newStore() {
        raw.sync().flushall();
        redis = RedisStore.builder(server.uri()).prefix(PREFIX)
                .commandTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(5))
                .build();
        return redis;
    }

    /** Where the module README says an entry lives: {@code <prefix><region>:<digest>}. */
    private static byte[] redisKey(Key key) {
        return (PREFIX + key.region() + ":" + key.digest()).getBytes(UTF_8);
    }

    @Override
    protected byte[] rawRead(Key key) {
        return raw.sync().get(redisKey(key));
    }

    @Override
    protected void rawWrite(Key key, byte[] bytes) {
        raw.sync().set(redisKey(key), bytes);
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
