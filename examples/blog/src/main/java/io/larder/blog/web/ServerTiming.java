package io.larder.blog.web;

import io.javalin.http.Context;
import java.util.Locale;

/**
 * Measures each request on the server and sends {@code Server-Timing: total;dur=<ms>}: a
 * before/after pair of handlers. larder-javalin's fuller header will replace this class.
 */
public final class ServerTiming {
    private static final String START = "serverTiming.start";

    private ServerTiming() {
    }

    /** Records the start; register as the first before-handler. */
    public static void before(Context ctx) {
        ctx.attribute(START, System.nanoTime());
    }

    /** Sets the header; register as an after-handler. */
    public static void after(Context ctx) {
        Long start = ctx.attribute(START);
        if (start != null) {
            double ms = (System.nanoTime() - start) / 1e6;
            ctx.header("Server-Timing", String.format(Locale.ROOT, "total;dur=%.3f", ms));
        }
    }
}
