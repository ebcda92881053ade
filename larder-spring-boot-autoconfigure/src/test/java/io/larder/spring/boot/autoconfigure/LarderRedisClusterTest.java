package io.larder.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.redis.RedisCluster;
import io.larder.redis.RedisStore;
import io.larder.store.TieredStore;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code larder.redis.uri} takes every form the Redis store does: two applications configured
 * with {@code redis-cluster://...} on a real 6-process cluster share entries, and a tag
 * invalidated by one is a miss in the other.
 */
class LarderRedisClusterTest {
    private static RedisCluster cluster;
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LarderAutoConfiguration.class))
            .withPropertyValues("larder.store=redis",
                    "larder.redis.prefix=boot-cluster-" + UUID.randomUUID() + ":",
                    "larder.redis.timeout=5s", "larder.hmac-secret=boot cluster test secret");

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void clusterUri_twoApplicationsShareEntriesAndTagInvalidations() {
        ApplicationContextRunner onCluster = runner.withPropertyValues(
                "larder.redis.uri=" + cluster.uri());
        onCluster.run(first -> onCluster.run(second -> {
            Larder a = first.getBean(Larder.class);
            Larder b = second.getBean(Larder.class);
            assertThat(a.store()).isInstanceOf(TieredStore.class);
            assertThat(((TieredStore) a.store()).far()).isInstanceOf(RedisStore.class);
            AtomicInteger loads = new AtomicInteger();
            Options tagged = Options.tags("post:7");
            for (int i = 0; i < 20; i++) {
                Key key = Key.of("posts", i);
                a.get(key, String.class, tagged, () -> "v" + loads.incrementAndGet());
                assertThat(b.get(key, String.class, tagged, () -> "b-loaded"))
                        .as("entry %s written by the first application", i).startsWith("v");
            }

            a.invalidateTag("post:7");

            // The second application hears of it through the cluster's pub/sub: wait for it.
            for (int i = 0; i < 20; i++) {
                Key key = Key.of("posts", i);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!b.get(key, String.class, tagged, () -> "fresh").equals("fresh")) {
                    assertThat(System.nanoTime()).as("%s is still the old entry", key)
                            .isLessThan(deadline);
                    Thread.sleep(20);
                }
            }
        }));
    }
}
