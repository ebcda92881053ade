package io.larder.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.codec.JsonCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The standard codec finds {@link CachedResponse.Form} (this module's {@code ValueForm} service)
 * and stores the filter's pages in the core's binary page form, the gzip and Brotli forms
 * included.
 */
class CachedResponseFormTest {
    private final JsonCodec codec = JsonCodec.standard();

    @Test
    void aPageWithItsCompressedForms_isStoredInItsBinaryForm_andReadBackWhole()
            throws Exception {
        byte[] body = "<p>page</p>".repeat(100).getBytes(StandardCharsets.UTF_8);
        CachedResponse page = CachedResponse.of("text/html", Map.of("X-Frame-Options", "DENY"),
                body, Compression.of(0, true, 11));
        byte[] bytes = codec.encode(page, CachedResponse.class);

        assertThat(PageCacheFilterTest.gunzip(page.gzip())).isEqualTo(body);
        assertThat(BrotliPageCacheTest.unbrotli(page.brotli())).isEqualTo(body);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("<p>page</p><p>page</p>");
        assertThat(codec.decode(bytes, CachedResponse.class)).isEqualTo(page);
    }

    @Test
    void everyTruncationOfAPageWithBothForms_isRefused() throws IOException {
        CachedResponse page = CachedResponse.of("text/html", Map.of(),
                "<p>page</p>".repeat(100).getBytes(StandardCharsets.UTF_8),
                Compression.of(0, true, 5));
        byte[] bytes = codec.encode(page, CachedResponse.class);

        assertThat(page.brotli()).isNotNull();
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThatThrownBy(() -> codec.decode(truncated, CachedResponse.class))
                    .as("cut at %d", cut).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aPageWithoutCompressedFormsOrType_isReadBackWhole() throws IOException {
        CachedResponse page = CachedResponse.of(null, Map.of(), new byte[] {1, 2},
                Compression.of(0, true, 11));

        assertThat(page.gzip()).isNull();
        assertThat(page.brotli()).isNull();
        assertThat(codec.decode(codec.encode(page, CachedResponse.class), CachedResponse.class))
                .isEqualTo(page);
    }
}
