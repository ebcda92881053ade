package io.larder.javalin;

import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.CompressionType;
import io.javalin.compression.Compressor;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.larder.http.HttpCaching;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sends a response body as the representation the request selects (RFC 9110 8.8.3, 12.5.3):
 * compressed by a coding of the app's Javalin {@link CompressionStrategy} that the client accepts
 * (by {@code q}), with an entity tag of its own per coding ({@code "t"} for the identity body,
 * {@code "t-gzip"} for its gzip), {@code Vary: Accept-Encoding} on every response whose type may
 * be compressed, {@code Content-Length}, and a 304 when {@code If-None-Match} names the selected
 * representation. Javalin's own on-the-fly compression then leaves the response alone.
 */
final class Representations {
    /** Request attribute: this response's body was sent by {@link #send}. */
    static final String SENT = "io.larder.sent";
    private static final byte[] EMPTY = new byte[0];

    private final CompressionStrategy strategy;
    /** The strategy's compressors, the preferred ones first. */
    private final List<Compressor> compressors;
    private final boolean generateEtags;

    Representations(CompressionStrategy strategy, boolean generateEtags) {
        this.strategy = strategy;
        this.generateEtags = generateEtags;
        List<Compressor> ordered = new ArrayList<>();
        for (CompressionType preferred : strategy.getPreferredCompressors()) {
            for (Compressor c : strategy.getCompressors()) {
                if (c.encoding().equalsIgnoreCase(preferred.getTypeName())
                        && !ordered.contains(c)) {
                    ordered.add(c);
                }
            }
        }
        for (Compressor c : strategy.getCompressors()) {
            if (!ordered.contains(c)) {
                ordered.add(c);
            }
        }
        this.compressors = List.copyOf(ordered);
    }

    /**
     * Sends {@code body} (whose identity entity tag is {@code etag}, or {@code null} for none) as
     * the representation {@code ctx}'s request selects, or a 304 when the client has it.
     */
    void send(Context ctx, byte[] body, String etag) {
        ctx.req().setAttribute(SENT, Boolean.TRUE);
        // A body the handler encoded itself is sent as it is.
        boolean compressible = !ctx.res().containsHeader("Content-Encoding")
                && compressible(ctx.res().getContentType());
        if (compressible) {
            vary(ctx.res(), "Accept-Encoding");
        }
        boolean large = body.length >= strategy.getDefaultMinSizeForCompression();
        Compressor coding = compressible && large ? choose(ctx.header("Accept-Encoding")) : null;
        String selected = etag == null || coding == null ? etag : tagged(etag, coding.encoding());
        if (selected != null) {
            ctx.header("ETag", selected);
            String ifNoneMatch = ctx.header("If-None-Match");
            if (ifNoneMatch != null && ctx.statusCode() == 200 && readOnly(ctx)
                    && matches(ifNoneMatch, selected)) {
                ctx.status(304);
                ctx.result(EMPTY);
                return;
            }
        }
        byte[] sent = coding == null ? body : compress(coding, body);
        if (coding != null) {
            ctx.header("Content-Encoding", coding.encoding());
        }
        ctx.header("Content-Length", Integer.toString(sent.length));
        ctx.result(sent);
    }

    /**
     * After every handler of a response that {@link #send} did not send: a body set as bytes or
     * text is sent as a representation (an {@code ETag} the handler set, or one made when
     * Javalin's {@code generateEtags} is on, gets the coding's suffix); a streamed body is left to
     * Javalin and only marked {@code Vary: Accept-Encoding} when its type may be compressed.
     */
    void finish(Context ctx) {
        HttpServletResponse res = ctx.res();
        if (ctx.req().getAttribute(SENT) != null || res.isCommitted()
                || res.containsHeader("Content-Encoding")) {
            return;
        }
        InputStream result = ctx.resultInputStream();
        int status = ctx.statusCode();
        if (result == null || status < 200 || status == 204 || status == 304) {
            return;
        }
        if (!(result instanceof ByteArrayInputStream bytes)) {
            if (compressible(res.getContentType())) {
                vary(res, "Accept-Encoding");
            }
            return;
        }
        byte[] body = bytes.readAllBytes();
        String etag = res.getHeader("ETag");
        if (etag == null && generateEtags && status == 200 && readOnly(ctx)) {
            etag = CachedPage.etagOf(body);
        }
        send(ctx, body, etag);
    }

    /** Whether a response of {@code contentType} may be compressed (Javalin's rules). */
    boolean compressible(String contentType) {
        if (compressors.isEmpty()) {
            return false;
        }
        if (contentType == null || strategy.getAllowedMimeTypes().contains(contentType)) {
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        for (String excluded : strategy.getExcludedMimeTypes()) {
            if (type.contains(excluded.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The coding to send for {@code acceptEncoding}: the accepted compressor with the highest
     * {@code q} (ties: the strategy's preference), or {@code null} for the identity body.
     */
    Compressor choose(String acceptEncoding) {
        if (acceptEncoding == null || acceptEncoding.isBlank() || compressors.isEmpty()) {
            return null;
        }
        Compressor best = null;
        double bestQ = 0;
        for (Compressor c : compressors) {
            double q = HttpCaching.weight(acceptEncoding, c.encoding());
            if (q > bestQ) {
                best = c;
                bestQ = q;
            }
        }
        return best;
    }

    /** The entity tag of the {@code coding} form of the body whose tag is {@code etag}. */
    static String tagged(String etag, String coding) {
        return HttpCaching.tagged(etag, coding);
    }

    /** Whether an {@code If-None-Match} value names {@code etag} (weak comparison, RFC 9110). */
    static boolean matches(String ifNoneMatch, String etag) {
        return HttpCaching.matches(ifNoneMatch, etag);
    }

    /** Adds {@code field} to the response's {@code Vary} unless it is there (or {@code *}). */
    static void vary(HttpServletResponse res, String field) {
        String current = res.getHeaders("Vary").isEmpty() ? null
                : String.join(", ", res.getHeaders("Vary"));
        String joined = HttpCaching.vary(current, field);
        if (!joined.equals(current)) {
            res.setHeader("Vary", joined);
        }
    }

    private static boolean readOnly(Context ctx) {
        HandlerType method = ctx.method();
        return HandlerType.GET.equals(method) || HandlerType.HEAD.equals(method);
    }

    /** The app's compressors, the preferred first; {@link #coding} indexes this list. */
    List<Compressor> compressors() {
        return compressors;
    }

    /** Whether {@code body} is large enough to be compressed (Javalin's minimum size). */
    boolean large(byte[] body) {
        return body.length >= strategy.getDefaultMinSizeForCompression();
    }

    /** The index in {@link #compressors()} of {@link #choose}'s coding, -1 for identity. */
    int coding(String acceptEncoding) {
        Compressor chosen = choose(acceptEncoding);
        return chosen == null ? -1 : compressors.indexOf(chosen);
    }

    /** {@code vary} (a {@code Vary} value or {@code null}) with {@code field} in it. */
    static String varyWith(String vary, String field) {
        if (vary == null || vary.isBlank()) {
            return field;
        }
        for (String token : vary.split(",")) {
            String t = token.trim();
            if (t.equalsIgnoreCase(field) || t.equals("*")) {
                return vary;
            }
        }
        return vary + ", " + field;
    }

    static byte[] compress(Compressor coding, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
        try (OutputStream compressed = coding.compress(out)) {
            compressed.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }
}
