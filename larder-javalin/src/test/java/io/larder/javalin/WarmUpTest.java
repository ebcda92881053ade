package io.larder.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.larder.Larder;
import io.larder.RegionStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up of the fast path ({@link LarderPlugin.Config#warmUpRequests}): what it
 * leaves behind and what it does not count. No timing is asserted, only behaviour.
 */
class WarmUpTest {
    /** TestSite's warmed pages: 3 URLs in 2 languages. */
    private static final int TARGETS = 6;
    private static final Map<String, List<String>> WARMED = Map.of("en",
            List.of("/", "/?page=2", "/posts/1"), "de", List.of("/", "/?page=2", "/posts/1"));

    @Test
    void afterStart_theFastPathHoldsAPreparedPage_forEveryWarmedTarget() throws Exception {
        try (TestSite site = new TestSite(cfg -> cfg.fastPath(true)
                .warmUpRequests(60, Duration.ofMinutes(1)))) {
            assertThat(site.plugin.awaitWarm(Duration.ofSeconds(30))).isTrue();

            WARMED.forEach((language, urls) -> urls.forEach(url -> assertThat(
                    site.plugin.front().prepared(url, language)).as("%s %s", url, language)
                    .isTrue()));
            assertThat(site.plugin.front().prepared("/big", "en")).isFalse();
            // One first visit per page, then 60 / 6 = 10 answered by the fast path each: 5 in
            // memory, 5 over the socket.
            assertThat(site.plugin.warmer().visits()).isEqualTo(TARGETS + 60);
            assertThat(site.plugin.front().answered()).isEqualTo(60);
        }
    }

    @Test
    void warmUpRequests_areNotReportedToListeners_butAreLookupsInTheStats() throws Exception {
        List<RequestTiming> seen = new CopyOnWriteArrayList<>();
        try (TestSite site = new TestSite(cfg -> cfg.fastPath(true).onRequest(seen::add)
                .warmUpRequests(60, Duration.ofMinutes(1)))) {
            assertThat(site.plugin.awaitWarm(Duration.ofSeconds(30))).isTrue();

            // The warming's renders are reported (outcome "render"), its visits (in memory and
            // over the socket) are not.
            assertThat(seen).extracting(RequestTiming::page).containsOnly("render");
            RegionStats page = site.larder.stats().get("page");
            assertThat(page.hits() + page.staleHits()).isEqualTo(TARGETS + 60);

            site.get("/?page=2", "Accept-Language", "de");
            // The front tells listeners after it has written the answer: the client may read it
            // first, so wait (bounded) for the report instead of racing it.
            TestSite.awaitTrue(() -> seen.stream().anyMatch(t -> t.page().equals("hit")));
            assertThat(seen).extracting(RequestTiming::page).contains("hit");
        }
    }

    @Test
    void warmUpOff_leavesOneVisitPerPage_andNothingPrepared() throws Exception {
        try (TestSite site = new TestSite(cfg -> cfg.fastPath(true)
                .warmUpRequests(0, Duration.ofMinutes(1)))) {
            assertThat(site.plugin.awaitWarm(Duration.ofSeconds(30))).isTrue();

            assertThat(site.plugin.warmer().visits()).isEqualTo(TARGETS);
            assertThat(site.plugin.front().answered()).isZero();
            assertThat(site.plugin.front().knows("/posts/1", "de")).isTrue();
            assertThat(site.plugin.front().prepared("/posts/1", "de")).isFalse();
        }
    }

    @Test
    void withoutWarmPages_nothingIsVisited() throws Exception {
        Larder larder = Larder.builder().build();
        LarderPlugin plugin = new LarderPlugin(cfg -> cfg.larder(larder));
        Javalin app = Javalin.create(config -> {
            config.registerPlugin(plugin);
            plugin.cachedGet(config.routes, "/", Page.regionDefaults(), ctx -> ctx.html("home"));
        }).start(0);
        try {
            assertThat(plugin.awaitWarm(Duration.ofSeconds(30))).isTrue();

            assertThat(plugin.warmer().visits()).isZero();
            assertThat(plugin.front().answered()).isZero();
            assertThat(larder.stats().values()).allMatch(s -> s.hits() + s.misses() == 0);
        } finally {
            app.stop();
            larder.close();
        }
    }
}
