package io.larder.servlet;

import io.larder.Key;
import io.larder.http.HttpCaching;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What selects a cached page, and all a background render sends: the request path (context path
 * included, in one spelling), the keyed headers' values (in the filter's {@code vary} order,
 * {@code null} when absent) and the allowlisted query parameters as {@code name=value} (in
 * allowlist order). It is the page's key; a render request carries nothing else, no cookie, no
 * session, no credentials.
 */
record PageTarget(String path, List<String> headers, List<String> params) {
    PageTarget {
        headers = java.util.Collections.unmodifiableList(new ArrayList<>(headers));
        params = List.copyOf(params);
    }

    /** The target of a visitor's request: its path, keyed headers, allowlisted parameters. */
    static PageTarget of(HttpServletRequest request, List<KeyedHeader> keyed,
            Map<String, String[]> allowlisted) {
        List<String> headers = new ArrayList<>(keyed.size());
        for (KeyedHeader header : keyed) {
            headers.add(header.value(request));
        }
        return new PageTarget(HttpCaching.canonicalPath(request.getRequestURI()), headers,
                pairs(allowlisted));
    }

    /**
     * The target of a URL to warm ({@code /tags/java?page=2&utm=x}, within the application, so
     * {@code contextPath} goes in front), other parameters dropped, with these raw values of the
     * keyed headers (normalised here).
     */
    static PageTarget parse(String contextPath, String url, List<String> allowlist,
            List<KeyedHeader> keyed, List<String> rawHeaders) {
        HttpCaching.checkPageUrl(url);
        int q = url.indexOf('?');
        String path = HttpCaching.canonicalPath(contextPath + (q < 0 ? url : url.substring(0, q)));
        List<String> headers = new ArrayList<>(keyed.size());
        for (int i = 0; i < keyed.size(); i++) {
            headers.add(keyed.get(i).valueOf(rawHeaders.get(i)));
        }
        return new PageTarget(path, headers,
                HttpCaching.allowlistedQuery(q < 0 ? null : url.substring(q + 1), allowlist));
    }

    /** The page's key in {@code region}: path, keyed headers, then allowlisted parameters. */
    Key key(String region) {
        List<Object> parts = new ArrayList<>(1 + headers.size() + params.size());
        parts.add(path);
        parts.addAll(headers);
        parts.addAll(params);
        return Key.of(region, parts.toArray());
    }

    /** The path and allowlisted query, encoded, as a render request asks for it. */
    String url() {
        return HttpCaching.pageUrl(path, params);
    }

    private static List<String> pairs(Map<String, String[]> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((name, values) -> Arrays.stream(values).forEach(
                value -> pairs.add(name + '=' + value)));
        return pairs;
    }
}
