package io.larder.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import io.larder.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several Larder instances (each its own cluster connections and memory near cache) on one Redis
 * Cluster: one load for an expired key across instances and threads; a tag invalidated on one
 * instance makes its entries, spread over every primary, misses on every instance.
 */
class ClusterNodesTest {
    private static final byte[] SECRET = "cluster-nodes-test-secret-0123456789".getBytes(UTF_8);
    private static final int INSTANCES = 3;

    @RegisterExtension
    static final SharedCluster CLUSTER = new SharedCluster();

    private final List<Larder> instances = new ArrayList<>();
    private final List<RedisStore> stores = new ArrayList<>();

    @AfterEach
    void stop() {
        instances.forEach(Larder::close);
    }

    private Larder instance(String prefix, FakeClock clock) {
        RedisStore redis = CLUSTER.store(prefix);
        Larder larder = Larder.builder().clock(clock).hmacSecret(SECRET)
                .store(TieredStore.of(MemoryStore.builder().maximumSize(1_000).build(), redis))
                .build();
        RedisServer.awaitReady(redis);
        instances.add(larder);
        stores.add(redis);
        return larder;
    }

    @Test
    void expiredKey_missedByThreeInstancesTimesFourThreads_loadsOnce() throws Exception {
        String prefix = CLUSTER.newPrefix("st");
        Key key = Key.of("home-posts", "en", 1);
        Options options = Options.ttlOf(Duration.ofSeconds(1));
        // Written 10 s ago with a 1 s TTL and no stale window: expired for everyone.
        instance(prefix, new FakeClock(Instant.now().minusSeconds(10))).put(key, "v1", options);
        FakeClock now = new FakeClock(Instant.now());
        List<Larder> readers = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            readers.add(instance(prefix, now));
        }
        int threads = 4;
        AtomicInteger loads = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(INSTANCES * threads);
        ExecutorService pool = Executors.newFixedThreadPool(INSTANCES * threads);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (Larder reader : readers) {
                for (int t = 0; t < threads; t++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return reader.get(key, String.class, options, () -> {
                            loads.incrementAndGet();
                            Thread.sleep(300); // a slow query: the others arrive while it runs
                            return "v2";
                        });
                    }));
                }
            }
            for (Future<String> result : results) {
                assertThat(result.get()).isEqualTo("v2");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(loads).as("loads across %d instances x %d threads", INSTANCES, threads)
                .hasValue(1);
    }

    @Test
    void tagInvalidatedOnOneInstance_entriesInEverySlotMissOnEveryInstance() {
        String prefix = CLUSTER.newPrefix("tag");
        FakeClock clock = new FakeClock(Instant.now());
        for (int i = 0; i < INSTANCES; i++) {
            instance(prefix, clock);
        }
        int keys = 60;
        Set<Integer> primaries = new HashSet<>();
        for (int id = 0; id < keys; id++) {
            String redisKey = prefix + "posts:" + Key.of("posts", id).digest();
            primaries.add(CLUSTER.cluster().primaryOf(CLUSTER.cluster().slot(redisKey)).port());
        }
        assertThat(primaries).as("the entries are spread over every primary").hasSize(3);
        AtomicInteger version = new AtomicInteger(1);
        AtomicInteger loads = new AtomicInteger();
        for (Larder instance : instances) {
            for (int id = 0; id < keys; id++) {
                assertThat(read(instance, id, version, loads)).isEqualTo("post " + id + " v1");
            }
        }
        assertThat(loads).as("one load per key; the other instances read it from Redis")
                .hasValue(keys);
        int before = loads.get();
        for (Larder instance : instances) {
            read(instance, 0, version, loads);
        }
        assertThat(loads).as("near-cache and Redis hits").hasValue(before);

        long generation = stores.get(0).generations(List.of("posts"))[0];
        version.set(2);
        instances.get(0).invalidateTag("posts");
        for (int i = 1; i < INSTANCES; i++) {
            RedisStore other = stores.get(i);
            RedisServer.awaitCondition("instance " + i + " sees the new generation",
                    () -> other.generations(List.of("posts"))[0] != generation);
        }

        for (int i = 0; i < INSTANCES; i++) {
            for (int id = 0; id < keys; id++) {
                assertThat(read(instances.get(i), id, version, loads))
                        .as("instance %d, post %d", i, id).isEqualTo("post " + id + " v2");
            }
        }
    }

    private static String read(Larder instance, int id, AtomicInteger version,
            AtomicInteger loads) {
        return instance.get(Key.of("posts", id), String.class, Options.tags("posts"), () -> {
            loads.incrementAndGet();
            return "post " + id + " v" + version.get();
        });
    }
}
