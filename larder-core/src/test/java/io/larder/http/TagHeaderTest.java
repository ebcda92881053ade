package io.larder.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.Larder;
import io.larder.Region;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The header that names a page's tags for HTTP caches. */
class TagHeaderTest {
    private final Larder larder = Larder.builder()
            .region("page", r -> r.tags("pages")).build();
    private final Region page = larder.region("page");

    @AfterEach
    void close() {
        larder.close();
    }

    @Test
    void encode_keepsSafeCharacters_escapesSeparatorsPercentAndNonAscii() {
        assertThat(TagHeader.encode("post:42")).isEqualTo("post:42");
        assertThat(TagHeader.encode("Post.a_b~c-d@e")).isEqualTo("Post.a_b~c-d@e");
        assertThat(TagHeader.encode("a b,c%")).isEqualTo("a%20b%2Cc%25");
        assertThat(TagHeader.encode("tag:Größe")).isEqualTo("tag:Gr%C3%B6%C3%9Fe");
        assertThat(TagHeader.encode("x/y?z")).isEqualTo("x%2Fy%3Fz");
    }

    @Test
    void value_startsWithTheRegionsTags_thenEachTagOnce_withoutEngineTags() {
        String value = TagHeader.xkey().value(page, List.of("home"),
                List.of("post:1", "home", "@any", "@absent", "@region:posts"));

        assertThat(value).isEqualTo("@region:page pages home post:1 @region:posts");
    }

    @Test
    void value_thatWouldExceedTheBound_keepsWholeTagsThatFit_andNamesTheOverflow() {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tags.add("post:" + i);
        }
        TagHeader header = TagHeader.surrogateKey().maxBytes(256);

        String value = header.value(page, tags);

        assertThat(value.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(256);
        assertThat(value).startsWith("@region:page pages post:0 post:1 ")
                .endsWith(" " + TagHeader.OVERFLOW);
        List<String> tokens = Arrays.asList(value.split(" "));
        assertThat(tokens).allMatch(t -> t.equals(TagHeader.OVERFLOW)
                || t.startsWith("@region:") || t.equals("pages") || tags.contains(t));
        assertThat(Set.copyOf(tokens)).hasSameSizeAs(tokens);
    }

    @Test
    void value_thatFits_hasNoOverflowTag() {
        assertThat(TagHeader.xkey().value(page, List.of("a"))).doesNotContain("@overflow");
    }

    @Test
    void badNameOrBound_failsWithTheValue() {
        assertThatThrownBy(() -> new TagHeader("x key", 4096))
                .hasMessageContaining("'x key'");
        assertThatThrownBy(() -> TagHeader.xkey().maxBytes(10)).hasMessageContaining("10");
    }
}
