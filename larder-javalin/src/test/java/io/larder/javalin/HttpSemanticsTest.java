package io.larder.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.larder.Larder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: HEAD mirrors GET, one validator per content coding with {@code Vary}, the
 * page cache's {@code Cache-Control}, 405 with {@code Allow}, and {@code Server-Timing} on Jetty's
 * own error answers; on a real Jetty.
 */
class HttpSemanticsTest {
    /** Headers that must be the same on a HEAD as on the GET of the same URL. */
    private static final List<String> MIRRORED = List.of("content-type", "content-length",
            "content-encoding", "etag", "vary", "cache-control", "allow", "location");

    private static TestSite site;
    /** A client per test: no connection idles in its pool past Jetty's idle timeout. */
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        site = new TestSite(cfg -> { });
        assertThat(site.plugin.awaitWarm(Duration.ofSeconds(30))).isTrue();
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    /**
     * Regression: a HEAD on a route registered for GET only answered an empty
     * {@code 200 text/plain} without running the route, whatever the GET answered.
     */
    @Test
    void head_mirrorsGet_onUncachedCachedAndMissingPages_withAndWithoutGzip() throws Exception {
        for (String path : List.of("/uncached", "/big-uncached", "/big", "/posts/3", "/?page=2",
                "/missing", "/nowhere", "/big-etag")) {
            for (String encoding : List.of("identity", "gzip")) {
                HttpResponse<byte[]> get = send("GET", path, "Accept-Encoding", encoding);
                HttpResponse<byte[]> head = send("HEAD", path, "Accept-Encoding", encoding);
                assertThat(head.statusCode()).as("HEAD %s (%s)", path, encoding)
                        .isEqualTo(get.statusCode());
                assertThat(head.body()).as("HEAD %s", path).isEmpty();
                for (String name : MIRRORED) {
                    assertThat(head.headers().allValues(name)).as("%s of HEAD %s (%s)", name, path,
                            encoding).isEqualTo(get.headers().allValues(name));
                }
                assertThat(head.headers().firstValue("content-length")).as("HEAD %s", path)
                        .hasValue(String.valueOf(get.body().length));
            }
        }
    }

    /**
     * Regression: the HEAD route {@code cachedGet} registers for a broad pattern ({@code /{name}})
     * answered HEAD for a path that has a GET route of its own, registered before it.
     */
    @Test
    void head_onAPathWithItsOwnGetRoute_isNotTakenByABroaderHeadRoute() throws Exception {
        Larder larder = Larder.builder().region("page", r -> r.ttl(Duration.ofMinutes(1))).build();
        LarderPlugin plugin = new LarderPlugin(cfg -> cfg.larder(larder));
        Javalin app = Javalin.create(config -> {
            config.registerPlugin(plugin);
            config.routes.get("/special", ctx -> ctx.redirect("/elsewhere", HttpStatus.SEE_OTHER));
            plugin.cachedGet(config.routes, "/{name}", Page.regionDefaults(),
                    ctx -> ctx.html("page " + ctx.pathParam("name")));
        }).start(0);
        try {
            for (String path : List.of("/special", "/other")) {
                URI uri = URI.create("http://127.0.0.1:" + app.port() + path);
                HttpResponse<byte[]> get = client.send(HttpRequest.newBuilder(uri).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                HttpResponse<byte[]> head = client.send(HttpRequest.newBuilder(uri)
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
                for (String name : MIRRORED) {
                    assertThat(head.headers().allValues(name)).as("%s of HEAD %s", name, path)
                            .isEqualTo(get.headers().allValues(name));
                }
            }
        } finally {
            app.stop();
            larder.close();
        }
    }

    @Test
    void head_sendsNoBodyBytes_soTheNextResponseOnTheConnectionIsIntact() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", site.app.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("HEAD /big-uncached HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n"
                    + "GET /uncached HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String both = new String(socket.getInputStream().readAllBytes(),
                    StandardCharsets.ISO_8859_1);
            int second = both.indexOf("\r\n\r\n") + 4;
            assertThat(both.substring(0, second)).startsWith("HTTP/1.1 200");
            assertThat(both.substring(second)).startsWith("HTTP/1.1 200").endsWith("uncached 1");
        }
    }

    /**
     * Regression: the gzip and the identity body of a cached page had one strong ETag and no
     * {@code Vary: Accept-Encoding}, so a shared cache could hand gzip to a client that did not
     * ask for it, and a client's validator of one matched the other.
     */
    @Test
    void gzipAndIdentity_haveTheirOwnETag_andVary_andIfNoneMatchSelectsByCoding()
            throws Exception {
        HttpResponse<byte[]> identity = send("GET", "/big");
        HttpResponse<byte[]> gzip = send("GET", "/big", "Accept-Encoding", "gzip, deflate");
        String plainTag = identity.headers().firstValue("ETag").orElseThrow();
        String gzipTag = gzip.headers().firstValue("ETag").orElseThrow();

        assertThat(identity.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gunzip(gzip.body())).isEqualTo(identity.body());
        assertThat(gzip.headers().firstValue("Content-Length"))
                .hasValue(String.valueOf(gzip.body().length));
        assertThat(gzipTag).isNotEqualTo(plainTag)
                .isEqualTo(plainTag.substring(0, plainTag.length() - 1) + "-gzip\"");
        assertThat(vary(identity)).contains("Accept-Encoding");
        assertThat(vary(gzip)).contains("Accept-Encoding");

        assertThat(send("GET", "/big", "Accept-Encoding", "gzip", "If-None-Match", gzipTag)
                .statusCode()).isEqualTo(304);
        assertThat(send("GET", "/big", "If-None-Match", plainTag).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> otherCoding = send("GET", "/big", "If-None-Match", gzipTag);
        assertThat(otherCoding.statusCode()).isEqualTo(200);
        assertThat(otherCoding.body()).isEqualTo(identity.body());
        HttpResponse<byte[]> both = send("GET", "/big", "Accept-Encoding", "gzip",
                "If-None-Match", plainTag + ", " + gzipTag);
        assertThat(both.statusCode()).isEqualTo(304);
        assertThat(both.headers().firstValue("ETag")).hasValue(gzipTag);
        assertThat(vary(both)).contains("Accept-Encoding");
    }

    @Test
    void uncachedResponses_areCompressedByQ_withVary_andTheirOwnETagPerCoding()
            throws Exception {
        HttpResponse<byte[]> identity = send("GET", "/big-uncached", "Accept-Encoding",
                "gzip;q=0, identity");
        HttpResponse<byte[]> gzip = send("GET", "/big-uncached", "Accept-Encoding",
                "br;q=0.5, gzip;q=1.0");
        assertThat(identity.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gunzip(gzip.body())).isEqualTo(identity.body());
        assertThat(vary(identity)).contains("Accept-Encoding");
        assertThat(vary(gzip)).contains("Accept-Encoding");
        assertThat(vary(send("GET", "/uncached"))).as("small, but of a compressible type")
                .contains("Accept-Encoding");

        HttpResponse<byte[]> tagged = send("GET", "/big-etag", "Accept-Encoding", "gzip");
        assertThat(tagged.headers().firstValue("ETag")).hasValue("\"v1-gzip\"");
        assertThat(send("GET", "/big-etag").headers().firstValue("ETag")).hasValue("\"v1\"");
        assertThat(send("GET", "/big-etag", "Accept-Encoding", "gzip", "If-None-Match",
                "W/\"v1-gzip\"").statusCode()).isEqualTo(304);
        assertThat(send("GET", "/big-etag", "Accept-Encoding", "gzip", "If-None-Match",
                "\"v1\"").statusCode()).isEqualTo(200);
    }

    /** Regression: cached pages carried no Cache-Control at all. */
    @Test
    void cachedPages_carryTheConfiguredCacheControl_andVaryOnTheNegotiatedLanguage()
            throws Exception {
        HttpResponse<byte[]> first = send("GET", "/?page=41");
        HttpResponse<byte[]> hit = send("GET", "/?page=41");
        assertThat(TestSite.pageOutcome(first)).isEqualTo("miss");
        assertThat(TestSite.pageOutcome(hit)).isEqualTo("hit");
        for (HttpResponse<byte[]> r : List.of(first, hit)) {
            assertThat(r.headers().firstValue("Cache-Control"))
                    .hasValue("public, max-age=0, must-revalidate");
            assertThat(vary(r)).contains("Accept-Language", "Accept-Encoding");
        }
        String etag = hit.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> notModified = send("GET", "/?page=41", "If-None-Match", etag);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.headers().firstValue("Cache-Control"))
                .hasValue("public, max-age=0, must-revalidate");
        assertThat(send("GET", "/uncached").headers().firstValue("Cache-Control")).isEmpty();
        assertThat(send("GET", "/private").headers().firstValue("Cache-Control"))
                .hasValue("private, max-age=60");

        try (TestSite other = new TestSite(cfg -> cfg.cacheControl("public, max-age=60"))) {
            HttpResponse<String> page = other.get("/posts/9");
            assertThat(page.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        }
    }

    /**
     * Regression: other methods on a page's URL answered 404 "Endpoint POST / not found"; with
     * Javalin's {@code prefer405over404} they are a 405 whose {@code Allow} names HEAD too, since
     * HEAD runs the GET route.
     */
    @Test
    void otherMethods_get405_withAllowNamingGetAndHead_andServerTiming() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            for (String path : List.of("/", "/uncached", "/big")) {
                HttpResponse<byte[]> r = send(method, path);
                assertThat(r.statusCode()).as("%s %s", method, path).isEqualTo(405);
                List<String> allow = List.of(r.headers().firstValue("Allow").orElseThrow()
                        .split(",\\s*"));
                assertThat(allow).as("Allow of %s %s", method, path).contains("GET", "HEAD")
                        .doesNotHaveDuplicates();
                assertThat(r.headers().firstValue("Server-Timing")).isPresent();
            }
        }
    }

    /** Regression: Jetty's own 400, 414 and 431 answers had no Server-Timing. */
    @Test
    void jettysOwnErrorAnswers_carryServerTiming() throws Exception {
        String longUri = "GET /?" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        String bigHeader = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
                + "\r\n\r\n";
        Map<String, String> requests = Map.of(
                "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", "400",
                "GET /%2e%2e/x HTTP/1.1\r\nHost: x\r\n\r\n", "400",
                "GET / HTTP/1.1\r\n\r\n", "400",
                longUri, "414",
                bigHeader, "431");
        for (var request : requests.entrySet()) {
            String head = raw(request.getKey());
            assertThat(head).as(request.getValue()).startsWith("HTTP/1.1 " + request.getValue());
            String timing = head.lines().filter(l -> l.startsWith("Server-Timing: ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no Server-Timing in " + head))
                    .substring("Server-Timing: ".length());
            assertThat(ServerTimingParser.parse(timing)).containsKey("total");
        }
    }

    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", site.app.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            int c;
            while (head.indexOf("\r\n\r\n") < 0 && (c = in.read()) >= 0) {
                head.append((char) c);
            }
            return head.toString();
        }
    }

    private static String vary(HttpResponse<?> r) {
        return String.join(", ", r.headers().allValues("Vary"));
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    private HttpResponse<byte[]> send(String method, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + site.app.port() + path));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        builder.method(method, method.equals("GET") || method.equals("HEAD")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(""));
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
