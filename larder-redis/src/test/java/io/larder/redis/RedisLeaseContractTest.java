package io.larder.redis;

import io.larder.spi.Store;
import io.larder.testing.LeaseContract;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The lease contract on two RedisStores (two connections) over one key prefix. */
class RedisLeaseContractTest extends LeaseContract {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final Duration SLOW_MACHINE = Duration.ofSeconds(5);
    private static RedisServer server;
    private String prefix;

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
    protected void newBacking() {
        prefix = "lease" + PREFIXES.incrementAndGet() + ":";
    }

    @Override
    protected Store open() {
        return RedisStore.builder(server.uri()).prefix(prefix).commandTimeout(SLOW_MACHINE)
                .connectTimeout(SLOW_MACHINE).build();
    }
}
