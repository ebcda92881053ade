package io.larder.servlet;

import io.larder.http.HttpCaching;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * Sends a stored page: the representation the request selects (identity, gzip or Brotli, each
 * with its own strong {@code ETag}), or a 304, with the configured {@code Cache-Control} unless the page
 * has its own and a {@code Vary} that names every keyed header.
 */
final class PageSender {
    private PageSender() {
    }

    /** Sends {@code page} as the representation the request selects, or a 304. */
    static void send(HttpServletRequest request, HttpServletResponse response,
            CachedResponse page, String cacheControl, List<KeyedHeader> keyed) throws IOException {
        response.setStatus(200);
        if (page.contentType() != null) {
            response.setContentType(page.contentType());
        }
        page.headers().forEach(response::setHeader);
        if (!cacheControl.isEmpty() && !page.headers().keySet().stream()
                .anyMatch("Cache-Control"::equalsIgnoreCase)) {
            response.setHeader("Cache-Control", cacheControl);
        }
        String vary = response.getHeader("Vary");
        for (KeyedHeader header : keyed) {
            vary = HttpCaching.vary(vary, header.name());
        }
        if (PageRules.compressible(page.contentType())) {
            vary = HttpCaching.vary(vary, "Accept-Encoding");
        }
        if (vary != null) {
            response.setHeader("Vary", vary);
        }
        CachedResponse.Representation selected = page.select(request.getHeader("Accept-Encoding"));
        response.setHeader("ETag", selected.etag());
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null && HttpCaching.matches(ifNoneMatch, selected.etag())) {
            response.setStatus(304);
            return;
        }
        if (selected.coding() != null) {
            response.setHeader("Content-Encoding", selected.coding());
        }
        response.setContentLength(selected.body().length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(selected.body());
        }
    }
}
