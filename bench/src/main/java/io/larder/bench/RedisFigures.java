package io.larder.bench;

import io.larder.Key;
import io.larder.Larder;
import io.larder.redis.RedisStore;
import io.larder.spi.Store;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Figures for larder-redis that JMH cannot take: the near-cache invalidation delay between two
 * nodes, and the latency a request pays while Redis is frozen (SIGSTOP) or dead (SIGKILL), before
 * and after the circuit breaker opens. Starts its own {@code redis-server} on a free port.
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar io.larder.bench.RedisFigures
 * </pre>
 */
public final class RedisFigures {
    private static final byte[] SECRET = "redis-figures-secret-0123456789abc".getBytes(StandardCharsets.UTF_8);
    private static final Duration TIMEOUT = Duration.ofMillis(100);

    private RedisFigures() {
    }

    /** Prints the figures. */
    public static void main(String[] args) throws Exception {
        try (LocalRedis redis = LocalRedis.start()) {
            invalidationDelay(redis.uri(), 2_000);
            outage(redis);
        }
    }

    /** Node A writes a key; how long until node B's near cache hears it must drop its copy. */
    static void invalidationDelay(String uri, int rounds) throws InterruptedException {
        RedisStore farA = RedisStore.builder(uri).prefix("delay:").build();
        RedisStore farB = RedisStore.builder(uri).prefix("delay:").build();
        BlockingQueue<Long> heard = new LinkedBlockingQueue<>();
        try (Larder a = Larder.builder().store(TieredStore.of(MemoryStore.builder().maximumSize(1_000).build(), farA))
                     .hmacSecret(SECRET).build();
             Larder b = Larder.builder().store(TieredStore.of(MemoryStore.builder().maximumSize(1_000).build(), farB))
                     .hmacSecret(SECRET).build()) {
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
                long start = System.nanoTime();
                a.put(key, "v" + i);
                Long at = heard.poll(5, TimeUnit.SECONDS);
                if (at == null) {
                    throw new IllegalStateException("node B never heard of the write");
                }
                if (i >= 0) {
                    delays[i] = at - start;
                }
            }
            Arrays.sort(delays);
            System.out.printf("near-cache invalidation delay, node A put -> node B told to drop its copy"
                    + " (%d rounds): p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", rounds,
                    millis(delays[rounds / 2]), millis(delays[rounds * 99 / 100]), millis(delays[rounds - 1]));
        }
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
        System.out.printf("  %-18s requests with a failed Redis command: %d (failed commands: %d)%n",
                phase, figures.timedOut, figures.failures);
        if (figures.beforeOpen.length > 0) {
            System.out.printf("  %-18s before the breaker opened: %d request(s), max %.3f ms, sum %.3f ms%n",
                    phase, figures.beforeOpen.length, millis(max(figures.beforeOpen)), millis(sum(figures.beforeOpen)));
        }
        long[] after = figures.afterOpen.clone();
        Arrays.sort(after);
        System.out.printf("  %-18s %s: %d requests, p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", phase,
                figures.beforeOpen.length > 0 || phase.startsWith("frozen") || phase.startsWith("dead")
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
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
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
