package io.larder.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.larder.jcache.FileBackedCacheTest.Point;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
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
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
        } catch (IOException e) {
            if ("true".equals(System.getenv("CI"))) {
                fail("no Redis on 127.0.0.1:6379", e);
            }
            assumeTrue(false, "no Redis on 127.0.0.1:6379: " + e);
        }
    }

    @Test
    void twoNodes_shareEntries_throughRedis() {
        String prefix = "jcache-test-" + UUID.randomUUID() + ":";
        Object[] settings = {"larder.store", "redis", "larder.redis.prefix", prefix,
            "larder.hmacSecret", SECRET};
        MutableConfiguration<String, Point> config = new MutableConfiguration<String, Point>()
                .setTypes(String.class, Point.class);
        try (CacheManager one = Managers.open(settings);
                CacheManager two = Managers.open(settings)) {
            Cache<String, Point> first = one.createCache("points", config);
            Cache<String, Point> second = two.createCache("points", config);

            first.put("p", new Point(1, 2));
            assertThat(second.get("p")).isEqualTo(new Point(1, 2));

            second.remove("p");
            first.clear();
            assertThat(first.get("p")).isNull();
        }
    }
}
