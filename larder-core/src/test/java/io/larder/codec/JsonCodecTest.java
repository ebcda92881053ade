package io.larder.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.TypeRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
    private final JsonCodec codec = JsonCodec.standard();

    record PostV1(long id, String title) { }

    record PostV2(long id, String title, int commentCount) { }

    record Page(List<PostV1> posts, Instant generatedAt, Map<String, Integer> counts) { }

    @Test
    void strings_areStoredAsUtf8BehindTheirTypeFingerprint() throws IOException {
        byte[] bytes = codec.encode("<p>café</p>", String.class);

        assertThat(new String(bytes, 8, bytes.length - 8, StandardCharsets.UTF_8))
                .isEqualTo("<p>café</p>");
        assertThat(codec.decode(bytes, String.class)).isEqualTo("<p>café</p>");
        assertThat(codec.decode(codec.encode(null, String.class), String.class)).isNull();
        assertThat(codec.decode(codec.encode("null", String.class), String.class))
                .isEqualTo("null");
    }

    @Test
    void byteArrays_areStoredAsTheyAreBehindTheirTypeFingerprint() throws IOException {
        byte[] page = {1, 2, 3};
        byte[] bytes = codec.encode(page, byte[].class);

        assertThat(Arrays.copyOfRange(bytes, 8, bytes.length)).isEqualTo(page);
        assertThat(codec.decode(bytes, byte[].class)).isEqualTo(page);
    }

    /** Regression: an object read as String or byte[] returned Larder's internal bytes. */
    @Test
    void valueReadAsAnotherType_isRefused_stringsAndBytesIncluded() throws IOException {
        byte[] number = codec.encode(42, Integer.class);
        byte[] list = codec.encode(List.of(new PostV1(1, "One")),
                new TypeRef<List<PostV1>>() { }.type());
        byte[] html = codec.encode("<p>hi</p>", String.class);
        byte[] raw = codec.encode(new byte[] {1, 2}, byte[].class);

        for (byte[] object : List.of(number, list)) {
            assertThatThrownBy(() -> codec.decode(object, String.class))
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> codec.decode(object, byte[].class))
                    .isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> codec.decode(html, byte[].class)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> codec.decode(raw, String.class)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> codec.decode(html, Integer.class))
                .isInstanceOf(IOException.class);
        // An entry written by an older version, as raw UTF-8, is a miss too.
        assertThatThrownBy(() -> codec.decode("<html>…</html>".getBytes(StandardCharsets.UTF_8),
                String.class)).isInstanceOf(IOException.class);
    }

    @Test
    void genericRecords_roundTrip() throws IOException {
        TypeRef<Page> type = new TypeRef<>() { };
        Page page = new Page(List.of(new PostV1(1, "One")), Instant.parse("2026-01-01T00:00:00Z"),
                Map.of("a", 1));

        assertThat(codec.decode(codec.encode(page, type.type()), type.type())).isEqualTo(page);
    }

    @Test
    void nullAndEmptyValues_roundTrip() throws IOException {
        TypeRef<List<PostV1>> type = new TypeRef<>() { };

        assertThat(codec.decode(codec.encode(List.of(), type.type()), type.type()))
                .isEqualTo(List.of());
        assertThat(codec.decode(codec.encode(null, type.type()), type.type())).isNull();
    }

    @Test
    void valueWrittenBeforeTheClassChangedShape_isRefused() throws IOException {
        byte[] old = codec.encode(new PostV1(1, "One"), PostV1.class);

        assertThatThrownBy(() -> codec.decode(old, PostV2.class)).isInstanceOf(IOException.class);
    }

    @Test
    void jsonNamingAClass_isNeverInstantiated() throws IOException {
        byte[] good = codec.encode(new PostV1(1, "One"), PostV1.class);
        byte[] evil = new byte[8 + 80];
        System.arraycopy(good, 0, evil, 0, 8);
        byte[] json = "[\"java.lang.ProcessBuilder\",{\"command\":[\"touch\",\"/tmp/pwned\"]}]   "
                .getBytes();
        System.arraycopy(json, 0, evil, 8, Math.min(json.length, 80));

        assertThatThrownBy(() -> codec.decode(evil, PostV1.class)).isInstanceOf(IOException.class);
    }
}
