package io.larder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyTest {
    @Test
    void digest_separatorsInsideParts_neverCollide() {
        Set<String> digests = new HashSet<>(List.of(
                Key.of("r", "a:b", "c").digest(), Key.of("r", "a", "b:c").digest(),
                Key.of("r", "abc").digest(), Key.of("r", "a", "b", "c").digest(),
                Key.of("r", (Object) null).digest(), Key.of("r", "null").digest(),
                Key.of("r", "").digest(), Key.of("r").digest(), Key.of("r2").digest()));

        assertThat(digests).hasSize(9);
    }

    /** Regression: UTF-8 wrote an unpaired surrogate as '?', so these keys shared one entry. */
    @Test
    void digest_partsWithUnpairedSurrogates_doNotCollideWithQuestionMarks() {
        Set<String> digests = new HashSet<>(List.of(
                Key.of("r", "?").digest(), Key.of("r", "\uDC00").digest(),
                Key.of("r", "\uD800").digest(), Key.of("r", "??").digest(),
                Key.of("r", "\uD800\uD800").digest(), Key.of("r", "\uDC00\uD800").digest(),
                Key.of("r", "\uD83D\uDE00").digest(), Key.of("r", "\uD83D").digest()));

        assertThat(digests).hasSize(8);
        assertThat(Key.of("r", "caf\u00e9 \uD83D\uDE00").digest()).as("well-formed: unchanged")
                .isEqualTo("84b14e29d71e06d5818e77a1d45a87794ef522bfb29bc5bcb528ad7e2f47a098");
    }

    @Test
    void digest_isFixedLengthHex_whateverTheParts() {
        assertThat(Key.of("r", "../../etc/passwd", "/abs", "\0", "x".repeat(10_000)).digest())
                .matches("[0-9a-f]{64}");
    }

    @Test
    void equalKeys_haveEqualDigests_andPartsKeepTheirStringForm() {
        Key key = Key.of("home-posts", "de", 2, true, Locale.GERMAN, null);

        assertThat(key).isEqualTo(Key.of("home-posts", "de", "2", "true", "de", null));
        assertThat(key.digest())
                .isEqualTo(Key.of("home-posts", "de", "2", "true", "de", null).digest());
        assertThat(key.parts()).isEqualTo(Arrays.asList("de", "2", "true", "de", null));
    }

    @Test
    void encode_parse_roundTripsAnyParts() {
        Key key = Key.of("posts", "a b", "", null, "3:x", "ü", " ");

        assertThat(Key.parse(key.encode())).isEqualTo(key);
        assertThat(Key.parse(Key.of("posts").encode())).isEqualTo(Key.of("posts"));
    }

    @Test
    void of_partWithoutStableStringForm_isRefused() {
        assertThatThrownBy(() -> Key.of("posts", new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stable string form");
    }

    @Test
    void of_regionThatCouldBeAPath_isRefused() {
        for (String region : List.of("", "..", "../x", "a/b", "a\\b", ".hidden", "x".repeat(65),
                "a b")) {
            assertThatThrownBy(() -> Key.of(region)).as(region)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
