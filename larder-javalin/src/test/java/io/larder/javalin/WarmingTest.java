package io.larder.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WarmingTest {
    private TestSite site;

    @BeforeEach
    void start() throws Exception {
        site = new TestSite(cfg -> { });
        assertThat(site.plugin.awaitWarm(Duration.ofSeconds(30))).isTrue();
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void startUp_rendersWarmPagesInEveryLanguage_beforeTheFirstVisitor() throws Exception {
        int renders = site.templateRenders.get();

        HttpResponse<String> home = site.get("/");
        HttpResponse<String> german = site.get("/?page=2", "Accept-Language", "de");

        assertThat(TestSite.pageOutcome(home)).isEqualTo("hit");
        assertThat(TestSite.pageOutcome(german)).isEqualTo("hit");
        assertThat(german.body()).contains("home de").contains("posts of page 2");
        assertThat(site.templateRenders.get()).isEqualTo(renders);
    }

    @Test
    void aRefreshRendersAtTheLowestThreadPriority_warmingAndVisitorsAtTheirs() throws Exception {
        // The 6 warm pages rendered at start: visitors may wait on a warming load.
        assertThat(site.renderPriorities).hasSize(6).allSatisfy((page, priority) ->
                assertThat(priority).as(page).isEqualTo(Thread.NORM_PRIORITY));
        for (int i = 2; i <= 5; i++) { // misses, rendered for the visitor on a pool thread
            assertThat(TestSite.pageOutcome(site.get("/posts/" + i))).isEqualTo("miss");
        }
        site.renderPriorities.clear();
        site.clock.advance(Duration.ofSeconds(11)); // past the page region's 10 s TTL
        int renders = site.renders("/", "1");

        // Served stale; the refresh renders in the background, for nobody waiting.
        assertThat(TestSite.pageOutcome(site.get("/"))).isEqualTo("stale");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (site.renders("/", "1") == renders && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        for (int i = 6; i <= 9; i++) {
            assertThat(TestSite.pageOutcome(site.get("/posts/" + i))).isEqualTo("miss");
        }

        assertThat(site.renderPriorities).containsEntry("/ 1 en", Thread.MIN_PRIORITY);
        for (int i = 6; i <= 9; i++) { // the pool threads got their priority back
            assertThat(site.renderPriorities).containsEntry("/posts/" + i + " 1 null",
                    Thread.NORM_PRIORITY);
        }
    }

    @Test
    void warming_rendersAtMostItsConcurrencyAtOnce() {
        // 6 warm pages (3 URLs x 2 languages), 2 warming threads by default, no visitors yet.
        assertThat(site.templateRenders.get()).isEqualTo(6);
        assertThat(site.maxInFlight.get()).isBetween(1, 2);
    }

    @Test
    void afterAnEdit_theNextAnonymousRequest_isAlreadyAHitOnTheNewContent() throws Exception {
        assertThat(site.get("/").body()).contains("posts of page 1 v1");
        assertThat(site.get("/posts/1").body()).contains("post 1 v1");

        HttpResponse<String> edit = site.send("POST", "/admin/posts/1");
        assertThat(edit.statusCode()).isEqualTo(200);
        assertThat(site.plugin.awaitWarm(Duration.ofSeconds(30))).isTrue();
        int renders = site.templateRenders.get();
        int queries = site.dbQueries.get();

        HttpResponse<String> home = site.get("/");
        HttpResponse<String> post = site.get("/posts/1", "Accept-Language", "de");

        // "/" inherited the tag "posts" from the query it read; "/posts/1" got "post:1" from
        // tagsFrom, in re-renders too.
        assertThat(TestSite.pageOutcome(home)).isEqualTo("hit");
        assertThat(home.body()).contains("posts of page 1 v2");
        assertThat(TestSite.pageOutcome(post)).isEqualTo("hit");
        assertThat(post.body()).contains("post 1 v2");
        assertThat(site.templateRenders.get()).isEqualTo(renders);
        assertThat(site.dbQueries.get()).isEqualTo(queries);
        // Each warm page (2 URLs of "/" and "/posts/1", in 2 languages) re-rendered once.
        assertThat(site.renders("/", "1")).isEqualTo(2 * 2);
        assertThat(site.renders("/", "2")).isEqualTo(2 * 2);
        assertThat(site.renders("/posts/1", "1")).isEqualTo(2 * 2);
    }

    @Test
    void invalidationOfATagNoWarmPageCarries_rendersNothing() throws Exception {
        int renders = site.templateRenders.get();

        site.larder.invalidateTag("post:99");
        site.larder.invalidateTag("author:8");
        assertThat(site.plugin.awaitWarm(Duration.ofSeconds(30))).isTrue();

        assertThat(site.templateRenders.get()).isEqualTo(renders);
    }

    @Test
    void tagNamedByTheHandlerDuringARerender_triggersRewarming() throws Exception {
        int renders = site.renders("/posts/1", "1");

        site.larder.invalidateTag("author:7");
        assertThat(site.plugin.awaitWarm(Duration.ofSeconds(30))).isTrue();

        assertThat(site.renders("/posts/1", "1")).isEqualTo(renders + 2);
        assertThat(TestSite.pageOutcome(site.get("/posts/1"))).isEqualTo("hit");
    }
}
