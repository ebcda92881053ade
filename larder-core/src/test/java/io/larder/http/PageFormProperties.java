package io.larder.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.codec.JsonCodec;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Generated pages through the standard codec, which finds their {@link PageForm}: every field
 * comes back as written, the body is stored as it is, and damaged bytes either decode to some
 * page or are refused with {@link java.io.IOException}, never another exception.
 */
class PageFormProperties {
    private final JsonCodec codec = JsonCodec.standard();

    @Provide
    Arbitrary<TestPage> pages() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<byte[]> bodies = Arbitraries.bytes().array(byte[].class).ofMaxSize(20_000);
        Arbitrary<Map<String, String>> headers = Arbitraries.maps(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(20), text).ofMaxSize(6);
        return Combinators.combine(Arbitraries.integers().between(100, 599),
                text.injectNull(0.3), headers, bodies, text,
                bodies.injectNull(0.5)).as(TestPage::new);
    }

    @Property(tries = 300)
    void everyField_roundTrips(@ForAll("pages") TestPage page) throws IOException {
        assertThat(codec.decode(codec.encode(page, TestPage.class), TestPage.class))
                .isEqualTo(page);
    }

    @Property(tries = 100)
    void theBody_isStoredAsItIs(@ForAll("pages") TestPage page) throws IOException {
        byte[] bytes = codec.encode(page, TestPage.class);
        assertThat(indexOf(bytes, page.body())).isNotNegative();
    }

    @Property(tries = 300)
    void everyTruncation_isRefused(@ForAll("pages") TestPage page,
            @ForAll @IntRange(min = 0, max = 1_000_000) int cut) throws IOException {
        byte[] bytes = codec.encode(page, TestPage.class);
        byte[] truncated = Arrays.copyOf(bytes, cut % bytes.length);
        assertThatThrownBy(() -> codec.decode(truncated, TestPage.class))
                .isInstanceOf(IOException.class);
    }

    @Property(tries = 500)
    void changedBytes_decodeToAPageOrAreRefused(@ForAll("pages") TestPage page,
            @ForAll @IntRange(min = 0, max = 1_000_000) int at,
            @ForAll @IntRange(min = 1, max = 255) int flip) throws IOException {
        byte[] bytes = codec.encode(page, TestPage.class);
        bytes[at % bytes.length] ^= (byte) flip;
        try {
            assertThat(codec.decode(bytes, TestPage.class)).isInstanceOf(TestPage.class);
        } catch (IOException refused) {
            // as it should be: the caller counts a miss
        }
    }

    @Property(tries = 100)
    void aPage_readAsAnotherType_isRefused(@ForAll("pages") TestPage page) throws IOException {
        byte[] bytes = codec.encode(page, TestPage.class);
        assertThatThrownBy(() -> codec.decode(bytes, TestPage.OtherPage.class))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> codec.decode(bytes, String.class))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> codec.decode(bytes, byte[].class))
                .isInstanceOf(IOException.class);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
