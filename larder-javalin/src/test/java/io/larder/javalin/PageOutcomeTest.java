package io.larder.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the page cache reports for each request, taken from the core's lookup outcome: a miss, a
 * hit, a stale hit, a page the rules refuse (which is not a load failure), a bypass.
 */
class PageOutcomeTest {
    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    private TestSite site;

    @BeforeEach
    void start() {
        // Re-render requests (warming, refreshes) answer "render": only visitors' are kept.
        site = new TestSite(cfg -> cfg.onRequest(timing -> {
            if (!timing.page().equals("render")) {
                outcomes.add(timing.page());
            }
        }));
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void missThenHitThenStale() throws Exception {
        site.get("/posts/2"); // not warmed at start
        site.get("/posts/2");
        site.clock.advance(Duration.ofMinutes(6));
        site.get("/posts/2");

        // The fast path tells listeners after it has written the answer: the client may read it
        // before the report.
        TestSite.awaitTrue(() -> outcomes.size() >= 3);
        assertThat(outcomes).containsExactly("miss", "hit", "stale");
    }

    /** Regression: a 404 on a page-cached route was counted as a page-region load failure. */
    @Test
    void refusedPage_isUncacheable_notALoadFailure() throws Exception {
        site.get("/missing");
        site.get("/cookie");

        assertThat(outcomes).containsExactly("uncacheable", "uncacheable");
        assertThat(site.larder.stats().get("page").loadFailures()).isZero();
    }

    @Test
    void loggedInVisitor_bypassesTheCache() throws Exception {
        site.get("/posts/2", "Cookie", "session=alice");

        assertThat(outcomes).containsExactly("bypass");
    }
}
