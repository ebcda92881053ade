package io.larder.javalin;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.larder.Trace;
import io.larder.http.ServerTiming;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the plugin does after every request on the ordinary path, last of all, after every
 * after-handler: the body as its representation, HEAD in the {@code Allow} of a 405 wherever GET
 * is (HEAD runs the GET route), the {@code Server-Timing} header and the request's timing for
 * the {@code onRequest} listeners (not for the warming's visits).
 */
final class RequestEnd {
    private final PluginSettings settings;
    private final Representations representations;
    private final Renderer renderer;

    RequestEnd(PluginSettings settings, Representations representations,
            Renderer renderer) {
        this.settings = settings;
        this.representations = representations;
        this.renderer = renderer;
    }

    void finish(Context ctx) {
        representations.finish(ctx);
        if (ctx.statusCode() == 405) {
            allowHead(ctx);
        }
        Trace trace = ctx.attribute(LarderPlugin.TRACE);
        if (trace == null) {
            return;
        }
        long total = trace.elapsedNanos();
        List<Trace.Span> spans = trace.spans();
        if (settings.serverTiming() && !ctx.res().isCommitted()) {
            ctx.header("Server-Timing", ServerTiming.format(spans, total));
        }
        if (!settings.listeners().isEmpty() && !renderer.isVisitRequest(ctx)) {
            String outcome = ctx.attribute(PageHandler.OUTCOME);
            String method = ctx.attribute(RequestFilter.METHOD);
            RequestTiming timing = new RequestTiming(route(ctx),
                    method != null ? method : ctx.method().name(),
                    ctx.statusCode(), outcome != null ? outcome : "none", total, spans);
            for (Consumer<RequestTiming> listener : settings.listeners()) {
                listener.accept(timing);
            }
        }
    }

    /** Where a request's route is named in timings: its path pattern, or "unmatched". */
    static String route(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        return endpoint != null ? endpoint.path : "unmatched";
    }

    private static void allowHead(Context ctx) {
        String allow = ctx.res().getHeader("Allow");
        if (allow != null && List.of(allow.split(",\\s*")).contains("GET")
                && !List.of(allow.split(",\\s*")).contains("HEAD")) {
            ctx.header("Allow", allow + ", HEAD");
        }
    }
}
