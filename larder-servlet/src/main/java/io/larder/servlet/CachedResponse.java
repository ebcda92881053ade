package io.larder.servlet;

import io.larder.http.HttpCaching;
import io.larder.http.PageForm;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A rendered page as the filter keeps it: what the application produced, minus what varies per
 * response, with its gzip and Brotli forms made once when it was stored. Stored in stores that
 * keep bytes in the core's binary page form with Brotli ({@link Form}), bodies as they are, by
 * the standard codec.
 *
 * @param contentType the {@code Content-Type} the application set, or {@code null}
 * @param headers other headers it set (never {@code Set-Cookie}), values joined by ", "
 * @param body the identity body
 * @param etag the strong entity tag of {@code body}, quoted
 * @param gzip the gzip form of {@code body}, or {@code null} when it is not worth sending
 * @param brotli the Brotli form of {@code body}, or {@code null} when it is off or not worth it
 */
record CachedResponse(String contentType, Map<String, String> headers, byte[] body, String etag,
        byte[] gzip, byte[] brotli) {

    CachedResponse {
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(etag, "etag");
    }

    /** A page with its entity tag, and the compressed forms {@code compression} gives it. */
    static CachedResponse of(String contentType, Map<String, String> headers, byte[] body,
            Compression compression) {
        boolean compress = compression.applies(contentType, body);
        return new CachedResponse(contentType, headers, body, HttpCaching.etagOf(body),
                compress ? compression.gzip(body) : null,
                compress ? compression.brotli(body) : null);
    }

    /**
     * One representation of a page: its content coding ({@code null} for identity), its own
     * strong entity tag and its body.
     */
    record Representation(String coding, String etag, byte[] body) {
    }

    /**
     * The representation an {@code Accept-Encoding} value selects: the stored coding it weighs
     * highest ({@code br} on a tie with {@code gzip}, as browsers expect), else identity.
     */
    Representation select(String acceptEncoding) {
        String coding = brotli == null && gzip == null ? null
                : brotli == null ? HttpCaching.preferred(acceptEncoding, "gzip")
                : gzip == null ? HttpCaching.preferred(acceptEncoding, "br")
                : HttpCaching.preferred(acceptEncoding, "br", "gzip");
        if (coding == null) {
            return new Representation(null, etag, body);
        }
        return new Representation(coding, HttpCaching.tagged(etag, coding),
                coding.equals("br") ? brotli : gzip);
    }

    /**
     * How the standard codec stores these pages: the core's {@link PageForm} with Brotli
     * (status 200), found as a {@code io.larder.spi.ValueForm} service.
     */
    public static final class Form extends PageForm<CachedResponse> {
        /** The form (the service loader makes it). */
        public Form() {
            super(CachedResponse.class, true);
        }

        @Override
        protected Parts parts(CachedResponse page) {
            return new Parts(200, page.contentType, page.headers, page.body, page.etag, page.gzip,
                    page.brotli);
        }

        @Override
        protected CachedResponse page(Parts parts) {
            return new CachedResponse(parts.contentType(), parts.headers(), parts.body(),
                    parts.etag(), parts.gzip(), parts.brotli());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CachedResponse p && etag.equals(p.etag)
                && Objects.equals(contentType, p.contentType) && headers.equals(p.headers)
                && Arrays.equals(body, p.body) && Arrays.equals(gzip, p.gzip)
                && Arrays.equals(brotli, p.brotli);
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
