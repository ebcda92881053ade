package io.larder.bench;

import io.javalin.Javalin;
import io.larder.Larder;
import io.larder.javalin.LarderPlugin;
import io.larder.javalin.Page;
import io.larder.bench.HttpLoad.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * HTTP load over loopback against one Javalin server with {@link LarderPlugin}: a page-cached
 * route versus a route returning a constant byte array of the same size, and page routes whose
 * entries keep expiring (served stale, re-rendered in the background) versus one whose entries do
 * not expire. Keep-alive connections, closed loop, bounded in time ({@link HttpLoad}); phases
 * alternate. The blog's own figures come from {@link Report}.
 *
 * <pre>{@code
 * mvn -B -q -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar io.larder.bench.PageCacheLoad [warm-up s] [connections]
 * }</pre>
 */
public final class PageCacheLoad {
    private static final int BODY_BYTES = 12 * 1024;
    private static final int KEYS = 50;
    private static final int ROUNDS = 16;
    private static final AtomicLong RENDERS = new AtomicLong();

    private PageCacheLoad() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        byte[] constant = body("constant");
        try (Larder larder = Larder.builder()
                .region("page", r -> r.ttl(Duration.ofHours(1))).build()) {
            LarderPlugin plugin = new LarderPlugin(cfg -> cfg.larder(larder));
            Javalin app = Javalin.create(config -> {
                config.registerPlugin(plugin);
                plugin.cachedGet(config.routes, "/", Page.regionDefaults(),
                        ctx -> ctx.html(render("home")));
                plugin.cachedGet(config.routes, "/page", Page.regionDefaults().query("id"),
                        ctx -> ctx.html(render(ctx.queryParam("id"))));
                plugin.cachedGet(config.routes, "/expiring-1s", Page.ttl(Duration.ofSeconds(1))
                        .staleFor(Duration.ofHours(1)).query("id"),
                        ctx -> ctx.html(render(ctx.queryParam("id"))));
                plugin.cachedGet(config.routes, "/expiring-50ms", Page.ttl(Duration.ofMillis(50))
                        .staleFor(Duration.ofHours(1)).query("id"),
                        ctx -> ctx.html(render(ctx.queryParam("id"))));
                config.routes.get("/bytes", ctx -> ctx.contentType("text/html").result(constant));
            }).start(0);
            try {
                int port = app.port();
                IntFunction<String> pages = i -> "/page?id=" + (i % KEYS);
                IntFunction<String> bytes = i -> "/bytes";
                IntFunction<String> home = i -> "/";
                IntFunction<String> expiring = i -> "/expiring-1s?id=" + (i % KEYS);
                IntFunction<String> fast = i -> "/expiring-50ms?id=" + (i % KEYS);
                warm(port, home);
                warm(port, pages);
                warm(port, expiring);
                warm(port, fast);
                run("warm-up home", port, home, connections, seconds);
                run("warm-up page", port, pages, connections, seconds);
                run("warm-up bytes", port, bytes, connections, seconds);
                run("warm-up expiring", port, expiring, connections, seconds);
                // Short alternating slices, merged, so that drift in the machine's load hits
                // both sides of each ratio alike.
                Result bytesAll = Result.empty();
                Result pageAll = Result.empty();
                for (int round = 0; round < ROUNDS; round++) {
                    // Which goes first alternates, so that neither always follows the other.
                    if (round % 2 == 0) {
                        bytesAll = bytesAll.plus(run(null, port, bytes, connections, 1));
                    }
                    pageAll = pageAll.plus(run(null, port, home, connections, 1));
                    if (round % 2 == 1) {
                        bytesAll = bytesAll.plus(run(null, port, bytes, connections, 1));
                    }
                }
                System.out.println(bytesAll.line("bytes"));
                System.out.println(pageAll.line("home page (cached)"));
                System.out.printf("throughput cached home / constant bytes = %.3f (aim >= 0.9)%n%n",
                        pageAll.perSecond() / bytesAll.perSecond());

                long misses = larder.stats().get("page").misses();
                long renders = RENDERS.get();
                Result still = Result.empty();
                Result moving = Result.empty();
                for (int round = 0; round < ROUNDS; round++) {
                    if (round % 2 == 0) {
                        still = still.plus(run(null, port, pages, connections, 1));
                    }
                    moving = moving.plus(run(null, port, expiring, connections, 1));
                    if (round % 2 == 1) {
                        still = still.plus(run(null, port, pages, connections, 1));
                    }
                }
                System.out.println(still.line("page, no expiry"));
                System.out.println(moving.line("page, TTL 1 s, 50 keys"));
                System.out.printf("p99 expiring (TTL 1 s) / p99 no expiry = %.3f (aim <= 1.5);"
                        + " %d background re-renders in %d s%n",
                        moving.rawMillis(99) / still.rawMillis(99), RENDERS.get() - renders,
                        ROUNDS);
                renders = RENDERS.get();
                Result extreme = run("page, TTL 50 ms, 50 keys", port, fast, connections, seconds);
                System.out.printf("p99 expiring (TTL 50 ms) / p99 no expiry = %.3f;"
                        + " %d background re-renders in %d s%n",
                        extreme.rawMillis(99) / still.rawMillis(99),
                        RENDERS.get() - renders, seconds);
                System.out.printf("visitors who waited for a render while measuring: %d%n",
                        larder.stats().get("page").misses() - misses);
            } finally {
                app.stop();
            }
        }
    }

    /** The "expensive" page: 2 ms of database wait, then a body the size of the constant. */
    private static String render(String id) throws InterruptedException {
        RENDERS.incrementAndGet();
        Thread.sleep(2);
        return new String(body("page " + id), StandardCharsets.UTF_8);
    }

    private static byte[] body(String title) {
        StringBuilder sb = new StringBuilder("<!doctype html><title>").append(title)
                .append("</title>");
        while (sb.length() < BODY_BYTES) {
            sb.append("<p>lorem ipsum dolor sit amet</p>\n");
        }
        sb.setLength(BODY_BYTES);
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void warm(int port, IntFunction<String> paths) throws IOException {
        try (HttpLoad.Client client = new HttpLoad.Client(port)) {
            for (int i = 0; i < KEYS; i++) {
                client.get(paths.apply(i));
            }
        }
    }

    private static Result run(String name, int port, IntFunction<String> paths, int connections,
            int seconds) throws IOException {
        Result result = HttpLoad.run(port, paths, connections, Duration.ofSeconds(seconds), 0,
                null);
        if (name != null) {
            System.out.println(result.line(name));
        }
        return result;
    }
}
