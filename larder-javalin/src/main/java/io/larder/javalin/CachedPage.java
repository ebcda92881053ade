package io.larder.javalin;

import io.larder.http.HttpCaching;
import io.larder.http.PageForm;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A rendered page as the page cache keeps it: what the route's handler produced, minus what varies
 * per request. Stored in stores that keep bytes in the core's binary page form ({@link Form}),
 * body as it is, by the standard codec.
 *
 * @param status the HTTP status (always 200 for a cached page)
 * @param contentType the {@code Content-Type} the handler set, or {@code null}
 * @param headers other headers the handler set (never {@code Set-Cookie})
 * @param body the response body
 * @param etag the strong entity tag of the body, quoted
 */
public record CachedPage(int status, String contentType, Map<String, String> headers, byte[] body,
        String etag) {

    /** Validates and copies. */
    public CachedPage {
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(etag, "etag");
    }

    /** A page with the entity tag computed from {@code body}. */
    public static CachedPage of(int status, String contentType, Map<String, String> headers,
            byte[] body) {
        return new CachedPage(status, contentType, headers, body, etagOf(body));
    }

    /** The strong entity tag of {@code body}: a quoted, URL-safe SHA-256 prefix. */
    static String etagOf(byte[] body) {
        return HttpCaching.etagOf(body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CachedPage p && status == p.status && etag.equals(p.etag)
                && Objects.equals(contentType, p.contentType) && headers.equals(p.headers)
                && Arrays.equals(body, p.body);
    }

    @Override
    public int hashCode() {
        return etag.hashCode();
    }

    @Override
    public String toString() {
        return "CachedPage[" + status + ", " + contentType + ", " + body.length + " bytes, "
                + etag + "]";
    }

    /**
     * How the standard codec stores pages: the core's {@link PageForm}, found as a
     * {@code io.larder.spi.ValueForm} service. Applications do not use it.
     */
    public static final class Form extends PageForm<CachedPage> {
        /** The form (the service loader makes it). */
        public Form() {
            super(CachedPage.class);
        }

        @Override
        protected Parts parts(CachedPage page) {
            return new Parts(page.status, page.contentType, page.headers, page.body, page.etag,
                    null);
        }

        @Override
        protected CachedPage page(Parts parts) {
            return new CachedPage(parts.status(), parts.contentType(), parts.headers(),
                    parts.body(), parts.etag());
        }
    }

    /** The body as UTF-8 text (for tests and logs). */
    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
