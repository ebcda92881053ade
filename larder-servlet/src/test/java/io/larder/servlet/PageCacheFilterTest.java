package io.larder.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Larder;
import io.larder.http.HttpCaching;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PageCacheFilterTest {
    private final Larder larder = Larder.builder().build();
    private TestSite site;

    private TestSite site(PageCacheFilter pages) throws Exception {
        site = new TestSite(larder, pages);
        return site;
    }

    private TestSite site() throws Exception {
        return site(PageCacheFilter.builder(larder).ttl(Duration.ofMinutes(5)).query("page")
                .gzipMinBytes(256).build());
    }

    @AfterEach
    void close() throws Exception {
        if (site != null) {
            site.close();
        }
        larder.close();
    }

    @Test
    void missThenHit_rendersOnceAndServesTheSameBytesAndEntityTag() throws Exception {
        site();
        HttpResponse<byte[]> miss = site.get("/posts");
        HttpResponse<byte[]> hit = site.get("/posts");

        assertThat(miss.statusCode()).isEqualTo(200);
        assertThat(text(miss)).contains("Post number 1 ", "Post number 10 ", "caf\u00e9");
        assertThat(hit.body()).isEqualTo(miss.body());
        assertThat(site.renders("/posts")).isEqualTo(1);
        assertThat(site.queries.get()).isEqualTo(1);
        assertThat(hit.headers().firstValue("ETag")).isEqualTo(miss.headers().firstValue("ETag"))
                .hasValue(HttpCaching.etagOf(miss.body()));
        assertThat(hit.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t.toLowerCase()).isEqualTo("text/html;charset=utf-8"));
        assertThat(hit.headers().firstValue("Content-Length"))
                .hasValue(Integer.toString(miss.body().length));
        assertThat(hit.headers().firstValue("Cache-Control"))
                .hasValue("public, max-age=0, must-revalidate");
        assertThat(hit.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(miss.headers().firstValue("Server-Timing")).hasValueSatisfying(
                t -> assertThat(t).contains("cache.page;desc=\"miss\""));
        assertThat(hit.headers().firstValue("Server-Timing")).hasValueSatisfying(
                t -> assertThat(t).contains("cache.page;desc=\"hit\"")
                        .doesNotContain("cache.posts"));
    }

    @Test
    void ifNoneMatch_withTheEntityTag_is304WithoutABody() throws Exception {
        site();
        String etag = site.get("/posts").headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> notModified = site.get("/posts", "If-None-Match", etag);
        HttpResponse<byte[]> weak = site.get("/posts", "If-None-Match", "\"x\", W/" + etag);
        HttpResponse<byte[]> other = site.get("/posts", "If-None-Match", "\"other\"");

        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.headers().firstValue("ETag")).hasValue(etag);
        assertThat(weak.statusCode()).isEqualTo(304);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isNotEmpty();
        assertThat(site.renders("/posts")).isEqualTo(1);
    }

    @Test
    void conditionalRequestThatMisses_rendersTheFullPageThenAnswers304() throws Exception {
        site();
        String etag = HttpCaching.etagOf(site.get("/posts?page=2").body());
        larder.invalidateRegion("page");

        HttpResponse<byte[]> response = site.get("/posts?page=2", "If-None-Match", etag);

        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(site.renders("/posts")).isEqualTo(2);
        assertThat(site.get("/posts?page=2").body()).hasSize(
                Integer.parseInt(site.head("/posts?page=2").headers()
                        .firstValue("Content-Length").orElseThrow()));
    }

    @Test
    void head_mirrorsTheGetsStatusAndHeadersWithoutABody_andAMissByHeadStoresTheGetPage()
            throws Exception {
        site();
        HttpResponse<byte[]> headMiss = site.head("/posts");
        HttpResponse<byte[]> get = site.get("/posts");
        HttpResponse<byte[]> headHit = site.head("/posts");

        assertThat(site.renders("/posts")).isEqualTo(1);
        for (HttpResponse<byte[]> head : java.util.List.of(headMiss, headHit)) {
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            for (String name : new String[] {"ETag", "Content-Length", "Content-Type", "Vary",
                    "Cache-Control"}) {
                assertThat(head.headers().allValues(name)).as(name)
                        .isEqualTo(get.headers().allValues(name));
            }
        }
    }

    @Test
    void gzip_isStoredOnceWithItsOwnEntityTag_andDecodesToTheIdentityBytes() throws Exception {
        site();
        HttpResponse<byte[]> identity = site.get("/posts");
        HttpResponse<byte[]> gzip = site.get("/posts", "Accept-Encoding",
                "br;q=0.8, gzip;q=1");
        HttpResponse<byte[]> refused = site.get("/posts", "Accept-Encoding", "gzip;q=0");
        HttpResponse<byte[]> headGzip = site.head("/posts", "Accept-Encoding", "gzip");

        String etag = identity.headers().firstValue("ETag").orElseThrow();
        String gzipTag = gzip.headers().firstValue("ETag").orElseThrow();
        assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzipTag).isEqualTo(HttpCaching.tagged(etag, "gzip")).isNotEqualTo(etag);
        assertThat(gzip.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(gzip.body().length).isLessThan(identity.body().length);
        assertThat(gunzip(gzip.body())).isEqualTo(identity.body());
        assertThat(gzip.headers().firstValue("Content-Length"))
                .hasValue(Integer.toString(gzip.body().length));
        assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(refused.body()).isEqualTo(identity.body());
        assertThat(headGzip.body()).isEmpty();
        assertThat(headGzip.headers().firstValue("Content-Length"))
                .hasValue(Integer.toString(gzip.body().length));
        assertThat(site.renders("/posts")).isEqualTo(1);

        HttpResponse<byte[]> notModified = site.get("/posts", "Accept-Encoding", "gzip",
                "If-None-Match", gzipTag);
        HttpResponse<byte[]> identityTagForGzip = site.get("/posts", "Accept-Encoding", "gzip",
                "If-None-Match", etag);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(identityTagForGzip.statusCode()).isEqualTo(200);
        assertThat(gunzip(identityTagForGzip.body())).isEqualTo(identity.body());
    }

    @Test
    void aBodyBelowTheGzipMinimum_isAlwaysSentAsItIs() throws Exception {
        site();
        HttpResponse<byte[]> text = site.get("/text", "Accept-Encoding", "gzip");

        assertThat(text.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(text.body(), StandardCharsets.UTF_8)).isEqualTo("gr\u00fc\u00dfe null");
        assertThat(site.get("/text").body()).isEqualTo(text.body());
        assertThat(site.renders("/text")).isEqualTo(1);
    }

    @Test
    void otherQueryParameters_areStrippedFromKeyAndRender_orBypassWhenConfigured()
            throws Exception {
        site();
        HttpResponse<byte[]> tracked = site.get("/posts?utm_source=mail&page=2&x=%3Cy%3E");
        HttpResponse<byte[]> plain = site.get("/posts?page=2");

        assertThat(text(tracked)).contains("query: page=2<", "Post number 11 ")
                .doesNotContain("utm", "<y>");
        assertThat(plain.body()).isEqualTo(tracked.body());
        assertThat(site.renders("/posts")).isEqualTo(1);
        assertThat(site.get("/posts?page=3").body()).isNotEqualTo(plain.body());
        assertThat(site.renders("/posts")).isEqualTo(2);

        site.close();
        site = site(PageCacheFilter.builder(larder).region("strict").query("page")
                .stripOtherQuery(false).build());
        site.get("/posts?page=2");
        site.get("/posts?page=2");
        HttpResponse<byte[]> strictOther = site.get("/posts?page=2&utm=1");
        site.get("/posts?page=2&utm=1");
        assertThat(site.renders("/posts")).isEqualTo(1 + 2);
        assertThat(text(strictOther)).contains("query: page=2&utm=1");
        assertThat(strictOther.headers().firstValue("ETag")).isEmpty();
    }

    @Test
    void tagsOfTheQueriesReadWhileRendering_invalidateThePage() throws Exception {
        site();
        site.get("/posts");
        site.get("/posts?page=2");
        site.retitle(3, "Edited <title>");

        assertThat(text(site.get("/posts"))).contains("Post number 3 ");
        larder.invalidateTag("posts");
        String after = text(site.get("/posts"));

        assertThat(after).contains("Edited <title>").doesNotContain("Post number 3 ");
        assertThat(site.renders("/posts")).isEqualTo(3);
        assertThat(site.queries.get()).isEqualTo(3);
        site.get("/posts?page=2");
        assertThat(site.renders("/posts")).isEqualTo(4);
    }

    @Test
    void ttl_aPageIsRenderedAgainAfterItExpires() throws Exception {
        io.larder.testing.FakeClock clock = new io.larder.testing.FakeClock();
        try (Larder timed = Larder.builder().clock(clock).build();
                TestSite s = new TestSite(timed, PageCacheFilter.builder(timed)
                        .ttl(Duration.ofSeconds(30)).build())) {
            s.get("/text");
            clock.advance(Duration.ofSeconds(29));
            s.get("/text");
            assertThat(s.renders("/text")).isEqualTo(1);
            clock.advance(Duration.ofSeconds(2));
            s.get("/text");
            assertThat(s.renders("/text")).isEqualTo(2);
        }
    }

    @Test
    void vary_onAHeaderOutsideTheKey_isNotStored_andAKeyedHeaderMakesOnePagePerValue()
            throws Exception {
        site();
        assertThat(text(site.get("/lang", "Accept-Language", "de"))).contains("Hallo");
        assertThat(text(site.get("/lang", "Accept-Language", "en"))).contains("Hello");
        assertThat(site.renders("/lang")).isEqualTo(2);
        site.close();

        site = new TestSite(larder, PageCacheFilter.builder(larder).region("by-lang")
                .vary("Accept-Language", v -> v != null && v.startsWith("de") ? "de" : "en")
                .build());
        assertThat(text(site.get("/lang", "Accept-Language", "de-AT,de;q=0.9")))
                .contains("Hallo");
        assertThat(text(site.get("/lang", "Accept-Language", "de"))).contains("Hallo");
        HttpResponse<byte[]> en = site.get("/lang", "Accept-Language", "en");
        assertThat(text(en)).contains("Hello");
        assertThat(text(site.get("/lang"))).contains("Hello");
        assertThat(site.renders("/lang")).isEqualTo(2);
        assertThat(en.headers().firstValue("Vary")).hasValue("Accept-Language, Accept-Encoding");
    }

    @Test
    void errors_areNotStoredAndReachTheClientAsTheApplicationSentThem() throws Exception {
        site();
        HttpResponse<byte[]> first = site.get("/fail");
        HttpResponse<byte[]> second = site.get("/fail");
        HttpResponse<byte[]> missing = site.get("/nothing-here");

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(text(first)).contains("down for a moment");
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(site.renders("/fail")).isEqualTo(2);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(first.headers().firstValue("ETag")).isEmpty();
    }

    @Test
    void otherMethods_bypassTheCache() throws Exception {
        site();
        site.get("/posts");
        HttpResponse<byte[]> post = site.send("POST", "/posts");

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(site.renders("/posts")).isEqualTo(1);
        assertThat(post.headers().firstValue("Server-Timing")).isPresent();
    }

    @Test
    void tagHeader_namesTheTagsThePageWasBuiltFrom_onTheMissAndTheHit() throws Exception {
        site(PageCacheFilter.builder(larder).tags("pages").query("page")
                .tagsFrom(request -> java.util.List.of("list:" + request.getRequestURI()))
                .tagHeader(io.larder.http.TagHeader.surrogateKey()).build());
        HttpResponse<byte[]> miss = site.get("/posts");
        HttpResponse<byte[]> hit = site.get("/posts");

        assertThat(miss.headers().firstValue("Surrogate-Key")).hasValueSatisfying(
                v -> assertThat(v.split(" ")).containsExactlyInAnyOrder("@region:page", "pages",
                        "list:%2Fposts", "posts", "@region:posts"));
        assertThat(hit.headers().firstValue("Surrogate-Key"))
                .isEqualTo(miss.headers().firstValue("Surrogate-Key"));
        assertThat(site.renders("/posts")).isEqualTo(1);
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static byte[] gunzip(byte[] gzip) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }
}
