package io.larder.redis;

import static io.larder.redis.RedisStoreTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.RegionStats;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis killed, frozen and restarted empty while threads read through a Larder whose loader
 * stands in for the database: no read fails or returns a wrong value, the breaker takes Redis out
 * of the path, and hits come back when Redis does.
 */
class FaultToleranceTest {
    private static final int THREADS = 8;
    private static final int BREAKER_FAILURES = 3;
    private static final int KEYS = 50;

    private RedisServer server;
    private RedisStore redis;
    private Larder larder;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final LongAdder reads = new LongAdder();
    private final AtomicLong databaseLoads = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    @BeforeEach
    void start() {
        server = RedisServer.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        if (larder != null) {
            larder.close();
        }
        server.close();
    }

    private void startLoad(boolean nearCache) {
        redis = RedisStore.builder(server.uri()).prefix("f:")
                .commandTimeout(Duration.ofMillis(200))
                .breaker(BREAKER_FAILURES, Duration.ofMillis(100)).build();
        larder = Larder.builder()
                .store(nearCache ? TieredStore.of(MemoryStore.builder().maximumSize(1_000).build(), redis) : redis)
                .hmacSecret("fault-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8))
                .build();
        for (int t = 0; t < THREADS; t++) {
            int seed = t;
            Thread thread = new Thread(() -> {
                int i = seed;
                while (running.get()) {
                    int id = i++ % KEYS;
                    try {
                        String value = larder.get(Key.of("posts", id), String.class, () -> {
                            databaseLoads.incrementAndGet();
                            return "post " + id;
                        });
                        if (!("post " + id).equals(value)) {
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
        startLoad(false);
        awaitHitsGrowBy(1_000);

        server.kill();
        await("the breaker opens", () -> redis.stats().breakerOpen());
        long shortCircuited = redis.stats().shortCircuited();
        long loads = databaseLoads.get();
        awaitReadsGrowBy(2_000);

        assertThat(redis.stats().shortCircuited()).as("reads skip Redis while it is dead")
                .isGreaterThan(shortCircuited);
        assertThat(databaseLoads.get()).as("the database serves meanwhile").isGreaterThan(loads);

        server.restart();
        await("the breaker closes", () -> !redis.stats().breakerOpen());
        awaitHitsGrowBy(1_000);
        assertThat(errors).isEmpty();
        assertThat(redis.stats().breakerOpens()).isPositive();
    }

    @Test
    void redisFrozenThenResumed_onlyTheFirstFewReadsWaitForTheTimeout() {
        startLoad(false);
        awaitHitsGrowBy(1_000);
        long failuresBefore = redis.stats().failures();

        server.pause();
        await("the breaker opens", () -> redis.stats().breakerOpen());
        awaitReadsGrowBy(2_000);
        long failuresWhileFrozen = redis.stats().failures() - failuresBefore;

        // Each reader has at most one command in flight when the breaker opens; after that no
        // read waits for Redis: the thousands of reads while frozen did not time out.
        assertThat(failuresWhileFrozen).isBetween((long) BREAKER_FAILURES, (long) THREADS + BREAKER_FAILURES);

        server.resume();
        await("the breaker closes", () -> !redis.stats().breakerOpen());
        awaitHitsGrowBy(1_000);
        assertThat(errors).isEmpty();
    }

    @Test
    void nearCache_redisRestartedEmpty_nearCopiesAreDropped_andNothingStaleIsServed() {
        startLoad(true);
        awaitHitsGrowBy(1_000);
        long lostTrack = redis.stats().lostTrack();

        server.restart();
        await("the change channel is back", () -> redis.stats().lostTrack() >= lostTrack + 2
                && !redis.stats().breakerOpen());
        long loads = databaseLoads.get();
        await("the empty Redis is filled again", () -> databaseLoads.get() >= loads + KEYS);
        awaitHitsGrowBy(1_000);
        assertThat(errors).isEmpty();
    }
}
