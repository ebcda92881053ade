package io.larder.javalin;

import io.javalin.http.Context;
import io.larder.Key;
import io.larder.http.HttpCaching;
import java.util.ArrayList;
import java.util.List;

/**
 * What selects a cached page: the request path, the negotiated language and the allowlisted
 * query parameters as {@code name=value} (by name, then in request order). It is the page's key,
 * and it is all a re-render sees.
 */
record PageRequest(String path, String language, List<String> params) {
    PageRequest {
        params = List.copyOf(params);
    }

    /** The page request of a live request. */
    static PageRequest of(Context ctx, List<String> allowlist, String language) {
        List<String> params = new ArrayList<>();
        if (!allowlist.isEmpty() && ctx.req().getQueryString() != null) {
            for (String name : allowlist) {
                for (String value : ctx.queryParams(name)) {
                    params.add(name + '=' + value);
                }
            }
        }
        return new PageRequest(canonicalPath(ctx.req().getRequestURI()), language, params);
    }

    /**
     * The page request of a URL such as {@code /tags/java?page=2&utm=x} (junk dropped); the
     * allowlist is sorted, as {@link Page#query} keeps it, so parameters are in name order.
     */
    static PageRequest parse(String url, List<String> allowlist, String language) {
        HttpCaching.checkPageUrl(url);
        int q = url.indexOf('?');
        String path = canonicalPath(q < 0 ? url : url.substring(0, q));
        return new PageRequest(path, language,
                HttpCaching.allowlistedQuery(q < 0 ? null : url.substring(q + 1), allowlist));
    }

    /** One spelling for every equivalent spelling of a request path (see {@link HttpCaching}). */
    static String canonicalPath(String raw) {
        return HttpCaching.canonicalPath(raw);
    }

    /** Back from a key made by {@link #key(String)}. */
    static PageRequest of(Key key) {
        List<String> parts = key.parts();
        return new PageRequest(parts.get(0), parts.get(1), parts.subList(2, parts.size()));
    }

    /** The cache key in {@code region}. */
    Key key(String region) {
        Object[] parts = new Object[2 + params.size()];
        parts[0] = path;
        parts[1] = language;
        for (int i = 0; i < params.size(); i++) {
            parts[2 + i] = params.get(i);
        }
        return Key.of(region, parts);
    }

    /** The path and allowlisted query, encoded, as a re-render requests it. */
    String url() {
        return HttpCaching.pageUrl(path, params);
    }
}
