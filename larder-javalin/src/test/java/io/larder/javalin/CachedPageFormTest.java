package io.larder.javalin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.codec.JsonCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The standard codec finds {@link CachedPage.Form} (this module's {@code ValueForm} service) and
 * stores pages in the core's binary page form: every field back, the body as it is, not base64.
 */
class CachedPageFormTest {
    private final JsonCodec codec = JsonCodec.standard();

    @Test
    void aPage_isStoredInItsBinaryForm_andReadBackWhole() throws IOException {
        CachedPage page = CachedPage.of(200, "text/html;charset=utf-8",
                Map.of("X-Frame-Options", "DENY", "Cache-Control", "max-age=60"),
                "<h1>café</h1>".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = codec.encode(page, CachedPage.class);

        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("<h1>café</h1>");
        assertThat(codec.decode(bytes, CachedPage.class)).isEqualTo(page);
    }

    @Test
    void aPageWithoutType_orHeaders_isReadBackWhole() throws IOException {
        CachedPage page = CachedPage.of(200, null, Map.of(), new byte[0]);

        assertThat(codec.decode(codec.encode(page, CachedPage.class), CachedPage.class))
                .isEqualTo(page);
    }

    @Test
    void truncatedBytes_areRefused() throws IOException {
        byte[] bytes = codec.encode(CachedPage.of(200, "text/plain", Map.of(), new byte[100]),
                CachedPage.class);

        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(bytes, bytes.length - 1),
                CachedPage.class)).isInstanceOf(IOException.class);
    }
}
