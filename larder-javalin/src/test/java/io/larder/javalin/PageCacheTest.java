package io.larder.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The page cache's rules on a real Jetty, on the ordinary path (Javalin's routing and the route's
 * handler); {@link FastPathPageCacheTest} runs the same tests with the fast path in front.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PageCacheTest {
    TestSite site;

    /** The plugin's settings for this run of the suite. */
    void configure(LarderPlugin.Config cfg) {
        cfg.fastPath(false);
    }

    @BeforeAll
    void start() {
        site = new TestSite(this::configure);
    }

    @AfterAll
    void stop() {
        site.close();
    }

    /** Re-warming started by another test (an edit) must not count in this one. */
    @BeforeEach
    void quiet() throws Exception {
        assertThat(site.plugin.awaitWarm(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void anonymousGet_isServedFromCache_withoutDatabaseOrTemplate() throws Exception {
        HttpResponse<String> first = site.get("/?page=7");
        int renders = site.renders("/", "7");

        HttpResponse<String> second = site.get("/?page=7");

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body()).contains("posts of page 7");
        assertThat(second.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(TestSite.pageOutcome(first)).isEqualTo("miss");
        assertThat(TestSite.pageOutcome(second)).isEqualTo("hit");
        // The handler (its queries and its template) did not run again for this page. (The
        // site-wide counters are not compared: re-warming started by other tests may run.)
        assertThat(site.renders("/", "7")).isEqualTo(renders);
    }

    @Test
    void loggedInRequest_runsTheHandler_andIsNeverStored() throws Exception {
        site.get("/?page=8");
        int renders = site.renders("/", "8");

        HttpResponse<String> alice = site.get("/?page=8", "Cookie", "session=alice");
        HttpResponse<String> again = site.get("/?page=8", "Cookie", "session=alice");
        HttpResponse<String> anonymous = site.get("/?page=8");

        assertThat(alice.body()).contains("hello alice");
        assertThat(again.body()).contains("hello alice");
        assertThat(site.renders("/", "8")).isEqualTo(renders + 2);
        assertThat(anonymous.body()).doesNotContain("alice");
        assertThat(TestSite.pageOutcome(anonymous)).isEqualTo("hit");
        assertThat(TestSite.serverTiming(alice)).doesNotContainKey("cache.page");
    }

    @Test
    void responseThatSetsACookie_isNeverStored() throws Exception {
        HttpResponse<String> first = site.get("/cookie");
        HttpResponse<String> second = site.get("/cookie");

        assertThat(first.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("seen=1"));
        assertThat(second.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("seen=1"));
        assertThat(second.body()).isEqualTo("cookie page");
        assertThat(site.renders("/cookie", "1")).isEqualTo(2);
    }

    @Test
    void non200Response_isNeverStored() throws Exception {
        HttpResponse<String> first = site.get("/missing");
        HttpResponse<String> second = site.get("/missing");

        assertThat(first.statusCode()).isEqualTo(404);
        assertThat(second.statusCode()).isEqualTo(404);
        assertThat(second.body()).isEqualTo("no such page");
        assertThat(site.renders("/missing", "1")).isEqualTo(2);
    }

    @Test
    void privateResponse_isNeverStored() throws Exception {
        site.get("/private");
        HttpResponse<String> second = site.get("/private");

        assertThat(second.headers().firstValue("Cache-Control")).hasValue("private, max-age=60");
        assertThat(site.renders("/private", "1")).isEqualTo(2);
    }

    @Test
    void queryString_onlyAllowlistedParametersMakeEntries() throws Exception {
        site.get("/?page=3&utm_source=a");
        int renders = site.renders("/", "3");

        HttpResponse<String> junk = site.get("/?utm_source=b&page=3&fbclid=x");
        HttpResponse<String> other = site.get("/?page=4&utm_source=a");

        assertThat(TestSite.pageOutcome(junk)).isEqualTo("hit");
        assertThat(site.renders("/", "3")).isEqualTo(renders);
        assertThat(TestSite.pageOutcome(other)).isEqualTo("miss");
        assertThat(other.body()).contains("posts of page 4");
    }

    /**
     * Regression: the key took the raw request path, so {@code /posts/%34%32} (the same page as
     * {@code /posts/42}) made its own entry, and a visitor could add entries without bound by
     * spelling one page's path in ever new percent-encodings.
     */
    @Test
    void equivalentSpellingsOfAPath_shareOneEntry() throws Exception {
        HttpResponse<String> plain = site.get("/posts/42");
        HttpResponse<String> encoded = site.get("/posts/%34%32");
        HttpResponse<String> half = site.get("/posts/4%32");

        assertThat(encoded.body()).isEqualTo(plain.body());
        assertThat(TestSite.pageOutcome(encoded)).isEqualTo("hit");
        assertThat(TestSite.pageOutcome(half)).isEqualTo("hit");
    }

    @Test
    void head_isAnsweredFromTheSameEntry_withoutABody() throws Exception {
        HttpResponse<String> get = site.get("/?page=5");
        int renders = site.renders("/", "5");

        HttpResponse<String> head = site.send("HEAD", "/?page=5");

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("ETag")).isEqualTo(get.headers().firstValue("ETag"));
        assertThat(TestSite.pageOutcome(head)).isEqualTo("hit");
        assertThat(site.renders("/", "5")).isEqualTo(renders);
    }

    @Test
    void post_isNotCached() throws Exception {
        HttpResponse<String> post = site.send("POST", "/admin/posts/99");
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(TestSite.serverTiming(post)).doesNotContainKey("cache.page");
    }

    @Test
    void etag_matchingIfNoneMatch_gets304WithoutBody() throws Exception {
        HttpResponse<String> first = site.get("/?page=6");
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> conditional = site.get("/?page=6", "If-None-Match", etag);
        HttpResponse<String> weak = site.get("/?page=6", "If-None-Match", "\"x\", W/" + etag);
        HttpResponse<String> stale = site.get("/?page=6", "If-None-Match", "\"other\"");

        assertThat(etag).matches("\"[A-Za-z0-9_-]+\"");
        assertThat(conditional.statusCode()).isEqualTo(304);
        assertThat(conditional.body()).isEmpty();
        assertThat(weak.statusCode()).isEqualTo(304);
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(first.body());
    }

    @Test
    void language_isPartOfTheKey() throws Exception {
        HttpResponse<String> de = site.get("/?page=9",
                "Accept-Language", "de-CH, de;q=0.9, en;q=0.5");
        HttpResponse<String> en = site.get("/?page=9", "Accept-Language", "fr, en;q=0.5");
        HttpResponse<String> de2 = site.get("/?page=9", "Accept-Language", "de");

        assertThat(de.body()).contains("home de");
        assertThat(en.body()).contains("home en");
        assertThat(TestSite.pageOutcome(de2)).isEqualTo("hit");
        assertThat(de2.body()).isEqualTo(de.body());
    }

    @Test
    void serverTiming_onEveryResponse_namesTotalDbTemplateAndRegions() throws Exception {
        HttpResponse<String> miss = site.get("/?page=10");
        HttpResponse<String> hit = site.get("/?page=10");
        HttpResponse<String> plain = site.get("/uncached");
        HttpResponse<String> notFound = site.get("/nowhere");

        Map<String, Map<String, String>> missTiming = TestSite.serverTiming(miss);
        assertThat(missTiming).containsKeys("total", "db", "template", "cache.page",
                "cache.home-posts");
        assertThat(missTiming.get("cache.home-posts").get("desc")).isEqualTo("miss");
        assertThat(missTiming.get("db").get("desc")).isEqualTo("1 query");
        assertThat(missTiming.get("template").get("desc")).isEqualTo("1 render");
        Map<String, Map<String, String>> hitTiming = TestSite.serverTiming(hit);
        assertThat(hitTiming.get("cache.page").get("desc")).isEqualTo("hit");
        assertThat(hitTiming).doesNotContainKey("cache.home-posts");
        assertThat(hitTiming.get("db").get("desc")).isEqualTo("0 queries");
        assertThat(TestSite.serverTiming(plain)).containsKey("total");
        assertThat(TestSite.serverTiming(notFound)).containsKey("total");
        assertThat(Double.parseDouble(hitTiming.get("total").get("dur"))).isGreaterThanOrEqualTo(0);
    }

    @Test
    void warmedPages_areHitsFromTheFirstRequest() throws Exception {
        assertThat(site.plugin.awaitWarm(Duration.ofSeconds(30))).isTrue();
        HttpResponse<String> post = site.get("/posts/1");
        HttpResponse<String> german = site.get("/posts/1", "Accept-Language", "de");
        assertThat(TestSite.pageOutcome(post)).isEqualTo("hit");
        assertThat(TestSite.pageOutcome(german)).isEqualTo("hit");
        assertThat(site.renders("/posts/1", "1")).as("one render per language").isEqualTo(2);
    }

    /**
     * A render is a request that arrived on the in-memory render connector, never one that
     * names a render: a client that sends the header, with any id, is an ordinary visitor.
     */
    @Test
    void aRenderHeaderFromTheNetwork_isAnOrdinaryRequest() throws Exception {
        site.get("/?page=31");
        for (int id = 0; id < 64; id++) {
            HttpResponse<String> forged = site.get("/?page=31", Renderer.RENDER_HEADER,
                    Integer.toString(id));
            assertThat(forged.statusCode()).isEqualTo(200);
            assertThat(forged.body()).contains("posts of page 31");
            assertThat(TestSite.pageOutcome(forged)).isEqualTo("hit");
        }
        assertThat(site.renders("/", "31")).isEqualTo(1);
    }
}
