package io.larder.javalin;

import io.javalin.http.HandlerType;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;
import io.larder.Trace;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * Around every request on the thread that serves it: opens its {@link Trace}, and lets a HEAD
 * request without a HEAD route of its own (of the GET route's pattern) run the GET route, so
 * that it gets exactly the GET response's status and headers (RFC 9110 9.3.2); Jetty sends no
 * body for a HEAD request. Javalin alone answers such a request with an empty 200 for every path
 * that has a GET route, and with a 404 that differs from the GET's otherwise.
 */
final class RequestFilter implements Filter {
    /** Request attribute: the method the client sent, when the routes see another. */
    static final String METHOD = "io.larder.method";

    private final InternalRouter router;

    RequestFilter(InternalRouter router) {
        this.router = router;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try (Trace trace = Trace.begin()) {
            request.setAttribute(LarderPlugin.TRACE, trace);
            if (request instanceof HttpServletRequest http && "HEAD".equals(http.getMethod())
                    && !ownHeadRoute(path(http))) {
                request.setAttribute(METHOD, "HEAD");
                request = new AsGet(http);
            }
            chain.doFilter(request, response);
        }
    }

    /**
     * Whether the HEAD route {@code path} matches is the counterpart of its GET route (same
     * pattern), or the only one: a HEAD route of a broader pattern ({@code /{lang}} registered
     * by {@code cachedGet}) must not answer for a GET route of its own ({@code /admin}).
     */
    private boolean ownHeadRoute(String path) {
        ParsedEndpoint head = router.findFirstHttpHandlerEntry(HandlerType.HEAD, path);
        if (head == null) {
            return false;
        }
        ParsedEndpoint get = router.findFirstHttpHandlerEntry(HandlerType.GET, path);
        return get == null || get.endpoint.path.equals(head.endpoint.path);
    }

    /** The path Javalin matches routes against. */
    private static String path(HttpServletRequest http) {
        String uri = http.getRequestURI();
        String context = http.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context)
                ? uri.substring(context.length()) : uri;
    }

    /** A HEAD request as the routes see it: a GET. */
    private static final class AsGet extends HttpServletRequestWrapper {
        AsGet(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getMethod() {
            return "GET";
        }
    }
}
