package io.larder.bench;

import io.larder.Key;
import io.larder.Larder;
import io.larder.redis.RedisStore;
import io.larder.spi.Store;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Figures for larder-redis that JMH cannot take well: a hit against a raw GET, interleaved
 * (robust to a shared machine's load), the near-cache invalidation delay between two nodes, and
 * the latency a request pays while Redis is frozen (SIGSTOP) or dead (SIGKILL), before
 * and after the circuit breaker opens. Starts its own {@code redis-server} on a free port.
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar io.larder.bench.RedisFigures
 * java -cp bench/target/benchmarks.jar io.larder.bench.RedisFigures redis-cluster://127.0.0.1:7000
 * </pre>
 */
public final class RedisFigures {
    private static final byte[] SECRET =
            "redis-figures-secret-0123456789abc".getBytes(StandardCharsets.UTF_8);
    private static final Duration TIMEOUT = Duration.ofMillis(100);
    /** Where timeouts are not measured, a loaded machine must not cause them. */
    private static final Duration PATIENT = Duration.ofSeconds(2);

    private RedisFigures() {
    }

    /**
     * Prints the figures. With an argument (a {@code RedisStore.builder} string, e.g.
     * {@code redis-cluster://127.0.0.1:7000,127.0.0.1:7001}), prints only the invalidation delay,
     * on this run's own server and then on that Redis, side by side.
     */
    public static void main(String[] args) throws Exception {
        try (LocalRedis redis = LocalRedis.start()) {
            if (args.length > 0) {
                System.out.println("one server (" + redis.uri() + "):");
                invalidationDelay(redis.uri(), 2_000);
                tagDelay(redis.uri(), 1_000);
                System.out.println(args[0] + ":");
                invalidationDelay(args[0], 2_000);
                tagDelay(args[0], 1_000);
                return;
            }
            hitVersusRawGet(redis.uri(), 20_000);
            invalidationDelay(redis.uri(), 2_000);
            outage(redis);
        }
    }

    /**
     * A RedisStore hit and a whole Larder hit against a raw Lettuce GET of the same bytes,
     * interleaved one by one so that the load of a shared machine weighs on all three alike.
     */
    static void hitVersusRawGet(String uri, int rounds) {
        RedisStore redis = RedisStore.builder(uri).prefix("hit:").commandTimeout(PATIENT).build();
        RedisClient rawClient = RedisClient.create(uri);
        try (Larder larder = Larder.builder().store(redis).hmacSecret(SECRET).build();
             StatefulRedisConnection<byte[], byte[]> connection =
                     rawClient.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> raw = connection.sync();
            Key key = Key.of("fragments", "home", 1);
            String value = "<li>" + "x".repeat(2048 - 9) + "</li>";
            larder.get(key, String.class, () -> value);
            byte[] rawKey = ("hit:fragments:" + key.digest()).getBytes(StandardCharsets.UTF_8);
            long[] rawNanos = new long[rounds];
            long[] storeNanos = new long[rounds];
            long[] larderNanos = new long[rounds];
            long[] took = new long[3];
            for (int i = -5_000; i < rounds; i++) { // the first 5,000 warm up
                for (int k = 0; k < 3; k++) {
                    int which = Math.floorMod(i + k, 3); // rotated: none always goes first
                    long start = System.nanoTime();
                    switch (which) {
                        case 0 -> raw.get(rawKey);
                        case 1 -> redis.get(key);
                        default -> larder.get(key, String.class, () -> value);
                    }
                    took[which] = System.nanoTime() - start;
                }
                if (i >= 0) {
                    rawNanos[i] = took[0];
                    storeNanos[i] = took[1];
                    larderNanos[i] = took[2];
                }
            }
            Arrays.sort(rawNanos);
            Arrays.sort(storeNanos);
            Arrays.sort(larderNanos);
            long raw50 = rawNanos[rounds / 2];
            System.out.printf("hit of a 2 KB value, interleaved, %d rounds, medians: raw GET"
                    + " %.1f us, RedisStore.get %.1f us (x%.2f), Larder.get on RedisStore %.1f us"
                    + " (x%.2f)%n", rounds, raw50 / 1e3, storeNanos[rounds / 2] / 1e3,
                    (double) storeNanos[rounds / 2] / raw50, larderNanos[rounds / 2] / 1e3,
                    (double) larderNanos[rounds / 2] / raw50);
        } finally {
            rawClient.shutdown();
        }
    }

    /** Node A writes a key; how long until node B's near cache hears it must drop its copy. */
    static void invalidationDelay(String uri, int rounds) throws InterruptedException {
        RedisStore farA = RedisStore.builder(uri).prefix("delay:").commandTimeout(PATIENT).build();
        RedisStore farB = RedisStore.builder(uri).prefix("delay:").commandTimeout(PATIENT).build();
        BlockingQueue<Long> heard = new LinkedBlockingQueue<>();
        try (Larder a = nearCacheNode(farA); Larder b = nearCacheNode(farB)) {
            farB.listen(new Store.Listener() {
                @Override
                public void changed(Key key) {
                    heard.add(System.nanoTime());
                }

                @Override
                public void regionRemoved(String region) {
                }

                @Override
                public void lostTrack() {
                }
            });
            long[] delays = new long[rounds];
            for (int i = -500; i < rounds; i++) { // the first 500 warm up
                Key key = Key.of("posts", Math.floorMod(i, 100));
                b.get(key, String.class, () -> "near copy");
                heard.clear();
                long failures = farA.stats().failures();
                long start = System.nanoTime();
                a.put(key, "v" + i);
                Long at = heard.poll(5, TimeUnit.SECONDS);
                if (at == null) {
                    throw new IllegalStateException("node B never heard of the write"
                            + (farA.stats().failures() > failures ? " (it failed)" : ""));
                }
                if (i >= 0) {
                    delays[i] = at - start;
                }
            }
            Arrays.sort(delays);
            System.out.printf("near-cache invalidation delay, node A put -> node B told to drop"
                    + " its copy (%d rounds): p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", rounds,
                    millis(delays[rounds / 2]), millis(delays[rounds * 99 / 100]),
                    millis(delays[rounds - 1]));
        }
    }

    /**
     * Node A invalidates a tag; node B asks for its generation until it sees the new one (a
     * cached generation until B hears the announcement, then a read from Redis): how long an
     * edit takes to reach another node's near cache.
     */
    static void tagDelay(String uri, int rounds) {
        RedisStore farA = RedisStore.builder(uri).prefix("tagdelay:").commandTimeout(PATIENT)
                .build();
        RedisStore farB = RedisStore.builder(uri).prefix("tagdelay:").commandTimeout(PATIENT)
                .build();
        try (Larder a = nearCacheNode(farA); Larder b = nearCacheNode(farB)) {
            List<String> tag = List.of("post:1");
            long[] delays = new long[rounds];
            for (int i = -200; i < rounds; i++) { // the first 200 warm up
                long before = readGeneration(farB, tag);
                long start = System.nanoTime();
                a.invalidateTag(tag.get(0));
                while (readGeneration(farB, tag) == before) {
                    Thread.onSpinWait();
                }
                if (i >= 0) {
                    delays[i] = System.nanoTime() - start;
                }
            }
            Arrays.sort(delays);
            System.out.printf("tag invalidation delay, node A invalidateTag -> node B sees the"
                    + " new generation (%d rounds): p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                    rounds, millis(delays[rounds / 2]), millis(delays[rounds * 99 / 100]),
                    millis(delays[rounds - 1]));
        }
    }

    /** The tag's generation on {@code store}, waiting while it catches up after connecting. */
    private static long readGeneration(RedisStore store, List<String> tag) {
        while (true) {
            try {
                return store.generations(tag)[0];
            } catch (RuntimeException e) {
                Thread.onSpinWait(); // not caught up yet (just connected)
            }
        }
    }

    /** A node as the blog runs one: a memory near cache over {@code far}. */
    static Larder nearCacheNode(RedisStore far) {
        MemoryStore near = MemoryStore.builder().maximumSize(1_000).build();
        return Larder.builder().store(TieredStore.of(near, far)).hmacSecret(SECRET).build();
    }

    /** Per-request latency on one thread: healthy, then Redis frozen, then Redis dead. */
    static void outage(LocalRedis server) throws Exception {
        RedisStore redis = RedisStore.builder(server.uri()).prefix("outage:")
                .commandTimeout(TIMEOUT).breaker(3, Duration.ofMillis(500)).build();
        try (Larder larder = Larder.builder().store(redis).hmacSecret(SECRET).build()) {
            System.out.printf("one thread, Larder on RedisStore alone, command timeout %d ms,"
                    + " loader ~0 (so latency = cache overhead)%n", TIMEOUT.toMillis());
            report("healthy, hits", measure(larder, redis, 20_000, false));
            server.signal("-STOP");
            report("frozen (SIGSTOP)", measure(larder, redis, 20_000, true));
            server.signal("-CONT");
            awaitClosed(redis);
            measure(larder, redis, 5_000, false);
            server.kill();
            report("dead (SIGKILL)", measure(larder, redis, 20_000, true));
            System.out.println("breaker " + redis.stats());
        }
    }

    private static void awaitClosed(RedisStore redis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (redis.stats().breakerOpen() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private record Phase(long[] beforeOpen, long[] afterOpen, long timedOut, long failures) { }

    private static Phase measure(Larder larder, RedisStore redis, int requests, boolean split) {
        long failuresBefore = redis.stats().failures();
        long timedOut = 0;
        long[] before = new long[requests];
        long[] after = new long[requests];
        int b = 0;
        int a = 0;
        for (int i = 0; i < requests; i++) {
            int id = i % 100;
            boolean open = redis.stats().breakerOpen();
            long failed = redis.stats().failures();
            long start = System.nanoTime();
            larder.get(Key.of("posts", id), String.class, () -> "post " + id);
            long took = System.nanoTime() - start;
            if (redis.stats().failures() > failed) {
                timedOut++;
            }
            if (split && !open) {
                before[b++] = took;
            } else {
                after[a++] = took;
            }
        }
        return new Phase(Arrays.copyOf(before, b), Arrays.copyOf(after, a), timedOut,
                redis.stats().failures() - failuresBefore);
    }

    private static void report(String phase, Phase figures) {
        System.out.printf("  %-18s requests with a failed Redis command: %d"
                + " (failed commands: %d)%n", phase, figures.timedOut, figures.failures);
        long[] before = figures.beforeOpen;
        if (before.length > 0) {
            System.out.printf("  %-18s before the breaker opened: %d request(s), max %.3f ms,"
                    + " sum %.3f ms%n", phase, before.length, millis(max(before)),
                    millis(sum(before)));
        }
        long[] after = figures.afterOpen.clone();
        Arrays.sort(after);
        System.out.printf("  %-18s %s: %d requests, p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", phase,
                before.length > 0 || !phase.startsWith("healthy")
                        ? "after the breaker opened" : "all", after.length,
                millis(after[after.length / 2]), millis(after[after.length * 99 / 100]),
                millis(after[after.length - 1]));
    }

    private static long max(long[] values) {
        return Arrays.stream(values).max().orElse(0);
    }

    private static long sum(long[] values) {
        return Arrays.stream(values).sum();
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** A redis-server of this run's own, without persistence, controlled by pid. */
    static final class LocalRedis implements AutoCloseable {
        private final Process process;
        private final int port;

        private LocalRedis(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static LocalRedis start() throws IOException, InterruptedException {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Path dir = Files.createTempDirectory("redis-figures");
            Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return new LocalRedis(process, port);
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        process.destroyForcibly();
                        throw e;
                    }
                    Thread.sleep(20);
                }
            }
        }

        String uri() {
            return "redis://127.0.0.1:" + port;
        }

        void signal(String signal) throws IOException, InterruptedException {
            new ProcessBuilder("kill", signal, Long.toString(process.pid())).start().waitFor();
        }

        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                signal("-CONT");
                kill();
            }
        }
    }
}
