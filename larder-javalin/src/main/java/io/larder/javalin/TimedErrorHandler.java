package io.larder.javalin;

import io.larder.http.ServerTiming;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers, sent before any route runs (400 for a request it cannot parse, 414
 * for a URI too long, 431 for headers too large), with the {@code Server-Timing} header every
 * other response carries: the time since the request began, no database, no template.
 */
final class TimedErrorHandler implements Request.Handler {
    private final Request.Handler delegate;

    TimedErrorHandler(Request.Handler delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
            throws Exception {
        long begin = request.getBeginNanoTime();
        long nanos = begin == 0 ? 0 : System.nanoTime() - begin;
        response.getHeaders().put("Server-Timing", ServerTiming.format(List.of(), nanos));
        return delegate.handle(request, response, callback);
    }

    @Override
    public InvocationType getInvocationType() {
        return delegate.getInvocationType();
    }
}
