package io.larder.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PageRequestTest {
    @Test
    void canonicalPath_decodesUnreservedEscapes_upperCasesOthers_keepsEscapedDelimiters() {
        assertThat(PageRequest.canonicalPath("/%65n/post/%61b%2d%7e")).isEqualTo("/en/post/ab-~");
        assertThat(PageRequest.canonicalPath("/en/post/a%2fb")).isEqualTo("/en/post/a%2Fb");
        assertThat(PageRequest.canonicalPath("/en/post/a/b")).isEqualTo("/en/post/a/b");
        assertThat(PageRequest.canonicalPath("/caf%c3%a9")).isEqualTo("/caf%C3%A9");
        assertThat(PageRequest.canonicalPath("/café")).isEqualTo("/caf%C3%A9");
        assertThat(PageRequest.canonicalPath("/a%3Bb;c=d")).isEqualTo("/a%3Bb;c=d");
        assertThat(PageRequest.canonicalPath("/100%")).isEqualTo("/100%25");
        assertThat(PageRequest.canonicalPath("/%zz%4")).isEqualTo("/%25zz%254");
    }

    @Test
    void parse_andLiveRequest_agreeOnTheKey_ofAnEncodedWarmUrl() {
        assertThat(PageRequest.parse("/%65n/?page=2", java.util.List.of("page"), "en"))
                .isEqualTo(new PageRequest("/en/", "en", java.util.List.of("page=2")));
    }
}
