package io.larder.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.larder.Larder;
import io.larder.jcache.FileBackedCacheTest.Point;
import io.larder.redis.RedisStore;
import io.larder.store.TieredStore;
import io.larder.testing.Services;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code larder.store=redis}: two managers (two application nodes) share entries through the
 * Redis server on 127.0.0.1:6379, authenticated with the shared secret. Without that server the
 * test fails under {@code CI=true} and is skipped otherwise.
 */
class RedisBackedCacheTest {
    private static final String SECRET = "a secret the nodes share";

    @BeforeAll
    static void requireRedis() {
        Services.requireRedis();
    }

    private final String prefix = "jcache-test-" + UUID.randomUUID() + ":";

    /** Removes what the test left on the shared server (tag generations have no TTL). */
    @AfterEach
    void removeKeys() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> keys = connection.sync().keys(prefix + "*");
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(new String[0]));
            }
        } finally {
            client.shutdown();
        }
    }

    /** Waits (up to 60 s) until the manager's Redis store is connected and subscribed. */
    private static void awaitConnected(CacheManager manager) {
        RedisStore redis = (RedisStore) ((TieredStore) manager.unwrap(Larder.class).store()).far();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (redis.stats().breakerOpen() || !redis.stats().listening()) {
            if (System.nanoTime() > deadline) {
                fail("not connected to Redis: " + redis.stats());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    @Test
    void twoNodes_shareEntries_throughRedis() {
        // A patient command timeout: a busy CI machine must not turn a slow reply into a miss.
        Object[] settings = {"larder.store", "redis", "larder.redis.prefix", prefix,
            "larder.hmacSecret", SECRET, "larder.redis.timeoutMillis", "5000"};
        MutableConfiguration<String, Point> config = new MutableConfiguration<String, Point>()
                .setTypes(String.class, Point.class);
        try (CacheManager one = Managers.open(settings);
                CacheManager two = Managers.open(settings)) {
            Cache<String, Point> first = one.createCache("points", config);
            Cache<String, Point> second = two.createCache("points", config);
            awaitConnected(one);
            awaitConnected(two);

            first.put("p", new Point(1, 2));
            assertThat(second.get("p")).isEqualTo(new Point(1, 2));

            second.remove("p");
            first.clear();
            assertThat(first.get("p")).isNull();
        }
    }
}
