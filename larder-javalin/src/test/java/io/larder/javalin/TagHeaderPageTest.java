package io.larder.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.http.TagHeader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cached pages carry the tags they were built from in the configured header, whichever path
 * answers them (a miss, the ordinary path's hit, the fast path's hit); uncached answers carry
 * none.
 */
class TagHeaderPageTest {
    private static TestSite site;

    @BeforeAll
    static void start() throws Exception {
        site = new TestSite(cfg -> cfg.fastPath(true).tagHeader(TagHeader.xkey()));
        assertThat(site.plugin.awaitWarm(Duration.ofSeconds(30))).isTrue();
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    private static List<String> tags(HttpResponse<?> response) {
        return List.of(response.headers().firstValue("xkey")
                .orElseThrow(() -> new AssertionError("no xkey header")).split(" "));
    }

    @Test
    void aPage_carriesItsRegionTag_theTagsItNamed_andTheTagsOfTheEntriesItRead()
            throws Exception {
        HttpResponse<String> post = site.get("/posts/5");
        HttpResponse<String> home = site.get("/?page=3");

        assertThat(TestSite.pageOutcome(post)).isEqualTo("miss");
        assertThat(tags(post)).containsExactlyInAnyOrder("@region:page", "author:7", "post:5");
        assertThat(tags(home)).contains("@region:page", "posts", "@region:home-posts");
    }

    @Test
    void hitsOnTheOrdinaryAndTheFastPath_carryTheSameTags() throws Exception {
        List<String> missed = tags(site.get("/posts/6"));
        HttpResponse<String> ordinary = site.get("/posts/6", "Cookie", "theme=dark");
        long before = site.plugin.front().answered();
        HttpResponse<String> fast = site.get("/posts/6");

        assertThat(TestSite.pageOutcome(ordinary)).isEqualTo("hit");
        assertThat(site.plugin.front().answered()).isEqualTo(before + 1);
        assertThat(tags(ordinary)).isEqualTo(missed);
        assertThat(tags(fast)).isEqualTo(missed);
    }

    @Test
    void answersThatAreNotCachedPages_carryNoTags() throws Exception {
        assertThat(site.get("/posts/7", "Cookie", "session=ann").headers().firstValue("xkey"))
                .isEmpty();
        assertThat(site.get("/uncached").headers().firstValue("xkey")).isEmpty();
        assertThat(site.get("/cookie").headers().firstValue("xkey")).isEmpty();
    }
}
