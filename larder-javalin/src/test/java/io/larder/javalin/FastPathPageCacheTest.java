package io.larder.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/**
 * Every page cache test of {@link PageCacheTest} with the fast path in front of Javalin, and what
 * only the fast path has: it answers hits, its answers are the ordinary path's byte for byte, it
 * never answers a page that was invalidated, and a stale page it answers is refreshed.
 */
class FastPathPageCacheTest extends PageCacheTest {
    /** Headers that must be the same whichever path answers. */
    private static final List<String> SAME = List.of("content-type", "content-length",
            "content-encoding", "etag", "vary", "cache-control");

    @Override
    void configure(LarderPlugin.Config cfg) {
        // The site's anonymous rule is "no session cookie": every request the front answers
        // (no cookie at all) is anonymous.
        cfg.fastPath(true);
    }

    @Test
    void hits_areAnsweredByTheFastPath() throws Exception {
        site.get("/?page=21");
        long before = site.plugin.front().answered();

        HttpResponse<String> hit = site.get("/?page=21");

        assertThat(site.plugin.front().answered()).isEqualTo(before + 1);
        assertThat(TestSite.pageOutcome(hit)).isEqualTo("hit");
        assertThat(TestSite.serverTiming(hit)).containsKey("front");
        assertThat(hit.body()).contains("posts of page 21");
    }

    /**
     * A page the front has read once is held: the next hit is answered without reading the store
     * ({@code Larder.hitAgain}), still counted as a hit, and never once its tags have moved.
     */
    @Test
    void aHeldPage_isAnsweredAgain_untilItIsInvalidated() throws Exception {
        site.get("/?page=22"); // rendered: the front learns the target
        site.get("/?page=22"); // read from the store by the front, which now holds it
        long hits = site.larder.stats().get("page").hits();

        HttpResponse<String> held = site.get("/?page=22");

        assertThat(TestSite.pageOutcome(held)).isEqualTo("hit");
        assertThat(TestSite.serverTiming(held)).containsKey("front");
        assertThat(site.larder.stats().get("page").hits()).isEqualTo(hits + 1);

        site.larder.invalidateRegion("page");
        HttpResponse<String> after = site.get("/?page=22");
        assertThat(TestSite.serverTiming(after)).doesNotContainKey("front");
        assertThat(after.body()).contains("posts of page 22");
    }

    /**
     * Warming visits each warmed page once in memory after rendering it, so the fast path
     * answers the first real visitor in every language (nothing else here asks for page 2).
     */
    @Test
    void warmedPages_areAnsweredByTheFastPath_fromTheFirstRequest() throws Exception {
        assertThat(site.plugin.awaitWarm(Duration.ofSeconds(30))).isTrue();
        for (String language : List.of("en", "de")) {
            long before = site.plugin.front().answered();
            HttpResponse<String> first = site.get("/?page=2", "Accept-Language", language);
            assertThat(site.plugin.front().answered()).as(language).isEqualTo(before + 1);
            // Stored, not rendered: stale when another test has moved the site's clock.
            assertThat(TestSite.pageOutcome(first)).isIn("hit", "stale");
            assertThat(first.body()).contains("posts of page 2");
        }
    }

    /**
     * A cookie the site's rule ignores keeps the request on the ordinary path, which must give
     * the same page with the same headers: identity, gzip, HEAD and 304.
     */
    @Test
    void fastAnswers_equalTheOrdinaryPathsAnswers() throws Exception {
        site.get("/big");
        String etag = null;
        for (String encoding : List.of("identity", "gzip", "gzip, br;q=0.5")) {
            for (String method : List.of("GET", "HEAD")) {
                long before = site.plugin.front().answered();
                HttpResponse<byte[]> fast = send(method, "/big", "Accept-Encoding", encoding);
                assertThat(site.plugin.front().answered()).isEqualTo(before + 1);
                HttpResponse<byte[]> ordinary = send(method, "/big", "Accept-Encoding", encoding,
                        "Cookie", "theme=dark");
                assertThat(site.plugin.front().answered()).isEqualTo(before + 1);
                assertThat(fast.statusCode()).isEqualTo(ordinary.statusCode()).isEqualTo(200);
                assertThat(fast.body()).isEqualTo(ordinary.body());
                for (String name : SAME) {
                    assertThat(fast.headers().allValues(name)).as("%s %s %s", method, encoding,
                            name).isEqualTo(ordinary.headers().allValues(name));
                }
                if (method.equals("GET") && encoding.startsWith("gzip")) {
                    assertThat(fast.headers().firstValue("content-encoding")).hasValue("gzip");
                    assertThat(gunzip(fast.body())).isEqualTo(TestSite.big("cached"));
                    etag = fast.headers().firstValue("etag").orElseThrow();
                }
            }
        }
        HttpResponse<byte[]> fast304 = send("GET", "/big", "Accept-Encoding", "gzip",
                "If-None-Match", etag);
        HttpResponse<byte[]> ordinary304 = send("GET", "/big", "Accept-Encoding", "gzip",
                "If-None-Match", etag, "Cookie", "theme=dark");
        assertThat(fast304.statusCode()).isEqualTo(ordinary304.statusCode()).isEqualTo(304);
        assertThat(fast304.body()).isEmpty();
        assertThat(fast304.headers().allValues("etag"))
                .isEqualTo(ordinary304.headers().allValues("etag"));
    }

    @Test
    void invalidatedPage_isNeverAnswered_theNextRequestRendersTheNewOne() throws Exception {
        site.get("/posts/31");
        assertThat(TestSite.pageOutcome(site.get("/posts/31"))).isEqualTo("hit");
        long before = site.plugin.front().answered();

        site.send("POST", "/admin/posts/31");
        HttpResponse<String> after = site.get("/posts/31");

        assertThat(site.plugin.front().answered()).isEqualTo(before);
        assertThat(TestSite.pageOutcome(after)).isEqualTo("miss");
        assertThat(after.body()).contains("v" + site.version);
    }

    @Test
    void stalePage_isAnsweredAtOnce_andRefreshedInTheBackground() throws Exception {
        site.get("/?page=22");
        int renders = site.renders("/", "22");
        site.clock.advance(Duration.ofSeconds(11)); // past the page region's 10 s TTL

        HttpResponse<String> stale = site.get("/?page=22");

        assertThat(TestSite.pageOutcome(stale)).isEqualTo("stale");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (site.renders("/", "22") == renders && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(site.renders("/", "22")).isEqualTo(renders + 1);
    }

    /**
     * On one keep-alive connection: a path that is no page (the front passes it on), then a
     * cached page that the front leaves to the ordinary path (a cookie), then the first path
     * again. What the front saw of the first request must not be learned as the second's
     * target: the third answer is the 404, never the page.
     */
    @Test
    void aRequestTheFrontPassedOn_isNeverLearnedAsTheNextRequestsTarget() throws Exception {
        site.get("/?page=24");
        try (Socket socket = new Socket("127.0.0.1", site.app.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
            for (int round = 0; round < 3; round++) {
                assertThat(exchange(out, in, "/no-such-page-x", "")).startsWith("HTTP/1.1 404");
                assertThat(exchange(out, in, "/?page=24", "Cookie: theme=dark\r\n"))
                        .startsWith("HTTP/1.1 200").contains("posts of page 24");
                assertThat(exchange(out, in, "/?page=24&q=%C6lD%00%2F..%2F", ""))
                        .startsWith("HTTP/1.1 200").contains("posts of page 24");
                assertThat(exchange(out, in, "/..%2F..%2Fno-such-page-y", ""))
                        .doesNotContain("posts of page 24");
            }
        }
        assertThat(site.get("/no-such-page-x").statusCode()).isEqualTo(404);
        assertThat(site.get("/..%2F..%2Fno-such-page-y").body()).doesNotContain("page 24");
    }

    /**
     * Requests pipelined on keep-alive connections, several at once, each answered with its own
     * page, whichever path answers it (a front that handed requests to other threads once made
     * Jetty read a request twice, and answers on the connection fell one behind).
     */
    @Test
    void pipelinedRequests_onManyConnections_eachGetItsOwnPage() throws Exception {
        int connections = 4;
        int perConnection = 400;
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(connections);
        try {
            List<java.util.concurrent.Future<List<String>>> wrong = new java.util.ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int first = c * perConnection;
                wrong.add(pool.submit(() -> pipeline(first, perConnection)));
            }
            for (java.util.concurrent.Future<List<String>> f : wrong) {
                assertThat(f.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sends {@code count} GETs at once on one connection; the answers that were not theirs. */
    private List<String> pipeline(int first, int count) throws Exception {
        List<String> wrong = new java.util.ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", site.app.port())) {
            socket.setSoTimeout(30_000);
            StringBuilder requests = new StringBuilder();
            for (int i = 0; i < count; i++) {
                // Most with a cookie (the ordinary path, bypassing the cache), the rest not.
                requests.append("GET /posts/").append(first + i % 40)
                        .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                        .append(i % 4 != 3 ? "Cookie: theme=dark\r\n" : "").append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(requests.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < count; i++) {
                String answer = TestSite.readAnswer(in);
                if (!answer.contains("<h1>post " + (first + i % 40) + " ")) {
                    wrong.add("request " + i + " for post " + (first + i % 40) + ": "
                            + answer.substring(Math.max(0, answer.indexOf("<h1>"))));
                }
            }
        }
        return wrong;
    }

    /** Sends a GET on the connection and reads its whole answer (Content-Length bodies). */
    private static String exchange(OutputStream out, BufferedInputStream in, String target,
            String headers) throws Exception {
        out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return TestSite.readAnswer(in);
    }

    private HttpResponse<byte[]> send(String method, String path, String... headers)
            throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + site.app.port() + path)).headers(headers)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String gunzip(byte[] body) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
