package io.larder.redis;

import static io.larder.redis.RedisStoreTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.RegionStats;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import io.larder.testing.Soak;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Redis killed, frozen and restarted empty while threads read through a Larder whose loader
 * stands in for the database: no read fails or returns a wrong value, the breaker takes Redis out
 * of the path, and hits come back when Redis does.
 */
class FaultToleranceTest {
    private static final int THREADS = 8;
    private static final int BREAKER_FAILURES = 3;
    private static final int KEYS = 50;
    /** Where timeouts are not the point, a loaded CI machine must not cause them. */
    private static final Duration LOADED_MACHINE = Duration.ofSeconds(3);

    private RedisServer server;
    private RedisStore redis;
    private Larder larder;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final LongAdder reads = new LongAdder();
    private final AtomicLong databaseLoads = new AtomicLong();
    private final AtomicInteger version = new AtomicInteger(1);
    private final List<Thread> threads = new ArrayList<>();

    @BeforeEach
    void start() {
        server = RedisServer.start();
    }

    @AfterEach
    void stop(TestInfo test) throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        if (redis != null) {
            RedisStore.Stats stats = redis.stats();
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("reads", reads.sum());
            counts.put("readsFailedOrWrong", (long) errors.size());
            counts.put("databaseLoads", databaseLoads.get());
            counts.put("redisCalls", stats.calls());
            counts.put("redisFailures", stats.failures());
            counts.put("shortCircuited", stats.shortCircuited());
            counts.put("breakerOpens", stats.breakerOpens());
            Soak.report("redis-fault-" + test.getTestMethod().orElseThrow().getName()
                    .replaceAll("_.*", ""), counts);
        }
        if (larder != null) {
            larder.close();
        }
        server.close();
    }

    private void startLoad(boolean nearCache, Duration commandTimeout) {
        redis = RedisStore.builder(server.uri()).prefix("f:")
                .commandTimeout(commandTimeout).connectTimeout(LOADED_MACHINE)
                .breaker(BREAKER_FAILURES, Duration.ofMillis(100)).build();
        larder = Larder.builder()
                .store(nearCache
                        ? TieredStore.of(MemoryStore.builder().maximumSize(1_000).build(), redis)
                        : redis)
                .hmacSecret("fault-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8))
                .build();
        RedisServer.awaitReady(redis);
        for (int t = 0; t < THREADS; t++) {
            int seed = t;
            Thread thread = new Thread(() -> {
                int i = seed;
                while (running.get()) {
                    int id = i++ % KEYS;
                    try {
                        String value = larder.get(Key.of("posts", id), String.class,
                                Options.tags("posts"), () -> load(id));
                        if (!value.startsWith("post " + id + " v")) {
                            errors.add(new AssertionError("read " + value + " for post " + id));
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                    reads.increment();
                }
            }, "reader-" + t);
            threads.add(thread);
            thread.start();
        }
    }

    /** The database: a post's current text. */
    private String load(int id) {
        databaseLoads.incrementAndGet();
        return "post " + id + " v" + version.get();
    }

    private long hits() {
        RegionStats stats = larder.stats().get("posts");
        return stats == null ? 0 : stats.hits();
    }

    private void awaitHitsGrowBy(long count) {
        long from = hits();
        await("hits grow by " + count, () -> hits() >= from + count);
    }

    private void awaitReadsGrowBy(long count) {
        long from = reads.sum();
        await("reads grow by " + count, () -> reads.sum() >= from + count);
    }

    @Test
    void redisKilledThenRestartedEmpty_noReadFails_andHitsComeBack() {
        startLoad(false, LOADED_MACHINE);
        awaitHitsGrowBy(300);

        server.kill();
        await("the breaker opens", () -> redis.stats().breakerOpen());
        long shortCircuited = redis.stats().shortCircuited();
        long loads = databaseLoads.get();
        awaitReadsGrowBy(500);

        assertThat(redis.stats().shortCircuited()).as("reads skip Redis while it is dead")
                .isGreaterThan(shortCircuited);
        assertThat(databaseLoads.get()).as("the database serves meanwhile").isGreaterThan(loads);

        server.restart();
        await("the breaker closes", () -> !redis.stats().breakerOpen());
        awaitHitsGrowBy(300);
        assertThat(errors).isEmpty();
        assertThat(redis.stats().breakerOpens()).isPositive();
    }

    @Test
    void redisFrozenThenResumed_onlyTheFirstFewReadsWaitForTheTimeout() {
        startLoad(false, Duration.ofMillis(200));
        awaitHitsGrowBy(300);
        long failuresBefore = redis.stats().failures();
        // On a busy machine a command may take 200 ms before the freeze, and the breaker may be
        // open already (until its probe closes it): then no read has to time out for it to open.
        boolean openBefore = redis.stats().breakerOpen();

        server.pause();
        await("the breaker opens", () -> redis.stats().breakerOpen());
        awaitReadsGrowBy(500);
        long failuresWhileFrozen = redis.stats().failures() - failuresBefore;

        // The first timeout opens the breaker; each reader had at most one command in flight
        // then, and no read waited for Redis after: of hundreds of reads, at most one per
        // reader timed out. A busy machine can add one more per reader: a command that was
        // slow before the freeze (over the 200 ms timeout) and failed after failuresBefore.
        assertThat(failuresWhileFrozen).isBetween(openBefore ? 0L : 1L, 2L * THREADS);

        server.resume();
        await("the breaker closes", () -> !redis.stats().breakerOpen());
        awaitHitsGrowBy(300);
        assertThat(errors).isEmpty();
    }

    @Test
    void nearCache_redisRestartedEmpty_nearCopiesAreDropped_andNothingStaleIsServed() {
        startLoad(true, LOADED_MACHINE);
        awaitHitsGrowBy(300);
        long lostTrack = redis.stats().lostTrack();
        long loads = databaseLoads.get();

        server.restart();
        await("the change channel is back", () -> redis.stats().lostTrack() >= lostTrack + 2
                && !redis.stats().breakerOpen());
        await("the empty Redis is filled again", () -> databaseLoads.get() >= loads + KEYS);
        awaitHitsGrowBy(300);

        // Generations restarted from zero: an invalidation now must still reach every near copy.
        version.incrementAndGet();
        larder.invalidateTag("posts");
        for (int id = 0; id < KEYS; id++) {
            int post = id;
            assertThat(larder.get(Key.of("posts", id), String.class, Options.tags("posts"),
                    () -> load(post)))
                    .isEqualTo("post " + id + " v2");
        }
        assertThat(errors).isEmpty();
    }
}
