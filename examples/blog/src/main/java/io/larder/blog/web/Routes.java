package io.larder.blog.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.larder.javalin.LarderPlugin;
import io.larder.javalin.Page;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where public pages are registered: plain GET routes, or, in page-cache mode, GET and HEAD
 * routes behind larder-javalin's page cache (anonymous visitors only; query strings ignored).
 *
 * <p>Benchmark hooks (issue 10, used by {@code bench}'s {@code io.larder.bench.Report}), off
 * unless the server JVM is started with {@code -Dblog.bench.constantBytes=N}: then
 * {@code GET /bench/constant} answers N constant bytes of HTML (the server's ceiling), every
 * page handler run is counted by path and {@code GET /bench/renders} lists the counts
 * ({@code path<TAB>count} lines; in page mode a run is a render, that is a database load).
 * {@code -Dblog.bench.pageTtl=PT1S} (with {@code -Dblog.bench.pageStale=PT1H}) gives the cached
 * pages of the route {@code -Dblog.bench.pageTtlRoute=/{lang}/page/{n}} (default: every route)
 * that TTL and stale window, and {@code -Dblog.bench.warm=false} switches start-up warming off.
 */
public final class Routes {
    private static final String BENCH = "blog.bench.";

    private final RoutesConfig routes;
    private final LarderPlugin pageCache;
    private final Page page;
    /** Benchmark: the settings of pages that keep expiring, and their route (null: all). */
    private final Page expiring;
    private final String expiringRoute;
    /** Handler runs by path when the benchmark hooks are on, else {@code null}. */
    private final ConcurrentMap<String, LongAdder> runs;

    private Routes(RoutesConfig routes, LarderPlugin pageCache, Page page) {
        this.routes = routes;
        this.pageCache = pageCache;
        this.page = page == null ? null : benchPage(page);
        this.expiring = page == null ? null : benchExpiring();
        this.expiringRoute = System.getProperty(BENCH + "pageTtlRoute");
        Integer constantBytes = Integer.getInteger(BENCH + "constantBytes");
        this.runs = constantBytes == null ? null : new ConcurrentHashMap<>();
        if (constantBytes != null) {
            byte[] constant = new byte[constantBytes];
            Arrays.fill(constant, (byte) 'x');
            routes.get("/bench/constant", ctx -> ctx.contentType("text/html").result(constant));
            routes.get("/bench/renders", ctx -> {
                StringBuilder sb = new StringBuilder();
                Map<String, LongAdder> sorted = new TreeMap<>(runs);
                sorted.forEach((path, n) -> sb.append(path).append('\t').append(n).append('\n'));
                ctx.contentType("text/plain")
                        .result(sb.toString().getBytes(StandardCharsets.UTF_8));
            });
        }
    }

    /** {@code page}, without its start-up warming if the benchmark asked so. */
    private static Page benchPage(Page page) {
        boolean warm = Boolean.parseBoolean(System.getProperty(BENCH + "warm", "true"));
        return warm ? page : Page.regionDefaults();
    }

    /** The short-TTL page settings the benchmark asked for, or {@code null}. */
    private static Page benchExpiring() {
        String ttl = System.getProperty(BENCH + "pageTtl");
        return ttl == null ? null : Page.ttl(Duration.parse(ttl))
                .staleFor(Duration.parse(System.getProperty(BENCH + "pageStale", "PT1H")));
    }

    /** Public pages registered as plain routes. */
    public static Routes plain(RoutesConfig routes) {
        return new Routes(routes, null, null);
    }

    /** Public pages registered behind {@code pageCache} with {@code page}'s settings. */
    public static Routes cached(RoutesConfig routes, LarderPlugin pageCache, Page page) {
        return new Routes(routes, pageCache, page);
    }

    /** Registers a public page. */
    public void page(String path, Handler handler) {
        Handler run = runs == null ? handler : ctx -> {
            runs.computeIfAbsent(ctx.path(), p -> new LongAdder()).increment();
            handler.handle(ctx);
        };
        if (pageCache == null) {
            routes.get(path, run);
        } else {
            boolean expires = expiring != null
                    && (expiringRoute == null || expiringRoute.equals(path));
            pageCache.cachedGet(routes, path, expires ? expiring : page, run);
        }
    }

    /** The underlying routes, for anything that is never page-cached. */
    public RoutesConfig plain() {
        return routes;
    }
}
