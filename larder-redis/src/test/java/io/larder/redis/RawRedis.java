package io.larder.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.larder.Key;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;

/**
 * A {@code redis-server} of a test's own with a raw byte connection beside the stores, for tests
 * that write values the way anyone who can reach Redis could.
 */
final class RawRedis implements AutoCloseable {
    /** The tests check semantics, not speed: a loaded CI machine must not time commands out. */
    private static final Duration SLOW_MACHINE = Duration.ofSeconds(5);
    private final RedisServer server = RedisServer.start();
    private final RedisClient client = RedisClient.create(server.uri());
    private final StatefulRedisConnection<byte[], byte[]> raw =
            client.connect(ByteArrayCodec.INSTANCE);

    /** Commands on the raw connection. */
    RedisCommands<byte[], byte[]> sync() {
        return raw.sync();
    }

    /** A store on {@code prefix} with patient timeouts. */
    RedisStore store(String prefix) {
        return RedisStore.builder(server.uri()).prefix(prefix).commandTimeout(SLOW_MACHINE)
                .connectTimeout(SLOW_MACHINE).build();
    }

    /** Where the module README says an entry lives: {@code <prefix><region>:<digest>}. */
    static byte[] entryKey(String prefix, Key key) {
        return (prefix + key.region() + ":" + key.digest()).getBytes(UTF_8);
    }

    @Override
    public void close() {
        raw.close();
        client.shutdown();
        server.close();
    }
}
