package io.larder.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load loop against a real Jetty (Javalin) on a free port: counts, bodies, headers. */
class HttpLoadTest {
    private static final byte[] BODY = new byte[5_000];

    private final AtomicLong served = new AtomicLong();
    private Javalin app;

    @BeforeEach
    void start() {
        app = Javalin.create(cfg -> {
            cfg.routes.get("/fixed", ctx -> {
                served.incrementAndGet();
                ctx.header("Server-Timing", "total;dur=0.1, cache.page;desc=\"stale\";dur=0.01")
                        .result(BODY);
            });
            // An InputStream result without a length goes out chunked.
            cfg.routes.get("/chunked", ctx -> {
                served.incrementAndGet();
                ctx.result(new ByteArrayInputStream(new byte[70_000]));
            });
            cfg.routes.get("/missing-not", ctx -> ctx.status(404));
        }).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void run_countsEveryAnswer_andObserverSeesBodiesAndServerTiming() throws IOException {
        Map<String, Long> bodies = new ConcurrentHashMap<>();
        Map<String, String> timings = new ConcurrentHashMap<>();
        // Each connection asks at least once, however busy the machine: two asks, both paths.
        AtomicLong asked = new AtomicLong();
        HttpLoad.Result result = HttpLoad.run(app.port(),
                i -> asked.getAndIncrement() % 2 == 0 ? "/fixed" : "/chunked", 2,
                Duration.ofMillis(300), 0,
                (path, response) -> {
                    bodies.put(path, response.bodyBytes());
                    if (response.serverTiming() != null) {
                        timings.put(path, response.serverTiming());
                    }
                });

        assertThat(result.requests()).isPositive().isEqualTo(served.get());
        assertThat(result.histogram().getTotalCount()).isEqualTo(result.requests());
        assertThat(bodies).containsEntry("/fixed", 5_000L).containsEntry("/chunked", 70_000L);
        assertThat(timings.get("/fixed")).contains("cache.page;desc=\"stale\"");
        assertThat(result.perSecond()).isPositive();
    }

    @Test
    void run_correctedHistogramHoldsAtLeastTheMeasuredAnswers() throws IOException {
        HttpLoad.Result result = HttpLoad.run(app.port(), i -> "/fixed", 1,
                Duration.ofMillis(200), 1, null);

        assertThat(result.corrected().getTotalCount())
                .isGreaterThanOrEqualTo(result.histogram().getTotalCount());
        HttpLoad.Result merged = result.plus(result);
        assertThat(merged.requests()).isEqualTo(2 * result.requests());
        assertThat(merged.histogram().getTotalCount())
                .isEqualTo(2 * result.histogram().getTotalCount());
    }

    @Test
    void run_failsOnAnAnswerOtherThan200() {
        assertThatThrownBy(() -> HttpLoad.run(app.port(), i -> "/missing-not", 1,
                Duration.ofMillis(100), 0, null))
                .isInstanceOf(IOException.class).hasMessageContaining("404");
    }
}
