package io.larder.javalin;

import io.javalin.http.Context;

/**
 * Thrown out of a page loader when the rendered response may not be cached (not a 200, sets a
 * cookie, private or no-store): the core then stores nothing, and the request that rendered it
 * sends it as it is.
 */
final class NotCacheable extends RuntimeException {
    /** The request whose handler produced the response, or {@code null} for a re-render. */
    final transient Context owner;

    NotCacheable(Context owner, String reason) {
        super("page not cacheable: " + reason, null, false, false);
        this.owner = owner;
    }
}
