package io.larder.javalin;

import io.javalin.compression.Compressor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * A cached page made ready for the {@link PageFront fast path}, once per stored page: its header
 * fields encoded, and one {@link Variant} per content coding (identity, then each coding of the
 * app's compression strategy) with its body compressed once, its own entity tag and length. A hit
 * then writes prepared fields and a slice of a prepared buffer: nothing is computed per request.
 */
final class PreparedPage {
    /** One representation of the page: its body, entity tag and the fields naming them. */
    record Variant(String etag, HttpField etagField, HttpField length, HttpField encoding,
            ByteBuffer body) {

        /** The body to write: a view of the shared buffer (its position is the writer's own). */
        ByteBuffer slice() {
            return body.slice();
        }
    }

    private final CachedPage page;
    private final HttpField[] fields;
    private final Variant[] variants;

    private PreparedPage(CachedPage page, HttpField[] fields, Variant[] variants) {
        this.page = page;
        this.fields = fields;
        this.variants = variants;
    }

    /**
     * Prepares {@code page} as {@link PageHandler#serve} would send it: its status, type and
     * headers, the plugin's {@code Cache-Control} unless the page has its own, {@code Vary} with
     * {@code Accept-Language} (when languages are configured) and {@code Accept-Encoding} (when
     * its type may be compressed), and its variants per coding.
     */
    static PreparedPage of(CachedPage page, PluginSettings settings,
            Representations representations) {
        List<HttpField> fields = new ArrayList<>();
        if (page.contentType() != null) {
            fields.add(new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, page.contentType()));
        }
        String vary = null;
        boolean ownCacheControl = false;
        for (Map.Entry<String, String> header : page.headers().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("vary")) {
                vary = header.getValue();
                continue;
            }
            ownCacheControl |= name.equals("cache-control");
            fields.add(new PreEncodedHttpField(header.getKey(), header.getValue()));
        }
        if (!ownCacheControl && !settings.cacheControl().isEmpty()) {
            fields.add(new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, settings.cacheControl()));
        }
        if (!settings.languages().isEmpty()) {
            vary = Representations.varyWith(vary, "Accept-Language");
        }
        boolean compressible = !page.headers().keySet().stream()
                .anyMatch(n -> n.equalsIgnoreCase("Content-Encoding"))
                && representations.compressible(page.contentType());
        if (compressible) {
            vary = Representations.varyWith(vary, "Accept-Encoding");
        }
        if (vary != null) {
            fields.add(new PreEncodedHttpField(HttpHeader.VARY, vary));
        }
        List<Compressor> codings = representations.compressors();
        Variant[] variants = new Variant[1 + codings.size()];
        variants[0] = variant(page.etag(), null, page.body());
        if (compressible && representations.large(page.body())) {
            for (int i = 0; i < codings.size(); i++) {
                Compressor coding = codings.get(i);
                variants[1 + i] = variant(Representations.tagged(page.etag(), coding.encoding()),
                        coding.encoding(), Representations.compress(coding, page.body()));
            }
        }
        return new PreparedPage(page, fields.toArray(HttpField[]::new), variants);
    }

    private static Variant variant(String etag, String encoding, byte[] body) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(body.length).put(body).flip();
        return new Variant(etag, new PreEncodedHttpField(HttpHeader.ETAG, etag),
                new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length)),
                encoding == null ? null
                        : new PreEncodedHttpField(HttpHeader.CONTENT_ENCODING, encoding),
                buffer.asReadOnlyBuffer());
    }

    /** Whether this was prepared from {@code other} or from a page with the same content. */
    boolean isOf(CachedPage other) {
        return page == other || (page.etag().equals(other.etag())
                && Objects.equals(page.contentType(), other.contentType())
                && page.headers().equals(other.headers()));
    }

    /** The header fields every variant carries. */
    HttpField[] fields() {
        return fields;
    }

    /**
     * The variant for the coding {@code coding} (an index into the app's compressors, as {@link
     * Representations#choose} picks it; -1 for identity), or identity if that coding was not
     * prepared (a small page or an uncompressible type).
     */
    Variant variant(int coding) {
        Variant v = coding < 0 ? null : variants[1 + coding];
        return v != null ? v : variants[0];
    }
}
