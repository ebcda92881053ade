package io.larder.redis;

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
    private RawRedis redis;

    @Override
    public void beforeAll(ExtensionContext context) {
        redis = new RawRedis();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (redis != null) {
            redis.close();
        }
    }

    /** A key prefix no other store of this run has used. */
    String newPrefix(String kind) {
        return kind + PREFIXES.incrementAndGet() + ":";
    }

    /** A store on {@code prefix} with patient timeouts. */
    RedisStore store(String prefix) {
        return redis.store(prefix);
    }
}
