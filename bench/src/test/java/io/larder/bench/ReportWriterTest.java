package io.larder.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report writer on figures taken by the real load loop (against an in-process server),
 * without the blog: the three files, the table's ratios and the bars' names.
 */
class ReportWriterTest {
    @TempDir
    Path dir;

    @Test
    void write_givesTableChartAndJsonWithStableNames() throws IOException {
        HttpLoad.Result fast;
        HttpLoad.Result slow;
        Javalin app = Javalin.create(cfg -> {
            cfg.routes.get("/fast", ctx -> ctx.result("x".repeat(1_000)));
            cfg.routes.get("/slow", ctx -> {
                Thread.sleep(5);
                ctx.result("x".repeat(1_000));
            });
        }).start("127.0.0.1", 0);
        try {
            fast = HttpLoad.run(app.port(), i -> "/fast", 1, Duration.ofMillis(200), 0, null);
            slow = HttpLoad.run(app.port(), i -> "/slow", 1, Duration.ofMillis(200), 0, null);
        } finally {
            app.stop();
        }
        Report.Run run = new Report.Run();
        run.rows.add(new Report.Row("h2.off_orm", "uncached, ORM", slow, 1.5));
        run.rows.add(new Report.Row("h2.constant", "constant bytes (1000 B)", fast, 1.5));
        run.rows.add(new Report.Row("h2.constant_file", "constant bytes (1000 B)", fast, 1.5));
        run.rows.add(new Report.Row("h2.page_file", "page cache, file store", fast, 1.5));
        run.expiry = new Report.Expiry(fast, fast, 10, 10, 8, 1.0, 0, 1000);
        run.firstHits.add(new Report.FirstHit("h2.restart.memory_warmed", "warmed", 0.5, 0.4,
                0.3, 0.25, 2));
        run.micro.put("memory_store_hit_per_caffeine_hit", 1.07);

        new ReportWriter(run).write(dir);

        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md).contains("| H2 | page cache, file store |", "| PASS |", "Expiry under load",
                "memory store hit ÷ raw Caffeine");
        // The page ran as fast as the constant route: a ratio of 1.00 to it.
        assertThat(md).containsPattern("\\| page cache, file store \\| \\d+ \\| [0-9.]+ \\|"
                + " [0-9.]+ \\| [0-9.]+ \\| 1\\.00 \\|");
        String json = Files.readString(dir.resolve("results.json"));
        assertThat(json).contains("\"h2.page_file\": {", "\"req_per_s\":",
                "\"h2.page_file_per_constant_bytes\": {", "\"loads_per_expiry_per_key\": {",
                "\"first_hit_warmed_per_warm_p50\": {", "\"result\": \"PASS\"",
                "\"first_hit_warmed_per_warm_new_connection\": {",
                "\"warm_new_connection_p50_ms\": 0.25");
        assertThat(json.chars().filter(c -> c == '{').count())
                .isEqualTo(json.chars().filter(c -> c == '}').count());
        String svg = Files.readString(dir.resolve("latency.svg"));
        assertThat(svg).startsWith("<svg").contains("H2: page cache, file store").endsWith(
                "</svg>\n");
    }

    @Test
    void json_writesNonFiniteAsNullAndEscapesStrings() {
        assertThat(Json.write(java.util.Map.of("a", Double.NaN))).isEqualTo("{\n  \"a\": null\n}");
        assertThat(Json.write(java.util.List.of("q\"\n", 2.5, 3L, true)))
                .isEqualTo("[\"q\\\"\\n\", 2.5, 3, true]");
    }
}
