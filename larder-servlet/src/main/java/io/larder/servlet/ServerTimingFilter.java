package io.larder.servlet;

import io.larder.Trace;
import io.larder.http.ServerTiming;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Opens a {@link Trace} around every request and sends what it recorded as a
 * {@code Server-Timing} header, in the format of every Larder web integration ({@code total},
 * {@code db}, {@code template}, {@code fragment}, one {@code cache.<region>} per region read):
 * set when the response commits (its first byte), or when the chain returns if it never did.
 * Register it first, before the {@link PageCacheFilter}, so that page lookups are timed too.
 *
 * <pre>{@code
 * context.addFilter(new ServerTimingFilter(), "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 */
public final class ServerTimingFilter implements Filter {
    /** Request attribute: the request's open {@link Trace}. */
    public static final String TRACE = "io.larder.trace";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(response instanceof HttpServletResponse http)) {
            chain.doFilter(request, response);
            return;
        }
        try (Trace trace = Trace.begin()) {
            request.setAttribute(TRACE, trace);
            TimingResponse timed = new TimingResponse(http,
                    () -> ServerTiming.format(trace.spans(), trace.elapsedNanos()));
            chain.doFilter(request, timed);
            timed.stamp();
        }
    }
}
