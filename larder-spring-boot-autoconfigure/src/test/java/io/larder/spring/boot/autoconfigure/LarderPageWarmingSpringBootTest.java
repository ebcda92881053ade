package io.larder.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Larder;
import io.larder.servlet.PageCacheFilter;
import io.larder.spring.boot.autoconfigure.webapp.WebApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Warming and stale pages of the page filter on Spring Boot's embedded Tomcat, under a context
 * path, configured by properties only: the warm page is stored before the first visitor, an
 * invalidation re-warms it, and an expired page is served at once while one background render
 * refreshes it; {@code /actuator/larder} shows the warming. The Larder runs on a clock the test
 * moves.
 */
@SpringBootTest(classes = {WebApp.class, LarderPageWarmingSpringBootTest.Clocked.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.servlet.context-path=/app",
            "spring.datasource.url=jdbc:h2:mem:larder-warm-test;DB_CLOSE_DELAY=-1",
            "larder.web.page.enabled=true",
            "larder.web.page.url-patterns=/pages/*",
            "larder.web.page.tags=pages",
            "larder.web.page.ttl=1m",
            "larder.web.page.stale-for=1h",
            "larder.web.page.warm=/pages/greet",
            "larder.web.server-timing.enabled=true",
            "management.endpoints.web.exposure.include=larder"
        })
class LarderPageWarmingSpringBootTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final AtomicReference<Instant> NOW = new AtomicReference<>(Instant.now());

    /** The application's Larder, on the test's clock. */
    @TestConfiguration
    static class Clocked {
        @Bean(destroyMethod = "close")
        Larder larder() {
            return Larder.builder().clock(new MovingClock()).build();
        }
    }

    /** Reads {@link #NOW}. */
    static final class MovingClock implements InstantSource {
        @Override
        public Instant instant() {
            return NOW.get();
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    WebApp app;
    @Autowired
    Larder larder;
    @Autowired
    Environment environment;
    @Autowired
    FilterRegistrationBean<PageCacheFilter> pageFilter;

    @Test
    void warmedPage_isAHitOnTheFirstVisitorRequest_andAnInvalidationRewarmsIt()
            throws Exception {
        assertThat(app.greets()).isEqualTo(1); // warmed before the context was ready

        HttpResponse<String> first = get("/pages/greet");

        assertThat(first.body()).contains("Hello, stranger");
        assertThat(first.headers().firstValue("Server-Timing").orElseThrow())
                .contains("cache.page;desc=\"hit\"");
        assertThat(app.greets()).isEqualTo(1);

        larder.invalidateTag("pages");

        poll(() -> app.greets() == 2);
        // The re-render ran; the page is stored once the warming is idle (render, compress, put).
        assertThat(pageFilter.getFilter().awaitWarm(Duration.ofSeconds(30))).isTrue();
        HttpResponse<String> after = get("/pages/greet");
        assertThat(after.headers().firstValue("Server-Timing").orElseThrow())
                .contains("cache.page;desc=\"hit\"");
        assertThat(app.greets()).isEqualTo(2);
    }

    @Test
    void actuator_showsThePageWarming() throws Exception {
        assertThat(pageFilter.getFilter().awaitWarm(Duration.ofSeconds(30))).isTrue();

        HttpResponse<String> larder = get("/actuator/larder");

        assertThat(larder.statusCode()).isEqualTo(200);
        // One page to warm, warmed at start (again if the invalidation test ran first), no
        // failure, nothing waiting once warming is idle.
        assertThat(larder.body()).containsPattern("\"pageWarming\":\\{\"pages\":1,"
                + "\"warmed\":[12],\"failed\":0,\"waiting\":0}");
    }

    @Test
    void expiredPage_isServedAtOnce_whileOneBackgroundRenderRefreshesIt() throws Exception {
        assertThat(get("/pages/version").body()).isEqualTo("version 1");
        int renders = app.versionRenders.get();
        app.version.set(2);
        NOW.updateAndGet(t -> t.plus(Duration.ofMinutes(2)));

        HttpResponse<String> stale = get("/pages/version");

        assertThat(stale.body()).isEqualTo("version 1");
        assertThat(stale.headers().firstValue("Server-Timing").orElseThrow())
                .contains("cache.page;desc=\"stale\"");
        poll(() -> get("/pages/version").body().equals("version 2"));
        assertThat(app.versionRenders.get()).isEqualTo(renders + 1);
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + environment.getProperty("local.server.port") + "/app" + path))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void poll(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within " + DEADLINE).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
