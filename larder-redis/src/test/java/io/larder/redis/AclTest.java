package io.larder.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An ACL user limited to its own prefix (keys and channels) can do everything the store needs. */
class AclTest {
    private static final byte[] SECRET =
            "acl-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private RedisServer server;

    @BeforeEach
    void start() {
        server = RedisServer.start();
        RedisClient admin = RedisClient.create(server.uri());
        try (var connection = admin.connect()) {
            connection.sync().aclSetuser("blog", AclSetuserArgs.Builder.on()
                    .addPassword("blog-password").keyPattern("blog:*").channelPattern("blog:*")
                    .allCommands());
            connection.sync().aclSetuser("default", AclSetuserArgs.Builder.off());
        } finally {
            admin.shutdown();
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Larder larder(RedisStore redis) {
        MemoryStore near = MemoryStore.builder().maximumSize(100).build();
        return Larder.builder().store(TieredStore.of(near, redis)).hmacSecret(SECRET).build();
    }

    @Test
    void userRestrictedToThePrefix_getsHitsInvalidationsAndLeases() {
        RedisStore redis = RedisStore.builder(server.uri()).prefix("blog:")
                .credentials("blog", "blog-password".toCharArray())
                .commandTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(5))
                .build();
        try (Larder larder = larder(redis)) {
            RedisServer.awaitReady(redis);
            AtomicInteger loads = new AtomicInteger();
            Key key = Key.of("posts", 1);
            Options tagged = Options.tags("post:1");
            larder.get(key, String.class, tagged, () -> "v" + loads.incrementAndGet());
            assertThat(larder.get(key, String.class, tagged, () -> "again")).isEqualTo("v1");
            larder.invalidateTag("post:1");
            assertThat(larder.get(key, String.class, tagged, () -> "v" + loads.incrementAndGet()))
                    .isEqualTo("v2");
            larder.invalidateRegion("posts");

            assertThat(redis.stats().failures()).isZero();
            assertThat(redis.stats().breakerOpen()).isFalse();
        }
    }

    @Test
    void withoutCredentials_theCacheIsBypassed_andReadsStillWork() {
        RedisStore redis = RedisStore.builder(server.uri()).prefix("blog:")
                .commandTimeout(Duration.ofSeconds(5)).build();
        try (Larder larder = larder(redis)) {
            AtomicInteger loads = new AtomicInteger();
            for (int i = 0; i < 3; i++) {
                String value = larder.get(Key.of("posts", 1), String.class,
                        () -> "v" + loads.incrementAndGet());
                assertThat(value).startsWith("v");
            }
            assertThat(loads).hasValue(3);
            assertThat(redis.stats().breakerOpen()).isTrue();
        }
    }
}
