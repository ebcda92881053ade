package io.larder.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.larder.Larder;
import io.larder.http.HttpPurge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Purges that an HTTP cache in front refuses show on the dashboard and in the metrics, as store
 * errors do: here the cache is a loopback port where nothing listens (connection refused).
 */
class PurgeCountersTest {
    private final Larder larder = Larder.builder().build();
    private HttpPurge purge;
    private Javalin app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
        if (purge != null) {
            purge.close();
        }
        larder.close();
    }

    @Test
    void failedPurges_areCountedOnTheDashboardAndInTheMetrics() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        purge = HttpPurge.builder().varnish(URI.create("http://127.0.0.1:" + closed + "/"))
                .retries(1, Duration.ofMillis(1)).build().attach(larder);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new LarderMetrics(larder).purge(purge).bindTo(registry);
        Dashboard dashboard = Dashboard.builder(larder).access(ctx -> true).purge(purge).build();
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            dashboard.routes(config.routes);
            config.events.serverStopped(dashboard::close);
        }).start("127.0.0.1", 0);

        larder.invalidateTag("post:1");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (purge.stats().failed() < 1 || purge.stats().pending() > 0) {
            assertThat(System.nanoTime()).as("the purge given up within 30 s")
                    .isLessThan(deadline);
            Thread.sleep(5);
        }

        assertThat(registry.get("larder.http.purges").tag("result", "failed").functionCounter()
                .count()).isEqualTo(1);
        assertThat(registry.get("larder.http.purges").tag("result", "retried")
                .functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("larder.http.purges.pending").gauge().value()).isZero();
        String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + app.port() + "/_larder")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("<h2>HTTP cache purges</h2><table id=\"purges\">")
                .contains("<tbody><tr><td>0</td><td>1</td><td>1</td><td>0</td><td>0</td></tr>");
    }
}
