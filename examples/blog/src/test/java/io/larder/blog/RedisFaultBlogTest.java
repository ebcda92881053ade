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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blog on its own Redis under load from concurrent clients while Redis is killed,
 * restarted empty, paused (SIGSTOP) and resumed: every request is answered with the page (from
 * the database while Redis is away), and none fails.
 */
class RedisFaultBlogTest {
    private static final List<String> PAGES = List.of("/en/", "/de/", "/en/page/2", "/fr/");

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
                phase(1_500);
                servedAfter[0] = served.get();
                redis.kill();
                phase(1_500);
                servedAfter[1] = served.get();
                redis.restart();
                phase(1_500);
                servedAfter[2] = served.get();
                redis.pause();
                phase(1_500);
                servedAfter[3] = served.get();
                redis.resume();
                phase(1_500);
                servedAfter[4] = served.get();
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
                for (int i = 1; i < servedAfter.length; i++) {
                    assertThat(servedAfter[i]).as("requests served in phase %d", i)
                            .isGreaterThan(servedAfter[i - 1]);
                }
            } finally {
                running.set(false);
                clients.shutdownNow();
            }
        }
    }

    private static void phase(long millis) throws InterruptedException {
        Thread.sleep(millis); // load keeps running meanwhile: this is the length of a fault phase
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
