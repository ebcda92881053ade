package io.larder.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.Key;
import io.larder.codec.JsonCodec;
import io.larder.http.TestPage;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A payload read from a store's bytes is a range of them (no copy on a hit): it decodes where it
 * lies, reads nothing outside its range, and copies only when its bytes are asked for.
 */
class PayloadRangeTest {
    private final JsonCodec codec = JsonCodec.standard();
    private final TestPage page = new TestPage(200, "text/html", Map.of("X-A", "1"),
            "<p>hi</p>".getBytes(), "\"e\"", null);

    /** {@code value} with {@code before} and {@code after} junk bytes around it. */
    private static byte[] amid(byte[] value, int before, int after) {
        byte[] all = new byte[before + value.length + after];
        Arrays.fill(all, (byte) 0x7f);
        System.arraycopy(value, 0, all, before, value.length);
        return all;
    }

    @Test
    void aRange_decodesInPlace_asTheWholeArrayWould() throws IOException {
        byte[] encoded = codec.encode(page, TestPage.class);
        Payload range = Payload.ofBytes(amid(encoded, 13, 36), 13, encoded.length);

        assertThat(range.value(TestPage.class, codec)).isEqualTo(page);
        assertThat(range.byteSize()).isEqualTo(encoded.length);
        assertThat(range.hasBytes()).isTrue();
        assertThat(range.bytes()).isEqualTo(encoded);
    }

    @Test
    void aRange_ofEachStandardKind_decodes() throws IOException {
        for (Object[] c : new Object[][] {{"<p>héllo</p>", String.class},
                {new byte[] {1, 2, 3}, byte[].class}, {List.of(1, 2), List.class}}) {
            byte[] encoded = codec.encode(c[0], (Type) c[1]);
            Payload range = Payload.ofBytes(amid(encoded, 5, 40), 5, encoded.length);
            assertThat(range.value((Type) c[1], codec)).isEqualTo(c[0]);
        }
    }

    @Test
    void aFormsRange_cutShort_failsInsteadOfReadingPastIt() throws IOException {
        byte[] encoded = codec.encode(page, TestPage.class);
        byte[] all = amid(encoded, 0, 64);

        assertThatThrownBy(() -> codec.decode(all, 0, encoded.length - 1, TestPage.class))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> codec.decode(all, 0, encoded.length + 1, TestPage.class))
                .isInstanceOf(IOException.class);
    }

    @Test
    void anEntryRead_hasItsPayloadAsARangeOfTheReadBytes() throws Exception {
        EntryFormat format = new EntryFormat("a-secret-of-32-bytes-for-tests!!".getBytes());
        String digest = Key.of("page", "/").digest();
        byte[] bytes = format.write(digest, new StoredEntry(
                Payload.ofValue(page, TestPage.class, codec), 1, 2, 3, 4, List.of("t"),
                new long[] {5}));
        Payload payload = format.read(digest, bytes).payload();

        assertThat(payload.value(TestPage.class, codec)).isEqualTo(page);
        assertThat(payload.bytes()).isEqualTo(codec.encode(page, TestPage.class));
        assertThat(format.readAuthenticated(bytes).payload().value(TestPage.class, codec))
                .isEqualTo(page);
    }
}
