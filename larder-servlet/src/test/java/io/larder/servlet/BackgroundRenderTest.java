package io.larder.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Larder;
import io.larder.RegionStats;
import io.larder.testing.FakeClock;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pages rendered without a visitor on a real Jetty: stale pages served at once and refreshed by
 * one background render, warming at start and after invalidation, and the rules of the page
 * cache holding for those renders too. Time is the cache's {@link FakeClock}; outcomes that
 * happen in the background are polled for with a generous deadline.
 */
class BackgroundRenderTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final FakeClock clock = new FakeClock();
    private final Larder larder = Larder.builder().clock(clock).build();
    private TestSite site;
    private PageCacheFilter pages;

    private TestSite start(PageCacheFilter.Builder builder) throws Exception {
        pages = builder.ttl(Duration.ofMinutes(1)).staleFor(Duration.ofHours(1)).query("page")
                .build();
        site = new TestSite(larder, pages);
        pages.start(site.origin());
        return site;
    }

    @AfterEach
    void close() throws Exception {
        if (site != null) {
            site.close();
        }
        larder.close();
    }

    @Test
    void stalePage_isServedAtOnceThenRefreshedByOneBackgroundRender() throws Exception {
        start(PageCacheFilter.builder(larder));
        assertThat(text(site.get("/flaky"))).contains("flaky version 1");
        site.version.set(2);
        clock.advance(Duration.ofMinutes(2));

        HttpResponse<byte[]> stale = site.get("/flaky");

        assertThat(text(stale)).contains("flaky version 1");
        assertThat(stale.headers().firstValue("Server-Timing")).hasValueSatisfying(
                t -> assertThat(t).contains("cache.page;desc=\"stale\""));
        poll(() -> text(site.get("/flaky")).contains("flaky version 2"));
        HttpResponse<byte[]> refreshed = site.get("/flaky");
        assertThat(refreshed.headers().firstValue("Server-Timing")).hasValueSatisfying(
                t -> assertThat(t).contains("cache.page;desc=\"hit\""));
        assertThat(site.renders("/flaky")).isEqualTo(2);
        assertThat(site.secretsSeen.get()).isZero();
    }

    @Test
    void aRefreshRendersAtTheLowestThreadPriority_warmingAndVisitorsAtTheirs() throws Exception {
        start(PageCacheFilter.builder(larder).warm("/posts"));
        assertThat(pages.awaitWarm(DEADLINE)).isTrue();
        assertThat(site.renderPriorities).containsEntry("/posts", Thread.NORM_PRIORITY);
        assertThat(text(site.get("/flaky"))).contains("flaky version 1");
        assertThat(site.renderPriorities).containsEntry("/flaky", Thread.NORM_PRIORITY);
        site.version.set(2);
        clock.advance(Duration.ofMinutes(2));

        assertThat(text(site.get("/flaky"))).contains("flaky version 1"); // stale
        poll(() -> site.renders("/flaky") == 2);

        assertThat(site.renderPriorities).containsEntry("/flaky", Thread.MIN_PRIORITY);
        for (int i = 10; i < 14; i++) { // misses: the pool threads got their priority back
            site.renderPriorities.remove("/posts");
            assertThat(text(site.get("/posts?page=" + i))).contains("Posts, page " + i);
            assertThat(site.renderPriorities).containsEntry("/posts", Thread.NORM_PRIORITY);
        }
    }

    @Test
    void warmedPages_areHitsOnTheFirstVisitorRequest() throws Exception {
        start(PageCacheFilter.builder(larder).warm("/posts", "/posts?page=2&utm_source=x"));
        assertThat(pages.awaitWarm(DEADLINE)).isTrue();
        assertThat(site.renders("/posts")).isEqualTo(2);

        HttpResponse<byte[]> first = site.get("/posts");
        HttpResponse<byte[]> second = site.get("/posts?page=2");

        assertThat(first.headers().firstValue("Server-Timing")).hasValueSatisfying(
                t -> assertThat(t).contains("cache.page;desc=\"hit\""));
        assertThat(text(first)).contains("Posts, page 1");
        assertThat(text(second)).contains("Posts, page 2", "query: page=2");
        assertThat(second.headers().firstValue("Server-Timing")).hasValueSatisfying(
                t -> assertThat(t).contains("cache.page;desc=\"hit\""));
        assertThat(site.renders("/posts")).isEqualTo(2);
    }

    @Test
    void warmVary_warmsEachValueOfAKeyedHeader() throws Exception {
        start(PageCacheFilter.builder(larder)
                .vary("Accept-Language", v -> v != null && v.startsWith("de") ? "de" : "en")
                .warmVary("Accept-Language", "en", "de").warm("/lang"));
        assertThat(pages.awaitWarm(DEADLINE)).isTrue();

        HttpResponse<byte[]> de = site.get("/lang", "Accept-Language", "de-DE,de;q=0.9");
        HttpResponse<byte[]> en = site.get("/lang");

        assertThat(text(de)).contains("Hallo");
        assertThat(text(en)).contains("Hello");
        assertThat(site.renders("/lang")).isEqualTo(2);
        assertThat(de.headers().firstValue("Server-Timing")).hasValueSatisfying(
                t -> assertThat(t).contains("cache.page;desc=\"hit\""));
    }

    @Test
    void invalidation_rewarmsThePagesItTouches() throws Exception {
        start(PageCacheFilter.builder(larder).warm("/posts", "/text"));
        assertThat(pages.awaitWarm(DEADLINE)).isTrue();
        site.retitle(1, "Renamed first post");

        larder.invalidateTag("posts"); // what /posts read; /text read nothing cached

        poll(() -> site.renders("/posts") == 2);
        assertThat(pages.awaitWarm(DEADLINE)).isTrue();
        HttpResponse<byte[]> visitor = site.get("/posts");
        assertThat(text(visitor)).contains("Renamed first post");
        assertThat(visitor.headers().firstValue("Server-Timing")).hasValueSatisfying(
                t -> assertThat(t).contains("cache.page;desc=\"hit\""));
        assertThat(site.renders("/posts")).isEqualTo(2);
        assertThat(site.renders("/text")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"error", "cookie", "session"})
    void refusedBackgroundRender_keepsTheStalePageAndCountsOnce(String refusal)
            throws Exception {
        start(PageCacheFilter.builder(larder));
        assertThat(text(site.get("/flaky"))).contains("flaky version 1");
        site.version.set(2);
        site.flaky.set(refusal);
        clock.advance(Duration.ofMinutes(2));

        assertThat(text(site.get("/flaky"))).contains("flaky version 1");
        poll(() -> stats().loadFailures() == 1);

        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> again = site.get("/flaky");
            assertThat(text(again)).contains("flaky version 1").doesNotContain("secret-");
            assertThat(again.headers().allValues("Set-Cookie")).isEmpty();
        }
        assertThat(site.renders("/flaky")).isEqualTo(2); // within the refresh back-off
        assertThat(stats().loadFailures()).isEqualTo(1);
    }

    @Test
    void refusedWarming_storesNothingAndCountsOnce() throws Exception {
        start(PageCacheFilter.builder(larder).warm("/fail", "/tracked"));
        assertThat(pages.awaitWarm(DEADLINE)).isTrue();

        assertThat(stats().loadFailures()).isEqualTo(2);
        assertThat(site.get("/fail").statusCode()).isEqualTo(503);
        HttpResponse<byte[]> tracked = site.get("/tracked");
        assertThat(tracked.headers().allValues("Set-Cookie")).hasSize(1);
        assertThat(site.renders("/fail")).isEqualTo(2);
        assertThat(site.renders("/tracked")).isEqualTo(2);
    }

    @Test
    void renderHeaderWithoutTheSecret_isAnOrdinaryVisitorRequest() throws Exception {
        start(PageCacheFilter.builder(larder));

        HttpResponse<byte[]> guessed = site.get("/flaky", "X-Larder-Render", "guess");

        assertThat(guessed.headers().firstValue("X-Larder-Rendered")).isEmpty();
        assertThat(guessed.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/html"));
        assertThat(text(guessed)).contains("flaky version 1");
        assertThat(site.secretsSeen.get()).isZero();
    }

    @Test
    void beforeStart_pagesAreNeverServedStale() throws Exception {
        pages = PageCacheFilter.builder(larder).ttl(Duration.ofMinutes(1))
                .staleFor(Duration.ofHours(1)).build();
        site = new TestSite(larder, pages);
        site.get("/flaky");
        site.version.set(2);
        clock.advance(Duration.ofMinutes(2));

        assertThat(text(site.get("/flaky"))).contains("flaky version 2");
        assertThat(site.renders("/flaky")).isEqualTo(2);
    }

    private RegionStats stats() {
        return larder.stats().get("page");
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static void poll(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within " + DEADLINE).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
