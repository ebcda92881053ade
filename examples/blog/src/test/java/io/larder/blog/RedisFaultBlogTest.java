package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.blog.cache.CacheMode;
import io.larder.blog.cache.QueryMode;
import io.larder.blog.cache.StoreKind;
import io.larder.redis.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blog on its own Redis under load from concurrent clients while Redis is killed,
 * restarted empty, paused (SIGSTOP) and resumed: every request is answered with the page (from
 * the database while Redis is away), and none fails. Each phase lasts until the clients were
 * served a number of pages in it, not for a time in which a busy machine may serve none.
 */
class RedisFaultBlogTest {
    private static final List<String> PAGES = List.of("/en/", "/de/", "/en/page/2", "/fr/");
    /** Pages the clients are served in each phase: the phase lasts until they were. */
    private static final int PER_PHASE = io.larder.testing.Soak.rounds(40, 5_000);

    @TempDir
    Path dir;

    @Test
    void redisKilledRestartedEmptyPausedAndResumed_underLoad_everyRequestIsServed()
            throws Exception {
        try (RedisServer redis = RedisServer.start(); TestDb db = TestDb.h2();
                BlogServer node = BlogServer.start(new BlogConfig("127.0.0.1", 0, dir, db.url,
                        db.user, "", db.schema, CacheMode.QUERY, QueryMode.ORM, StoreKind.REDIS,
                        redis.uri(), TestDb.SIZE, TestDb.ADMIN_PASSWORD), db.db)) {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5)).build();
            Map<String, String> expected = new ConcurrentHashMap<>();
            for (String page : PAGES) {
                expected.put(page, get(client, node.url() + page).body());
            }
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong served = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicReference<String> firstFailure = new AtomicReference<>();
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                futures.add(clients.submit(() -> {
                    for (int i = offset; running.get(); i++) {
                        String page = PAGES.get(i % PAGES.size());
                        try {
                            HttpResponse<String> r = get(client, node.url() + page);
                            if (r.statusCode() == 200 && r.body().equals(expected.get(page))) {
                                served.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, page + " -> " + r.statusCode());
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, page + " -> " + e);
                        }
                    }
                    return null;
                }));
            }
            try {
                long[] servedAfter = new long[5];
                servedAfter[0] = phase(served, failed);
                redis.kill();
                servedAfter[1] = phase(served, failed);
                redis.restart();
                servedAfter[2] = phase(served, failed);
                redis.pause();
                servedAfter[3] = phase(served, failed);
                redis.resume();
                servedAfter[4] = phase(served, failed);
                running.set(false);
                for (Future<?> f : futures) {
                    f.get();
                }

                Map<String, Long> report = new java.util.LinkedHashMap<>();
                String[] phases = {"up", "killed", "restartedEmpty", "paused", "resumed"};
                for (int i = 0; i < servedAfter.length; i++) {
                    report.put(phases[i] + ".served",
                            servedAfter[i] - (i == 0 ? 0 : servedAfter[i - 1]));
                }
                report.put("served", served.get());
                report.put("failed", failed.get());
                io.larder.testing.Soak.report("blog-redis-faults", report);

                assertThat(failed.get()).as("failed requests; first: %s", firstFailure.get())
                        .isZero();
                for (int i = 0; i < servedAfter.length; i++) {
                    assertThat(servedAfter[i]).as("requests served in phase %s", phases[i])
                            .isGreaterThanOrEqualTo((i == 0 ? 0 : servedAfter[i - 1]) + PER_PHASE);
                }
            } finally {
                running.set(false);
                clients.shutdownNow();
            }
        }
    }

    /**
     * One phase of Redis's state, however long the clients take to get through it: until they
     * were served {@link #PER_PHASE} more pages (or one failed, and the test fails). Returns the
     * pages served so far.
     */
    private static long phase(AtomicLong served, AtomicLong failed) throws InterruptedException {
        long until = served.get() + PER_PHASE;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5); // if nothing moves
        while (served.get() < until && failed.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return served.get();
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
