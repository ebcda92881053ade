package io.larder.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@code redis-server} of its own for a contract test class, and stores on fresh key
 * prefixes of it:
 * {@code @RegisterExtension static final ContractRedis REDIS = new ContractRedis();}
 */
final class ContractRedis implements BeforeAllCallback, AfterAllCallback {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    /** The contracts check semantics, not speed: a loaded CI machine must not time commands out. */
    private static final Duration SLOW_MACHINE = Duration.ofSeconds(5);
    private RedisServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    /** A key prefix no other store of this run has used. */
    String newPrefix(String kind) {
        return kind + PREFIXES.incrementAndGet() + ":";
    }

    /** A store on {@code prefix} with patient timeouts. */
    RedisStore store(String prefix) {
        return RedisStore.builder(server.uri()).prefix(prefix).commandTimeout(SLOW_MACHINE)
                .connectTimeout(SLOW_MACHINE).build();
    }
}
