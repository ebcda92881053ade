package io.larder.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.larder.http.TestPage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The standard codec with a {@link io.larder.spi.ValueForm} (the test page's, a service of the
 * test class path): the form is used instead of JSON, behind a fingerprint that names its
 * layout, so that entries of the same type written as JSON (before the form existed) or in
 * another layout are misses.
 */
class JsonCodecFormTest {
    private final JsonCodec codec = JsonCodec.standard();
    private final TestPage page = new TestPage(200, "text/html", Map.of("X-A", "1"),
            "<p>hi</p>".getBytes(), "\"e\"", null);

    private static byte[] behind(long fingerprint, byte[] body) {
        return ByteBuffer.allocate(8 + body.length).putLong(fingerprint).put(body).array();
    }

    private byte[] formBytes() throws IOException {
        byte[] bytes = codec.encode(page, TestPage.class);
        return Arrays.copyOfRange(bytes, 8, bytes.length);
    }

    @Test
    void aTypeWithAForm_isWrittenInIt_behindAFingerprintNamingItsLayout() throws IOException {
        byte[] bytes = codec.encode(page, TestPage.class);

        assertThat(ByteBuffer.wrap(bytes).getLong())
                .isEqualTo(Shape.fingerprint(TestPage.class, "page/1"))
                .isNotEqualTo(Shape.fingerprint(TestPage.class));
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
                .contains("<p>hi</p>").doesNotContain("PHA+aGk8L3A+"); // not base64
        assertThat(codec.decode(bytes, TestPage.class)).isEqualTo(page);
    }

    @Test
    void thePageWrittenAsJson_beforeItsFormExisted_isAMiss() throws IOException {
        byte[] json = behind(Shape.fingerprint(TestPage.class),
                JsonMapper.builder().build().writeValueAsBytes(page));

        assertThatThrownBy(() -> codec.decode(json, TestPage.class))
                .isInstanceOf(IOException.class);
    }

    @Test
    void thePageWrittenInAnotherLayout_isAMiss() throws IOException {
        byte[] old = behind(Shape.fingerprint(TestPage.class, "page/0"), formBytes());

        assertThatThrownBy(() -> codec.decode(old, TestPage.class))
                .isInstanceOf(IOException.class);
    }

    @Test
    void anotherTypesValue_readAsThePage_isAMiss() throws IOException {
        TestPage.OtherPage other = new TestPage.OtherPage(200, "text/html", Map.of(),
                new byte[] {1}, "\"e\"", null);
        for (byte[] bytes : new byte[][] {
                codec.encode(other, TestPage.OtherPage.class),
                codec.encode("<p>hi</p>", String.class),
                codec.encode(new byte[] {1, 2}, byte[].class),
                behind(Shape.fingerprint(TestPage.OtherPage.class, "page/1"), formBytes())}) {
            assertThatThrownBy(() -> codec.decode(bytes, TestPage.class))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void aTypeWithoutAForm_isStillJson() throws IOException {
        TestPage.OtherPage other = new TestPage.OtherPage(200, null, Map.of(), new byte[] {1},
                "\"e\"", null);
        byte[] bytes = codec.encode(other, TestPage.OtherPage.class);

        assertThat(new String(bytes, 8, bytes.length - 8)).startsWith("{");
        assertThat(codec.decode(bytes, TestPage.OtherPage.class)).isNotNull();
    }

    @Test
    void aNullPage_cannotBeWrittenInItsForm() {
        assertThatThrownBy(() -> codec.encode(null, TestPage.class))
                .isInstanceOf(IOException.class);
    }
}
