package io.larder.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The HTTP rules every web integration shares. */
class HttpCachingTest {
    @Test
    void etag_isStrongQuotedAndPerBody_andEachCodingGetsItsOwn() {
        String etag = HttpCaching.etagOf("a".getBytes(StandardCharsets.UTF_8));

        assertThat(etag).matches("\"[A-Za-z0-9_-]{24}\"");
        assertThat(HttpCaching.etagOf("b".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(etag);
        assertThat(HttpCaching.tagged(etag, "gzip"))
                .isEqualTo(etag.substring(0, etag.length() - 1) + "-gzip\"");
    }

    @Test
    void ifNoneMatch_comparesWeaklyAndAcceptsListsAndStar() {
        assertThat(HttpCaching.matches("\"x\"", "\"x\"")).isTrue();
        assertThat(HttpCaching.matches("\"a\", W/\"x\"", "\"x\"")).isTrue();
        assertThat(HttpCaching.matches("*", "\"x\"")).isTrue();
        assertThat(HttpCaching.matches("\"x-gzip\"", "\"x\"")).isFalse();
        assertThat(HttpCaching.matches("\"y\"", "W/\"y\"")).isTrue();
    }

    @Test
    void weight_readsQValues_ownEntryOverStar_xGzipAsGzip_nothingWhenAbsent() {
        assertThat(HttpCaching.weight(null, "gzip")).isZero();
        assertThat(HttpCaching.weight(" ", "gzip")).isZero();
        assertThat(HttpCaching.weight("gzip", "gzip")).isEqualTo(1.0);
        assertThat(HttpCaching.weight("br;q=1, gzip;q=0.8", "gzip")).isEqualTo(0.8);
        assertThat(HttpCaching.weight("gzip;q=0, *;q=1", "gzip")).isZero();
        assertThat(HttpCaching.weight("*;q=0.5", "gzip")).isEqualTo(0.5);
        assertThat(HttpCaching.weight("x-gzip", "gzip")).isEqualTo(1.0);
        assertThat(HttpCaching.weight("gzip;q=2", "gzip")).isZero();
        assertThat(HttpCaching.weight("gzip;q=abc", "gzip")).isZero();
    }

    @Test
    void preferred_takesTheHighestQ_theFirstNamedOnATie_andNoneThatIsRefused() {
        assertThat(HttpCaching.preferred("gzip, deflate, br", "br", "gzip")).isEqualTo("br");
        assertThat(HttpCaching.preferred("br;q=0.5, gzip", "br", "gzip")).isEqualTo("gzip");
        assertThat(HttpCaching.preferred("br;q=0, gzip;q=0.1", "br", "gzip")).isEqualTo("gzip");
        assertThat(HttpCaching.preferred("*", "br", "gzip")).isEqualTo("br");
        assertThat(HttpCaching.preferred("br;q=0, *", "br", "gzip")).isEqualTo("gzip");
        assertThat(HttpCaching.preferred("br;q=0, gzip;q=0", "br", "gzip")).isNull();
        assertThat(HttpCaching.preferred(null, "br", "gzip")).isNull();
        assertThat(HttpCaching.preferred("br", "gzip")).isNull();
    }

    @Test
    void vary_addsAFieldOnce_andLeavesStarAlone() {
        assertThat(HttpCaching.vary(null, "Accept-Encoding")).isEqualTo("Accept-Encoding");
        assertThat(HttpCaching.vary("Accept-Language", "Accept-Encoding"))
                .isEqualTo("Accept-Language, Accept-Encoding");
        assertThat(HttpCaching.vary("accept-encoding", "Accept-Encoding"))
                .isEqualTo("accept-encoding");
        assertThat(HttpCaching.vary("*", "Accept-Encoding")).isEqualTo("*");
    }

    @Test
    void gzip_decodesToTheSameBytes() throws IOException {
        byte[] body = "caf\u00e9 ".repeat(500).getBytes(StandardCharsets.UTF_8);
        try (GZIPInputStream in = new GZIPInputStream(
                new ByteArrayInputStream(HttpCaching.gzip(body)))) {
            assertThat(in.readAllBytes()).isEqualTo(body);
        }
    }

    @Test
    void canonicalPath_decodesUnreservedEscapes_upperCasesOthers_keepsEscapedDelimiters() {
        assertThat(HttpCaching.canonicalPath("/%65n/post/%61b%2d%7e")).isEqualTo("/en/post/ab-~");
        assertThat(HttpCaching.canonicalPath("/en/post/a%2fb")).isEqualTo("/en/post/a%2Fb");
        assertThat(HttpCaching.canonicalPath("/caf\u00e9")).isEqualTo("/caf%C3%A9");
        assertThat(HttpCaching.canonicalPath("/100%")).isEqualTo("/100%25");
    }

    @Test
    void allowlistedQuery_keepsNamedParametersDecoded_inAllowlistOrder_dropsJunk() {
        assertThat(HttpCaching.allowlistedQuery("utm=x&tag=a%20b&page=2&&page=3&tag", List.of(
                "page", "tag"))).containsExactly("page=2", "page=3", "tag=a b", "tag=");
        assertThat(HttpCaching.allowlistedQuery(null, List.of("page"))).isEmpty();
        assertThat(HttpCaching.allowlistedQuery("page=2", List.of())).isEmpty();
        // A junk parameter's value is never decoded, so a bad escape there does not matter.
        assertThat(HttpCaching.allowlistedQuery("utm=%zz&page=1", List.of("page")))
                .containsExactly("page=1");
    }

    @Test
    void pageUrl_encodesTheParameters_andReadsBackAsTheSame() {
        List<String> params = List.of("page=2", "tag=a b&c");

        String url = HttpCaching.pageUrl("/tags/java", params);

        assertThat(url).isEqualTo("/tags/java?page=2&tag=a+b%26c");
        assertThat(HttpCaching.allowlistedQuery(url.substring(url.indexOf('?') + 1),
                List.of("page", "tag"))).isEqualTo(params);
        assertThat(HttpCaching.pageUrl("/", List.of())).isEqualTo("/");
    }

    @Test
    void checkPageUrl_acceptsALocalPath_andNamesABadOne() {
        assertThat(HttpCaching.checkPageUrl("/posts?page=2")).isEqualTo("/posts?page=2");
        for (String bad : new String[] {"posts", "//evil.example/", "/a b", "/a\u0007"}) {
            assertThatThrownBy(() -> HttpCaching.checkPageUrl(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> HttpCaching.checkPageUrl(null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
