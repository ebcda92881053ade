package io.larder.servlet;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The request as the application sees it while rendering a page for the cache: a GET (a HEAD
 * renders the GET's response, RFC 9110 9.3.2), without the headers that would make its response
 * differ from the one stored for every visitor (conditionals, ranges, {@code Accept-Encoding},
 * the cookies the filter was told to ignore, a render request's secret) and, when the filter strips them, without the query
 * parameters that are not part of the page's key.
 */
final class RenderRequest extends HttpServletRequestWrapper {
    /** Headers a page's render never sees: the filter answers them from the stored page. */
    private static final Set<String> HIDDEN = Set.of("accept-encoding", "if-none-match",
            "if-modified-since", "if-match", "if-unmodified-since", "if-range", "range", "cookie",
            "x-larder-render");

    private final Map<String, String[]> params;
    private final String query;

    /**
     * @param params the parameters the render may see, or {@code null} for all of the request's
     */
    RenderRequest(HttpServletRequest request, Map<String, String[]> params) {
        super(request);
        this.params = params == null ? null : Collections.unmodifiableMap(params);
        this.query = params == null ? request.getQueryString() : encode(params);
    }

    @Override
    public String getMethod() {
        return "GET";
    }

    @Override
    public String getHeader(String name) {
        return hidden(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        List<String> names = new ArrayList<>();
        for (String name : Collections.list(super.getHeaderNames())) {
            if (!hidden(name)) {
                names.add(name);
            }
        }
        return Collections.enumeration(names);
    }

    @Override
    public long getDateHeader(String name) {
        return hidden(name) ? -1 : super.getDateHeader(name);
    }

    @Override
    public int getIntHeader(String name) {
        return hidden(name) ? -1 : super.getIntHeader(name);
    }

    @Override
    public Cookie[] getCookies() {
        return null;
    }

    @Override
    public String getQueryString() {
        return query;
    }

    @Override
    public String getParameter(String name) {
        if (params == null) {
            return super.getParameter(name);
        }
        String[] values = params.get(name);
        return values == null ? null : values[0];
    }

    @Override
    public String[] getParameterValues(String name) {
        if (params == null) {
            return super.getParameterValues(name);
        }
        String[] values = params.get(name);
        return values == null ? null : values.clone();
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return params == null ? super.getParameterMap() : params;
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return params == null ? super.getParameterNames()
                : Collections.enumeration(params.keySet());
    }

    private static boolean hidden(String name) {
        return HIDDEN.contains(name.toLowerCase(Locale.ROOT));
    }

    /** The query string of {@code params}, or {@code null} when there are none. */
    private static String encode(Map<String, String[]> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((name, values) -> {
            for (String value : values) {
                sb.append(sb.isEmpty() ? "" : "&").append(enc(name)).append('=')
                        .append(enc(value));
            }
        });
        return sb.isEmpty() ? null : sb.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The allowlisted parameters of {@code request}, in allowlist order. */
    static Map<String, String[]> allowlisted(HttpServletRequest request, List<String> allowlist) {
        Map<String, String[]> kept = new LinkedHashMap<>();
        for (String name : allowlist) {
            String[] values = request.getParameterValues(name);
            if (values != null) {
                kept.put(name, values);
            }
        }
        return kept;
    }
}
