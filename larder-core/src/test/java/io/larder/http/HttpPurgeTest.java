package io.larder.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.larder.Larder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The purge queue against a real HTTP server on a free loopback port that records what it is
 * sent and fails or stalls on purpose.
 */
class HttpPurgeTest {
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger failFirst = new AtomicInteger();
    private volatile int status = 200;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final CountDownLatch firstArrived = new CountDownLatch(1);
    private HttpServer server;
    private Larder larder;
    private HttpPurge purge;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        larder = Larder.builder().build();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String xkey = exchange.getRequestHeaders().getFirst("xkey");
        seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI()
                + (xkey == null ? "" : " xkey=" + xkey));
        firstArrived.countDown();
        try {
            gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int code = failFirst.getAndDecrement() > 0 ? 503 : status;
        exchange.sendResponseHeaders(code, -1);
        exchange.close();
    }

    @AfterEach
    void stop() {
        gate.countDown();
        if (purge != null) {
            purge.close();
        }
        larder.close();
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Test
    void invalidateTag_sendsOnePurgeWithTheEncodedTags_andARegionsTag() {
        purge = HttpPurge.builder().varnish(base()).build().attach(larder);

        larder.invalidateTag("post:42");
        settled(HttpPurge.Stats::sent, 1);
        larder.invalidateRegion("home-posts");
        settled(HttpPurge.Stats::sent, 2);
        larder.invalidate(io.larder.Key.of("home-posts", "en"));

        assertThat(seen.get(0)).isEqualTo("PURGE / xkey=post:42 @overflow");
        assertThat(seen.get(1)).isEqualTo("PURGE / xkey=@region:home-posts @overflow");
        assertThat(purge.stats()).isEqualTo(new HttpPurge.Stats(2, 0, 0, 0, 0));
    }

    @Test
    void webhook_sendsARequestPerTag_withTheTagInItsUrl() {
        purge = HttpPurge.builder().webhook(base() + "purge/{tag}").build().attach(larder);

        larder.invalidateTag("a b");
        settled(HttpPurge.Stats::sent, 2);

        assertThat(seen).containsExactly("PURGE /purge/a%20b", "PURGE /purge/@overflow");
    }

    @Test
    void failedRequests_areRetriedWithBackoff_untilTheCacheAnswers() {
        failFirst.set(2);
        purge = HttpPurge.builder().varnish(base()).retries(3, Duration.ofMillis(10)).build()
                .attach(larder);

        larder.invalidateTag("posts");
        settled(HttpPurge.Stats::sent, 1);

        assertThat(seen).hasSize(3).allMatch(s -> s.equals("PURGE / xkey=posts @overflow"));
        assertThat(purge.stats()).isEqualTo(new HttpPurge.Stats(1, 2, 0, 0, 0));
    }

    @Test
    void aCacheThatKeepsFailing_countsEachRequestGivenUp_andGoesOnWithTheNext() {
        status = 500;
        purge = HttpPurge.builder().varnish(base()).retries(2, Duration.ofMillis(1)).build()
                .attach(larder);

        larder.invalidateTag("a");
        settled(HttpPurge.Stats::failed, 1);
        larder.invalidateTag("b");
        settled(HttpPurge.Stats::failed, 2);

        assertThat(seen).hasSize(6);
        assertThat(purge.stats()).isEqualTo(new HttpPurge.Stats(0, 4, 2, 0, 0));
    }

    @Test
    void anUnreachableCache_isAFailureToo() throws IOException {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        purge = HttpPurge.builder().varnish(URI.create("http://127.0.0.1:" + port + "/"))
                .retries(1, Duration.ofMillis(1)).build().attach(larder);

        larder.invalidateTag("a");
        settled(HttpPurge.Stats::failed, 1);

        assertThat(purge.stats()).isEqualTo(new HttpPurge.Stats(0, 1, 1, 0, 0));
    }

    @Test
    void aStalledCache_neitherDelaysTheInvalidatingThread_norGrowsTheQueuePastItsBound()
            throws InterruptedException {
        gate = new CountDownLatch(1);
        purge = HttpPurge.builder().varnish(base()).queueSize(3).build().attach(larder);

        larder.invalidateTag("a");
        assertThat(firstArrived.await(30, TimeUnit.SECONDS)).as("the first purge").isTrue();
        for (String tag : List.of("b", "c", "d", "e", "f")) {
            larder.invalidateTag(tag); // returns at once while the cache stalls
        }

        assertThat(purge.stats().dropped()).isEqualTo(2);
        assertThat(purge.stats().pending()).isEqualTo(4);
        gate.countDown();
        settled(HttpPurge.Stats::sent, 2);
        assertThat(seen).containsExactly("PURGE / xkey=a @overflow",
                "PURGE / xkey=b c d @overflow");
        assertThat(purge.stats()).isEqualTo(new HttpPurge.Stats(2, 0, 0, 2, 0));
    }

    /** Waits until {@code counter} reached {@code n} and nothing is pending. */
    private void settled(java.util.function.ToLongFunction<HttpPurge.Stats> counter, long n) {
        waitFor(() -> {
            HttpPurge.Stats stats = purge.stats();
            return counter.applyAsLong(stats) >= n && stats.pending() == 0;
        });
    }

    private static void waitFor(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
