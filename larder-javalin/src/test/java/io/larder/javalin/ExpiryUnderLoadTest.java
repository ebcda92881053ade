package io.larder.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pages expire (by the fake clock) while 50 clients read them: nobody waits for a render, and
 * each key is rendered exactly once per expiry.
 */
class ExpiryUnderLoadTest {
    private static final int CLIENTS = 50;
    private static final int EXPIRIES = 4;
    private static TestSite site;

    @BeforeAll
    static void start() {
        site = new TestSite(cfg -> { });
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    @Test
    void expiringPages_underConcurrentClients_areServedStale_andRenderedOncePerExpiry()
            throws Exception {
        assertThat(site.plugin.awaitWarm(Duration.ofSeconds(30))).isTrue();
        // Warmed in both languages; the clients below ask for the default one.
        assertThat(site.renders("/", "1")).isEqualTo(2);
        assertThat(site.renders("/", "2")).isEqualTo(2);
        long missesAfterWarming = site.larder.stats().get("page").misses();
        String[] urls = {"/", "/?page=2"};
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            for (int expiry = 1; expiry <= EXPIRIES; expiry++) {
                // Past the 10 s TTL, inside the stale window.
                site.clock.advance(Duration.ofSeconds(11));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> responses = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    String url = urls[i % urls.length];
                    responses.add(clients.submit(() -> {
                        go.await();
                        return site.get(url);
                    }));
                }
                go.countDown();
                for (Future<HttpResponse<String>> response : responses) {
                    HttpResponse<String> r = response.get();
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).contains("<h1>home en</h1>");
                    outcomes.computeIfAbsent(TestSite.pageOutcome(r), k -> new AtomicInteger())
                            .incrementAndGet();
                }
                int expected = 2 + expiry;
                TestSite.awaitTrue(() -> site.renders("/", "1") == expected
                        && site.renders("/", "2") == expected);
                // Refreshed: the next reads are fresh hits and render nothing more.
                assertThat(TestSite.pageOutcome(site.get("/"))).isEqualTo("hit");
                assertThat(TestSite.pageOutcome(site.get("/?page=2"))).isEqualTo("hit");
                assertThat(site.renders("/", "1")).as("renders of / after expiry " + expiry)
                        .isEqualTo(expected);
                assertThat(site.renders("/", "2")).as("renders of /?page=2 after expiry " + expiry)
                        .isEqualTo(expected);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(outcomes).doesNotContainKey("miss");
        assertThat(outcomes.get("stale").get()).isGreaterThanOrEqualTo(EXPIRIES * urls.length);
        assertThat(outcomes.values().stream().mapToInt(AtomicInteger::get).sum())
                .isEqualTo(EXPIRIES * CLIENTS);
        assertThat(site.larder.stats().get("page").misses()).isEqualTo(missesAfterWarming);
    }
}
