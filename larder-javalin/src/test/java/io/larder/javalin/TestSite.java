package io.larder.javalin;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.larder.Trace;
import io.larder.testing.FakeClock;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small site on a real Jetty on a free port: a home page that reads a cached "query" and
 * renders a "template", post pages, pages that must never be cached, and an admin edit. It
 * counts every database query and template render, per page.
 */
final class TestSite implements AutoCloseable {
    final FakeClock clock = new FakeClock();
    final Larder larder;
    final LarderPlugin plugin;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final LarderMetrics metrics;
    final Javalin app;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final AtomicInteger dbQueries = new AtomicInteger();
    final AtomicInteger templateRenders = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    /** The thread priority of each render, by URL path plus the page parameter. */
    final Map<String, Integer> renderPriorities = new ConcurrentHashMap<>();
    /** Renders by URL path plus the page parameter, e.g. "/ 2". */
    final Map<String, AtomicInteger> rendersByPage = new ConcurrentHashMap<>();
    volatile int version = 1;

    TestSite(Consumer<LarderPlugin.Config> settings) {
        larder = Larder.builder().clock(clock)
                .region("page", r -> r.ttl(Duration.ofSeconds(10)).staleFor(Duration.ofHours(1)))
                .region("home-posts", r -> r.ttl(Duration.ofHours(1)))
                .build();
        metrics = new LarderMetrics(larder, Duration.ZERO);
        metrics.bindTo(registry);
        plugin = new LarderPlugin(cfg -> {
            cfg.larder(larder).languages("en", "de").onRequest(metrics)
                    .anonymousWhen(ctx -> ctx.cookie("session") == null);
            settings.accept(cfg);
        });
        app = Javalin.create(config -> {
            config.http.prefer405over404 = true;
            config.registerPlugin(plugin);
            // No tag of its own: the page inherits "posts" from the query result it reads.
            plugin.cachedGet(config.routes, "/", Page.regionDefaults().query("page")
                    .warm("/", "/?page=2"), this::home);
            config.routes.get("/posts/{id}", plugin.page(Page.ttl(Duration.ofMinutes(5))
                    .tagsFrom(ctx -> List.of("post:" + ctx.pathParam("id")))
                    .warm("/posts/1"), this::post));
            config.routes.get("/cookie", plugin.page(Page.ttl(Duration.ofMinutes(5)), ctx -> {
                render(ctx);
                ctx.cookie("seen", "1");
                ctx.html("cookie page");
            }));
            config.routes.get("/missing", plugin.page(Page.ttl(Duration.ofMinutes(5)), ctx -> {
                render(ctx);
                ctx.status(404).html("no such page");
            }));
            config.routes.get("/private", plugin.page(Page.ttl(Duration.ofMinutes(5)), ctx -> {
                render(ctx);
                ctx.header("Cache-Control", "private, max-age=60").html("private page");
            }));
            config.routes.get("/uncached", ctx -> ctx.html("uncached " + version));
            // Pages large enough to be compressed (Javalin: from 1,500 bytes).
            config.routes.get("/big", plugin.page(Page.ttl(Duration.ofMinutes(5)),
                    ctx -> ctx.html(big("cached"))));
            config.routes.get("/big-uncached", ctx -> ctx.html(big("uncached")));
            config.routes.get("/big-etag", ctx -> ctx.header("ETag", "\"v1\"")
                    .html(big("tagged")));
            config.routes.post("/admin/posts/{id}", ctx -> {
                version++;
                larder.invalidateTag("post:" + ctx.pathParam("id"));
                larder.invalidateTag("posts");
                ctx.result("ok");
            });
        }).start(0);
    }

    private void home(Context ctx) throws InterruptedException {
        String page = ctx.queryParam("page") == null ? "1" : ctx.queryParam("page");
        String lang = plugin.language(ctx);
        String posts = larder.get(Key.of("home-posts", lang, page), String.class,
                Options.tags("posts"), () -> {
            long start = System.nanoTime();
            dbQueries.incrementAndGet();
            String result = "posts of page " + page + " v" + version;
            Trace.record("db", "home-posts", "", System.nanoTime() - start);
            return result;
        });
        render(ctx);
        String user = ctx.cookie("session");
        ctx.html("<h1>home " + lang + "</h1><p>" + posts + "</p>"
                + (user != null ? "<p>hello " + user + "</p>" : "") + "<p>v" + version + "</p>");
    }

    private void post(Context ctx) throws InterruptedException {
        Larder.tagCurrentLoad("author:7");
        long start = System.nanoTime();
        dbQueries.incrementAndGet();
        String title = "post " + ctx.pathParam("id") + " v" + version;
        Trace.record("db", "post", "", System.nanoTime() - start);
        render(ctx);
        ctx.html("<h1>" + title + "</h1>");
    }

    private void render(Context ctx) throws InterruptedException {
        long start = System.nanoTime();
        templateRenders.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        Thread.sleep(3); // a render takes a while, so that overlapping renders do overlap
        inFlight.decrementAndGet();
        String page = ctx.queryParam("page") == null ? "1" : ctx.queryParam("page");
        renderPriorities.put(ctx.path() + " " + page + " " + ctx.header("Accept-Language"),
                Thread.currentThread().getPriority());
        rendersByPage.computeIfAbsent(ctx.path() + " " + page, k -> new AtomicInteger())
                .incrementAndGet();
        Trace.record("template", ctx.path(), "", System.nanoTime() - start);
    }

    static String big(String what) {
        return "<h1>" + what + "</h1>" + "<p>Larder keeps pages.</p>\n".repeat(200);
    }

    int renders(String path, String page) {
        AtomicInteger n = rendersByPage.get(path + " " + page);
        return n == null ? 0 : n.get();
    }

    HttpResponse<String> get(String path, String... headers)
            throws IOException, InterruptedException {
        return send("GET", path, headers);
    }

    HttpResponse<String> send(String method, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.port() + path));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        builder.method(method, method.equals("POST")
                ? HttpRequest.BodyPublishers.ofString("") : HttpRequest.BodyPublishers.noBody());
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The Server-Timing header of {@code response}, parsed: metric name to its parameters. */
    static Map<String, Map<String, String>> serverTiming(HttpResponse<?> response) {
        String header = response.headers().firstValue("Server-Timing")
                .orElseThrow(() -> new AssertionError("no Server-Timing header"));
        return ServerTimingParser.parse(header);
    }

    /** The page cache's outcome as Server-Timing tells it ("hit", "stale", "miss"). */
    static String pageOutcome(HttpResponse<?> response) {
        Map<String, String> page = serverTiming(response).get("cache.page");
        if (page == null) {
            throw new AssertionError("no cache.page in Server-Timing: "
                    + response.headers().firstValue("Server-Timing").orElse(""));
        }
        return page.get("desc");
    }

    static String[] headers(String... pairs) {
        return Arrays.copyOf(pairs, pairs.length);
    }

    @Override
    public void close() {
        app.stop();
        larder.close();
    }

    /** Waits for background work the test started; fails after a generous liveness bound. */
    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("background work did not finish within 30 s");
            }
            Thread.sleep(5);
        }
    }

    /** Reads one whole HTTP/1.1 answer (head, then a Content-Length body) from a connection. */
    static String readAnswer(BufferedInputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || head.lastIndexOf("\r\n\r\n", head.length() - 4) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection");
            }
            head.append((char) b);
        }
        Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        byte[] body = in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
        return head + new String(body, StandardCharsets.UTF_8);
    }
}
