package io.larder.servlet;

import io.larder.http.HttpCaching;

/**
 * The compressed forms a page gets when it is stored, made once then: gzip, and Brotli when
 * the filter has it on and brotli4j serves, for a body of a {@link PageRules#compressible} type
 * from {@code minBytes}, each kept only when it is smaller than the body.
 *
 * @param minBytes the smallest body that is compressed
 * @param brotliQuality the Brotli quality (0 to 11), or {@link #NO_BROTLI}
 */
record Compression(int minBytes, int brotliQuality) {
    /** {@link #brotliQuality} of a filter that stores no Brotli form. */
    static final int NO_BROTLI = -1;

    /**
     * The filter's compression: Brotli at {@code brotliQuality} when {@code brotli} is on and
     * brotli4j serves here (asked, and said at INFO when it does not, only then).
     */
    static Compression of(int minBytes, boolean brotli, int brotliQuality) {
        return new Compression(minBytes, brotli && Brotli.available() ? brotliQuality : NO_BROTLI);
    }

    /** Whether a body of {@code contentType} and this size gets compressed forms. */
    boolean applies(String contentType, byte[] body) {
        return PageRules.compressible(contentType) && body.length >= minBytes;
    }

    /** The gzip form of {@code body}, or {@code null} when it is not smaller. */
    byte[] gzip(byte[] body) {
        return smaller(HttpCaching.gzip(body), body);
    }

    /** The Brotli form of {@code body}, or {@code null} when off, failed or not smaller. */
    byte[] brotli(byte[] body) {
        return brotliQuality == NO_BROTLI ? null
                : smaller(Brotli.compress(body, brotliQuality), body);
    }

    private static byte[] smaller(byte[] compressed, byte[] body) {
        return compressed != null && compressed.length < body.length ? compressed : null;
    }
}
