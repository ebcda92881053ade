package io.larder.javalin;

import io.larder.Trace;
import java.util.List;

/**
 * The timing of one request, as told to {@link LarderPlugin.Config#onRequest listeners} (for
 * example {@link LarderMetrics}).
 *
 * @param route the matched route's path pattern ({@code /posts/{id}}), or {@code "unmatched"}
 * @param method the HTTP method
 * @param status the response status
 * @param page the page cache's outcome: {@code hit}, {@code stale}, {@code miss},
 *     {@code uncacheable}, {@code bypass} (not anonymous, or not GET/HEAD), {@code render} (a
 *     re-render for the cache) or {@code none} (not a cached route)
 * @param nanos time from the request's start to the end of its handlers
 * @param spans what the request did, as its {@link Trace} recorded it (feeds the advisor)
 */
public record RequestTiming(String route, String method, int status, String page, long nanos,
        List<Trace.Span> spans) { }
