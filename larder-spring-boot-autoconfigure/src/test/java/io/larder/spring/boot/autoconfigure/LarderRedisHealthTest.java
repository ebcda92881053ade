package io.larder.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.redis.RedisServer;
import io.larder.store.TieredStore;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code larder.store=redis} on a redis-server of the test's own: the store is memory over
 * Redis, the health is UP, and when Redis dies the health says DEGRADED while the cache still
 * answers (by loading).
 */
class LarderRedisHealthTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LarderAutoConfiguration.class,
                    LarderHealthAutoConfiguration.class));

    @Test
    void redisStore_up_thenDegradedWhenRedisDies_andCallsStillAnswer() {
        try (RedisServer server = RedisServer.start()) {
            runner.withPropertyValues("larder.store=redis", "larder.redis.uri=" + server.uri(),
                    "larder.redis.prefix=boot-health-" + UUID.randomUUID() + ":",
                    "larder.redis.timeout=500ms", "larder.hmac-secret=boot health test secret")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        Larder larder = context.getBean(Larder.class);
                        assertThat(larder.store()).isInstanceOf(TieredStore.class);
                        LarderHealthIndicator health = context.getBean(LarderHealthIndicator.class);
                        awaitStatus(health, Status.UP, larder);
                        assertThat(larder.get(Key.of("boot", "k"), String.class, () -> "v")).isEqualTo("v");

                        server.kill();
                        awaitStatus(health, LarderHealthIndicator.DEGRADED, larder);
                        assertThat(health.health().getDetails()).containsKey("redisFailures");
                        // Spring Boot's default aggregation leaves DEGRADED out: the app stays UP
                        assertThat(StatusAggregator.getDefault().getAggregateStatus(Status.UP,
                                health.health().getStatus())).isEqualTo(Status.UP);
                        assertThat(larder.get(Key.of("boot", "other"), String.class, () -> "loaded"))
                                .isEqualTo("loaded");
                    });
        }
    }

    /** Waits (generously) for the status, making calls so that the store is used. */
    private static void awaitStatus(LarderHealthIndicator health, Status status, Larder larder) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int i = 0;
        while (!status.equals(health.health().getStatus())) {
            assertThat(System.nanoTime()).as("health is still %s, not %s: %s",
                    health.health().getStatus(), status, health.health().getDetails())
                    .isLessThan(deadline);
            larder.get(Key.of("boot", "probe" + (i++ % 4)), String.class, () -> "x");
            RedisServer.sleep(50);
        }
    }
}
