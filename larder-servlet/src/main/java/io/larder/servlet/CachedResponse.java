package io.larder.servlet;

import io.larder.http.HttpCaching;
import io.larder.http.PageForm;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A rendered page as the filter keeps it: what the application produced, minus what varies per
 * response, with its gzip form made once when it was stored. Stored in stores that keep bytes in
 * the core's binary page form ({@link Form}), bodies as they are, by the standard codec.
 *
 * @param contentType the {@code Content-Type} the application set, or {@code null}
 * @param headers other headers it set (never {@code Set-Cookie}), values joined by ", "
 * @param body the identity body
 * @param etag the strong entity tag of {@code body}, quoted
 * @param gzip the gzip form of {@code body}, or {@code null} when it is not worth sending
 */
record CachedResponse(String contentType, Map<String, String> headers, byte[] body, String etag,
        byte[] gzip) {

    CachedResponse {
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(etag, "etag");
    }

    /** A page with its entity tag, and its gzip form when {@code compress} and it is smaller. */
    static CachedResponse of(String contentType, Map<String, String> headers, byte[] body,
            boolean compress) {
        byte[] gzip = compress ? HttpCaching.gzip(body) : null;
        return new CachedResponse(contentType, headers, body, HttpCaching.etagOf(body),
                gzip != null && gzip.length < body.length ? gzip : null);
    }

    /**
     * How the standard codec stores these pages: the core's {@link PageForm} (status 200, the
     * gzip form as its compressed body), found as a {@code io.larder.spi.ValueForm} service.
     */
    public static final class Form extends PageForm<CachedResponse> {
        /** The form (the service loader makes it). */
        public Form() {
            super(CachedResponse.class);
        }

        @Override
        protected Parts parts(CachedResponse page) {
            return new Parts(200, page.contentType, page.headers, page.body, page.etag, page.gzip);
        }

        @Override
        protected CachedResponse page(Parts parts) {
            return new CachedResponse(parts.contentType(), parts.headers(), parts.body(),
                    parts.etag(), parts.compressed());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CachedResponse p && etag.equals(p.etag)
                && Objects.equals(contentType, p.contentType) && headers.equals(p.headers)
                && Arrays.equals(body, p.body) && Arrays.equals(gzip, p.gzip);
    }

    @Override
    public int hashCode() {
        return etag.hashCode();
    }

    @Override
    public String toString() {
        return "CachedResponse[" + contentType + ", " + body.length + " bytes, " + etag + "]";
    }
}
