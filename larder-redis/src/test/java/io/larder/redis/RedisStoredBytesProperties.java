package io.larder.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.larder.Key;
import io.larder.spi.Store;
import io.larder.testing.StoredBytesProperties;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Generated Redis values under a store's keys: see {@link StoredBytesProperties}. */
class RedisStoredBytesProperties extends StoredBytesProperties {
    private static final String PREFIX = "fuzz:";
    private static RedisServer server;
    private static RedisClient client;
    private static StatefulRedisConnection<byte[], byte[]> raw;

    @BeforeContainer
    static void startRedis() {
        server = RedisServer.start();
        client = RedisClient.create(server.uri());
        raw = client.connect(ByteArrayCodec.INSTANCE);
    }

    @AfterContainer
    static void stopRedis() {
        raw.close();
        client.shutdown();
        server.close();
    }

    @Override
    protected Store newStore() {
        return RedisStore.builder(server.uri()).prefix(PREFIX)
                .commandTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(5))
                .build();
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
}
