package io.larder.http;

import io.larder.spi.ValueForm;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * The binary form of a cached page, for every web integration's page type: status, content type,
 * headers, body and entity tag, and the compressed bodies the integration keeps (gzip, and
 * Brotli where it keeps one: a form made {@linkplain #PageForm(Class, boolean) with Brotli} writes
 * layout {@code page/2}, others {@code page/1}), each length-prefixed and the bodies as they are. JSON carried a page's body as base64 and
 * decoded it on every read of the file or Redis store (more than half the cost of a file hit on a
 * 13.5 KB page); this form reads it with one copy. An integration subclasses it for its page
 * type and names the subclass as a {@code io.larder.spi.ValueForm} service.
 *
 * @param <P> the integration's page type
 */
public abstract class PageForm<P> implements ValueForm<P> {
    /** The layouts' names; a new one for any change in what is written. */
    private static final String LAYOUT = "page/1";
    private static final String LAYOUT_WITH_BROTLI = "page/2";

    private final Class<P> type;
    private final boolean brotli;

    /** The form of {@code type}'s pages, which keep no Brotli body (layout {@code page/1}). */
    protected PageForm(Class<P> type) {
        this(type, false);
    }

    /**
     * The form of {@code type}'s pages, which keep a Brotli body too when {@code brotli} (layout
     * {@code page/2}, so that pages stored without that field are misses).
     */
    protected PageForm(Class<P> type, boolean brotli) {
        this.type = Objects.requireNonNull(type, "type");
        this.brotli = brotli;
    }

    /**
     * A page's fields as the form writes them.
     *
     * @param status the HTTP status
     * @param contentType the {@code Content-Type}, or {@code null}
     * @param headers other headers, unmodifiable when read
     * @param body the identity body
     * @param etag the body's strong entity tag
     * @param gzip the body in gzip, or {@code null}
     * @param brotli the body in Brotli ({@code br}), or {@code null}
     */
    public record Parts(int status, String contentType, Map<String, String> headers, byte[] body,
            String etag, byte[] gzip, byte[] brotli) {
        /** Checks the fields a page cannot do without. */
        public Parts {
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(etag, "etag");
        }

        /** A page without a Brotli body. */
        public Parts(int status, String contentType, Map<String, String> headers, byte[] body,
                String etag, byte[] gzip) {
            this(status, contentType, headers, body, etag, gzip, null);
        }
    }

    /** The fields of {@code page}. */
    protected abstract Parts parts(P page);

    /** The page made of {@code parts}, which came from {@link #parts} of an equal page. */
    protected abstract P page(Parts parts);

    @Override
    public final Class<P> type() {
        return type;
    }

    @Override
    public final String layout() {
        return brotli ? LAYOUT_WITH_BROTLI : LAYOUT;
    }

    @Override
    public final void write(P page, Writer out) {
        Parts p = parts(page);
        if (!brotli && p.brotli() != null) {
            throw new IllegalStateException("a form made without Brotli got a page with a Brotli"
                    + " body: make it with PageForm(type, true)");
        }
        out.writeInt(p.status()).writeString(p.contentType()).writeStrings(p.headers())
                .writeBytes(p.body()).writeString(p.etag()).writeBytes(p.gzip());
        if (brotli) {
            out.writeBytes(p.brotli());
        }
    }

    @Override
    public final P read(Reader in) throws IOException {
        int status = in.readInt();
        String contentType = in.readString();
        Map<String, String> headers = in.readStrings();
        byte[] body = in.readBytes();
        String etag = in.readString();
        byte[] gzip = in.readBytes();
        byte[] br = brotli ? in.readBytes() : null;
        in.end();
        if (body == null || etag == null) {
            throw new IOException("a page without its body or entity tag");
        }
        return page(new Parts(status, contentType, headers, body, etag, gzip, br));
    }
}
