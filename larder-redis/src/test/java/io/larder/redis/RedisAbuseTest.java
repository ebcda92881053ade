package io.larder.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.testing.FakeClock;
import io.larder.testing.HostileKeys;
import io.larder.testing.Soak;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile keys and stampedes on a shared Redis: key parts never reach a Redis key (every key is
 * the prefix, the region and a 64-hex digest), keys that joined parts would confuse hold their own
 * values, and nodes × threads on one expired key load it once per expiry (a failing loader is not
 * cached: the stale value is served meanwhile). Loads are counted in Redis itself.
 */
class RedisAbuseTest {
    private static final byte[] SECRET = "redis-abuse-test-secret-0123456789".getBytes(UTF_8);
    private static final Duration REFRESH_BACKOFF = Duration.ofMinutes(1);
    private static RedisServer server;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> raw;
    private final List<Larder> nodes = new ArrayList<>();
    /** The nodes' background refreshes, so that a test can wait until they have all ended. */
    private final List<ThreadPoolExecutor> refreshes = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        client = RedisClient.create(server.uri());
        raw = client.connect();
    }

    @AfterAll
    static void stopRedis() {
        raw.close();
        client.shutdown();
        server.close();
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(Larder::close);
        refreshes.forEach(ExecutorService::shutdownNow);
        refreshes.clear();
    }

    private Larder node(String prefix, java.time.InstantSource clock) {
        RedisStore redis = RedisStore.builder(server.uri()).prefix(prefix)
                .commandTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(5))
                .build();
        ThreadPoolExecutor refresh = (ThreadPoolExecutor) Executors.newCachedThreadPool();
        refreshes.add(refresh);
        Larder larder = Larder.builder().store(redis).hmacSecret(SECRET).clock(clock)
                .refreshExecutor(refresh).loadLease(Duration.ofSeconds(30))
                .refreshBackoff(REFRESH_BACKOFF).build();
        RedisServer.awaitReady(redis);
        nodes.add(larder);
        return larder;
    }

    @Test
    void hostileAndCollidingKeys_becomeBoundedRedisKeys_withTheirOwnValues() {
        raw.sync().flushall();
        Larder larder = node("hk:", java.time.InstantSource.system());
        Set<Key> distinct = new LinkedHashSet<>(HostileKeys.colliding("posts"));
        for (String part : HostileKeys.PARTS) {
            distinct.add(Key.of("posts", part));
            distinct.add(Key.of("posts", part, part));
        }
        List<Key> keys = new ArrayList<>(distinct);
        for (int i = 0; i < keys.size(); i++) {
            larder.put(keys.get(i), "value " + i);
        }
        long collisions = 0;
        for (int i = 0; i < keys.size(); i++) {
            int index = i;
            String read = larder.get(keys.get(i), String.class, () -> "missing " + index);
            if (!read.equals("value " + i)) {
                collisions++;
            }
        }
        Pattern entry = Pattern.compile("hk:posts2?:[0-9a-f]{64}");
        List<String> redisKeys = new ArrayList<>();
        ScanIterator.scan(raw.sync(), ScanArgs.Builder.matches("*"))
                .forEachRemaining(redisKeys::add);
        List<String> odd = redisKeys.stream()
                .filter(k -> !entry.matcher(k).matches() && !k.startsWith("hk:@tag:")
                        && !k.equals("hk:@epoch:{hk:}")).toList();

        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("keys", (long) keys.size());
        counts.put("collisions", collisions);
        counts.put("redisKeysOutsideThePattern", (long) odd.size());
        counts.put("longestRedisKey",
                (long) redisKeys.stream().mapToInt(String::length).max().orElse(0));
        Soak.report("redis-hostile-keys", counts);
        assertThat(collisions).isZero();
        assertThat(odd).isEmpty();
        assertThat(redisKeys.stream().filter(k -> entry.matcher(k).matches()))
                .hasSize(keys.size());
    }

    @Test
    void nodesTimesThreadsOnOneExpiredKey_oneLoadPerExpiry_failingLoaderServesStale()
            throws Exception {
        int nodeCount = 3;
        int threads = 4;
        int rounds = Soak.rounds(3, 100);
        Key key = Key.of("home-posts", "en", 1);
        Options options = Options.ttlOf(Duration.ofSeconds(1)).staleFor(Duration.ofHours(1));
        long stale = 0;
        long fresh = 0;
        long wrong = 0;
        long failedLoads = 0;
        long successfulLoads = 0;
        for (int round = 0; round < rounds; round++) {
            raw.sync().flushall();
            closeNodes();
            nodes.clear();
            // Written 10 s ago with a 1 s TTL: expired, and servable stale for an hour.
            node("st:", new FakeClock(Instant.now().minusSeconds(10))).put(key, "v1", options);
            FakeClock now = new FakeClock(Instant.now());
            List<Larder> cluster = new ArrayList<>();
            for (int n = 0; n < nodeCount; n++) {
                cluster.add(node("st:", now));
            }
            for (boolean succeed : new boolean[] {false, true}) {
                // Past the back-off of the nodes whose refresh failed: every node may refresh.
                now.advance(REFRESH_BACKOFF.plusSeconds(1));
                String counter = "loads:" + round + ":" + succeed;
                CyclicBarrier start = new CyclicBarrier(nodeCount * threads);
                ExecutorService pool = Executors.newFixedThreadPool(nodeCount * threads);
                List<Future<String>> reads = new ArrayList<>();
                try {
                    for (Larder node : cluster) {
                        for (int t = 0; t < threads; t++) {
                            reads.add(pool.submit(() -> {
                                start.await();
                                return node.get(key, String.class, options, () -> {
                                    raw.sync().incr(counter);
                                    Thread.sleep(300);
                                    if (!succeed) {
                                        throw new IllegalStateException("the database is down");
                                    }
                                    return "v2";
                                });
                            }));
                        }
                    }
                    for (Future<String> read : reads) {
                        String value = read.get();
                        if (value.equals("v1")) {
                            stale++;
                        } else if (succeed && value.equals("v2")) {
                            fresh++; // read after the refresh had ended: a slow thread
                        } else {
                            wrong++;
                        }
                    }
                } finally {
                    pool.shutdown();
                }
                long loads = awaitLoadsSettle(counter);
                if (succeed) {
                    assertThat(loads).as("loads of one expiry, round %d", round).isOne();
                    successfulLoads += loads;
                } else {
                    assertThat(loads).isBetween(1L, (long) nodeCount);
                    failedLoads += loads;
                }
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("expiries", 2L * rounds);
        counts.put("reads", 2L * rounds * nodeCount * threads);
        counts.put("servedStale", stale);
        counts.put("servedFresh", fresh);
        counts.put("failedLoads", failedLoads);
        counts.put("successfulLoads", successfulLoads);
        counts.put("wrongOrThrown", wrong);
        Soak.report("redis-stampede-nodes", counts);
        assertThat(wrong).isZero();
    }

    /**
     * The loads counted under {@code counter} once the background refreshes that the reads
     * started (all submitted by the time the reads returned) have ended.
     */
    private long awaitLoadsSettle(String counter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2); // if one hangs
        for (ThreadPoolExecutor refresh : refreshes) {
            while (refresh.getCompletedTaskCount() < refresh.getTaskCount()) {
                assertThat(System.nanoTime()).as("refreshes still running").isLessThan(deadline);
                Thread.sleep(5);
            }
        }
        String value = raw.sync().get(counter);
        return value == null ? 0 : Long.parseLong(value);
    }
}
