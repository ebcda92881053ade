package io.larder.redis;

import io.larder.spi.Store;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import io.larder.testing.StoreContract;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract, against a memory near cache in front of a real Redis. */
class TieredRedisContractTest extends StoreContract {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    /** The contract checks semantics, not speed: a loaded CI machine must not time commands out. */
    private static final Duration SLOW_MACHINE = Duration.ofSeconds(5);
    private static RedisServer server;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Store newStore() {
        return TieredStore.of(MemoryStore.builder().maximumSize(1_000).build(),
                RedisStore.builder(server.uri()).prefix("t" + PREFIXES.incrementAndGet() + ":")
                        .commandTimeout(SLOW_MACHINE).connectTimeout(SLOW_MACHINE).build());
    }
}
