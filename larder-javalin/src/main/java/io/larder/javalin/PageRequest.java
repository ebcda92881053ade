package io.larder.javalin;

import io.javalin.http.Context;
import io.larder.Key;
import io.larder.http.HttpCaching;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    /** The page request of a URL such as {@code /tags/java?page=2&utm=x} (junk dropped). */
    static PageRequest parse(String url, List<String> allowlist, String language) {
        checkUrl(url);
        int q = url.indexOf('?');
        String path = canonicalPath(q < 0 ? url : url.substring(0, q));
        Map<String, List<String>> values = new TreeMap<>();
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (allowlist.contains(name)) {
                    values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                }
            }
        }
        List<String> params = new ArrayList<>();
        values.forEach((name, list) -> list.forEach(value -> params.add(name + '=' + value)));
        return new PageRequest(path, language, params);
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

    static String checkUrl(String url) {
        if (url == null || !url.startsWith("/") || url.startsWith("//")
                || url.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("a page URL must be a path starting with one '/'"
                    + " without spaces or control characters, was '" + url + "'");
        }
        return url;
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
        if (params.isEmpty()) {
            return path;
        }
        StringBuilder sb = new StringBuilder(path);
        char sep = '?';
        for (String param : params) {
            int eq = param.indexOf('=');
            sb.append(sep).append(encode(param.substring(0, eq))).append('=')
                    .append(encode(param.substring(eq + 1)));
            sep = '&';
        }
        return sb.toString();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
