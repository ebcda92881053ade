package io.larder.blog.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.larder.javalin.LarderPlugin;
import io.larder.javalin.Page;

/**
 * Where public pages are registered: plain GET routes, or, in page-cache mode, GET and HEAD
 * routes behind larder-javalin's page cache (anonymous visitors only; query strings ignored).
 */
public final class Routes {
    private final RoutesConfig routes;
    private final LarderPlugin pageCache;
    private final Page page;

    private Routes(RoutesConfig routes, LarderPlugin pageCache, Page page) {
        this.routes = routes;
        this.pageCache = pageCache;
        this.page = page;
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
        if (pageCache == null) {
            routes.get(path, handler);
        } else {
            pageCache.cachedGet(routes, path, page, handler);
        }
    }

    /** The underlying routes, for anything that is never page-cached. */
    public RoutesConfig plain() {
        return routes;
    }
}
