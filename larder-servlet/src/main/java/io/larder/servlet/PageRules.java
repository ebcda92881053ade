package io.larder.servlet;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * When a response may be stored and shared, owned in one place: which requests may be answered
 * from the cache (anonymous GET/HEAD), which rendered responses may be kept (a plain 200 that
 * sets no cookie and is not private), and which of their headers are kept.
 */
final class PageRules {
    /** Headers never stored with a page: per response, computed by the filter, or forbidden. */
    private static final Set<String> NOT_STORED = Set.of("content-type", "content-length",
            "date", "server", "etag", "server-timing", "transfer-encoding", "set-cookie",
            "connection", "keep-alive", "content-encoding");

    private final Set<String> ignoredCookies;
    private final Set<String> keyedHeaders;

    /**
     * @param ignoredCookies cookie names that do not make a request personal
     * @param keyedHeaders lower-case request headers that are part of every page's key
     */
    PageRules(Set<String> ignoredCookies, Set<String> keyedHeaders) {
        this.ignoredCookies = Set.copyOf(ignoredCookies);
        this.keyedHeaders = Set.copyOf(keyedHeaders);
    }

    /**
     * Why {@code request} must not get or make a cached page, or {@code null} if it may: not a
     * GET or HEAD, a session, credentials, or a cookie that is not ignored.
     */
    String bypass(HttpServletRequest request) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return "method " + method;
        }
        if (request.getHeader("Authorization") != null) {
            return "Authorization";
        }
        if (request.getRequestedSessionId() != null || request.getSession(false) != null) {
            return "session";
        }
        if (request.getHeader("Cookie") != null) {
            Cookie[] cookies = request.getCookies();
            if (cookies == null || cookies.length == 0) {
                return "cookie"; // a Cookie header the container could not parse is personal too
            }
            for (Cookie cookie : cookies) {
                if (!ignoredCookies.contains(cookie.getName())) {
                    return "cookie " + cookie.getName();
                }
            }
        }
        if (request.getUserPrincipal() != null) {
            return "authenticated";
        }
        return null;
    }

    /**
     * Why a rendered response may not be stored, or {@code null} if it may: not a plain 200, a
     * cookie set (by the application or the container, such as a new session's), a session
     * made, {@code private} or {@code no-store}, a body the application encoded, or a
     * {@code Vary} on a request header that is not part of the key.
     */
    String refusal(HttpServletRequest request, HttpServletResponse real,
            CapturingResponse captured) {
        if (captured.getStatus() != 200 || captured.ended()) {
            return "status " + captured.getStatus();
        }
        if (captured.setsCookie() || !real.getHeaders("Set-Cookie").isEmpty()) {
            return "the response sets a cookie";
        }
        if (request.getSession(false) != null) {
            return "the render made a session";
        }
        for (String value : captured.getHeaders("Cache-Control")) {
            String v = value.toLowerCase(Locale.ROOT);
            if (v.contains("private") || v.contains("no-store")) {
                return "Cache-Control: " + value;
            }
        }
        if (captured.containsHeader("Content-Encoding")) {
            return "the application encoded the body itself";
        }
        for (String value : captured.getHeaders("Vary")) {
            for (String token : value.split(",")) {
                String t = token.strip().toLowerCase(Locale.ROOT);
                if (!t.isEmpty() && !t.equals("accept-encoding") && !keyedHeaders.contains(t)) {
                    return "Vary: " + token.strip() + " is not part of the page's key";
                }
            }
        }
        return null;
    }

    /** The headers of {@code captured} that are stored with its page, values joined. */
    static Map<String, String> stored(CapturingResponse captured) {
        Map<String, String> stored = new LinkedHashMap<>();
        for (Map.Entry<String, CapturingResponse.Header> e : captured.headers().entrySet()) {
            if (!NOT_STORED.contains(e.getKey())) {
                List<String> values = e.getValue().values();
                stored.put(e.getValue().name(), String.join(", ", values));
            }
        }
        return stored;
    }

    /**
     * The page a render stores: its type, body and {@link #stored} headers plus {@code extra}
     * (the tags' header, or {@code null}), with the compressed forms {@code compression} gives.
     */
    static CachedResponse page(CapturingResponse captured, Compression compression,
            Map.Entry<String, String> extra) {
        String type = captured.getContentType();
        byte[] body = captured.body();
        Map<String, String> headers = stored(captured);
        if (extra != null) {
            headers.put(extra.getKey(), extra.getValue());
        }
        return CachedResponse.of(type, headers, body, compression);
    }

    /** Whether a body of {@code contentType} is worth compressing (text, JSON, XML, SVG...). */
    static boolean compressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.contains("javascript") || type.contains("ecmascript");
    }
}
