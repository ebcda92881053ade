package io.larder.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LarderMetricsTest {
    private static TestSite site;

    @BeforeAll
    static void start() {
        site = new TestSite(cfg -> { });
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    @Test
    void perRouteTimers_countRequestsByPageOutcome() throws Exception {
        site.get("/posts/5");
        site.get("/posts/5");
        site.get("/posts/5", "Cookie", "session=bob");

        Timer hits = site.registry.find("larder.http.requests").tag("route", "/posts/{id}")
                .tag("page", "hit").tag("status", "200").timer();
        Timer misses = site.registry.find("larder.http.requests").tag("route", "/posts/{id}")
                .tag("page", "miss").timer();
        Timer bypass = site.registry.find("larder.http.requests").tag("route", "/posts/{id}")
                .tag("page", "bypass").timer();
        assertThat(hits).isNotNull();
        assertThat(hits.count()).isGreaterThanOrEqualTo(1);
        assertThat(misses.count()).isGreaterThanOrEqualTo(1);
        assertThat(bypass.count()).isEqualTo(1);
    }

    @Test
    void regionMeters_followLarderStats() throws Exception {
        site.get("/?page=11");
        site.get("/?page=11");
        site.get("/uncached"); // a request makes the binder notice regions that appeared

        FunctionCounter pageHits = site.registry.find("larder.cache.gets")
                .tag("region", "page").tag("result", "hit").functionCounter();
        FunctionTimer queryLoads = site.registry.find("larder.cache.loads")
                .tag("region", "home-posts").functionTimer();
        assertThat(pageHits).isNotNull();
        assertThat(pageHits.count()).isEqualTo(site.larder.stats().get("page").hits());
        assertThat(pageHits.count()).isGreaterThanOrEqualTo(1);
        assertThat(queryLoads).isNotNull();
        assertThat(queryLoads.count()).isEqualTo(site.larder.stats().get("home-posts").loads());
        assertThat(site.registry.find("larder.cache.entries").tag("region", "page").gauge())
                .isNotNull();
    }
}
