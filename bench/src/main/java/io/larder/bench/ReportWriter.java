package io.larder.bench;

import io.larder.bench.HttpLoad.Result;
import io.larder.bench.Report.FirstHit;
import io.larder.bench.Report.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link Report.Run} as {@code report.md} (the original article's table with each
 * ratio, the other scenarios, the bars with PASS or SHORT and why), {@code latency.svg}
 * (p50 and p99 per mode on a log scale) and {@code results.json} (every figure under a stable
 * name).
 */
final class ReportWriter {
    private final Report.Run run;
    private final List<Bar> bars;

    ReportWriter(Report.Run run) {
        this.run = run;
        this.bars = Bars.of(run);
    }

    /**
     * One target of the issue.
     *
     * @param name stable name
     * @param label what it compares
     * @param value the measured figure, {@code NaN} if it was not measured
     * @param aim the target, as the issue states it
     * @param pass whether the figure meets it
     * @param why where short (or not measured), why, and what would close it
     */
    record Bar(String name, String label, double value, String aim, boolean pass, String why) {
    }

    /** Writes the three files into {@code dir} (created if missing). */
    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.md"), markdown());
        Files.writeString(dir.resolve("latency.svg"), svg());
        Files.writeString(dir.resolve("results.json"), Json.write(json()) + "\n");
    }

    /** The ratio of {@code row}'s throughput to the same database's row {@code mode}. */
    double ratio(Row row, String mode) {
        Row base = run.row(row.name().substring(0, row.name().indexOf('.')) + "." + mode);
        return base == null || base.result().perSecond() == 0 ? Double.NaN
                : row.result().perSecond() / base.result().perSecond();
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Larder benchmark report\n\n");
        md.append("Started ").append(run.started).append(", ").append(f1(run.seconds))
                .append(" s; load average ").append(run.loadAverageStart).append(" at start, ")
                .append(run.loadAverageEnd).append(" at the end. Settings: ")
                .append(run.settings).append(". Home page: ").append(run.homeBytes)
                .append(" bytes.\n\n");
        md.append("Each mode ran in a blog server of its own (a fresh JVM, nothing cached),"
                + " warmed up, then driven by a closed loop of keep-alive connections."
                + " Latencies are corrected for coordinated omission (expected interval: the"
                + " warm-up's median). Ratios are of req/s; absolute figures drift with the"
                + " machine's load, ratios taken in one run hold better.\n\n");
        md.append("## Home page per mode\n\n");
        md.append("| database | mode | req/s | p50 ms | p99 ms | ÷ uncached ORM"
                + " | ÷ constant bytes | start s |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : run.rows) {
            Result r = row.result();
            md.append("| ").append(dbLabel(row.name())).append(" | ").append(row.label())
                    .append(" | ").append(f0(r.perSecond())).append(" | ")
                    .append(f3(r.millis(50)))
                    .append(" | ").append(f3(r.millis(99))).append(" | ")
                    .append(times(ratio(row, "off_orm"))).append(" | ")
                    .append(times(ratio(row, "constant"))).append(" | ")
                    .append(f1(row.startSeconds())).append(" |\n");
        }
        md.append("\n![latency per mode](latency.svg)\n\n");
        Report.Expiry e = run.expiry;
        if (e != null) {
            md.append("## Expiry under load\n\n").append(e.keys()).append(" list pages with a TTL"
                    + " of ").append(e.ttlMillis()).append(" ms and a stale window of an hour,"
                    + " interleaved second by second with the (not expiring) home pages, in one"
                    + " page-cache server on the memory store.\n\n");
            md.append("| pages | req/s | p50 ms | p99 ms |\n|---|---:|---:|---:|\n");
            md.append("| not expiring | ").append(f0(e.still().perSecond())).append(" | ")
                    .append(f3(e.still().millis(50))).append(" | ")
                    .append(f3(e.still().millis(99))).append(" |\n");
            md.append("| expiring | ").append(f0(e.moving().perSecond())).append(" | ")
                    .append(f3(e.moving().millis(50))).append(" | ")
                    .append(f3(e.moving().millis(99))).append(" |\n\n");
            md.append(e.renders()).append(" renders (database loads, counted by the server) for ")
                    .append(e.expiries()).append(" expiries (runs of stale answers, as the"
                    + " visitors saw them): ").append(f2(e.loadsPerExpiry()))
                    .append(" per expiry per key (worst key ").append(f2(e.maxLoadsPerExpiry()))
                    .append("); visitors who waited for a render: ").append(e.waited())
                    .append(".\n\n");
        }
        if (!run.firstHits.isEmpty()) {
            md.append("## First hit after a restart\n\nTime to the first byte of the home page's"
                    + " first request once the restarted blog listens (page cache), one request"
                    + " at a time on one connection; then the next 20, and 200 more once the JVM"
                    + " is warm (after a warm-up of the same length as the scenarios'), and the"
                    + " first request of 20 new connections to the warm server.\n\n");
            md.append("| case | first byte ms | next 20, p50 ms | warm, p50 ms"
                    + " | warm, new connection, p50 ms | start s |\n"
                    + "|---|---:|---:|---:|---:|---:|\n");
            for (FirstHit hit : run.firstHits) {
                md.append("| ").append(hit.label()).append(" | ").append(f3(hit.ttfbMillis()))
                        .append(" | ").append(f3(hit.nextP50Millis())).append(" | ")
                        .append(f3(hit.warmP50Millis())).append(" | ")
                        .append(f3(hit.warmNewP50Millis())).append(" | ")
                        .append(f1(hit.startSeconds())).append(" |\n");
            }
            md.append('\n');
        }
        if (!run.micro.isEmpty()) {
            md.append("## Store micro-benchmarks (JMH, short settings)\n\n| figure | value |\n"
                    + "|---|---:|\n");
            run.micro.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(f3(v))
                    .append(" |\n"));
            md.append("\nScores in JMH's units: ops/µs for `.ops_per_us`, else µs per operation"
                    + " (`jmh.json` has the details).\n\n");
        }
        md.append("## Bars\n\n| bar | value | aim | result |\n|---|---:|---|---|\n");
        for (Bar bar : bars) {
            md.append("| ").append(bar.label()).append(" | ").append(times(bar.value()))
                    .append(" | ").append(bar.aim()).append(" | ")
                    .append(Double.isNaN(bar.value()) ? "n/a" : bar.pass() ? "PASS" : "SHORT")
                    .append(" |\n");
        }
        md.append('\n');
        for (Bar bar : bars) {
            if (!bar.pass()) {
                md.append("- **").append(bar.label()).append("**: ").append(bar.why())
                        .append('\n');
            }
        }
        if (!run.notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            run.notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return md.toString();
    }

    private static String dbLabel(String name) {
        return name.startsWith("pg.") ? "PostgreSQL" : "H2";
    }

    /** p50 and p99 per mode as horizontal bars on a log scale of milliseconds. */
    String svg() {
        List<String> labels = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (Row row : run.rows) {
            labels.add(dbLabel(row.name()) + ": " + row.label());
            values.add(new double[] {row.result().millis(50), row.result().millis(99)});
        }
        if (run.expiry != null) {
            labels.add("H2: page cache, not expiring");
            values.add(new double[] {run.expiry.still().millis(50), run.expiry.still().millis(99)});
            labels.add("H2: page cache, expiring");
            values.add(new double[] {run.expiry.moving().millis(50),
                run.expiry.moving().millis(99)});
        }
        double min = values.stream().mapToDouble(v -> v[0]).filter(v -> v > 0).min().orElse(0.01);
        double max = values.stream().mapToDouble(v -> v[1]).max().orElse(1);
        int lo = (int) Math.floor(Math.log10(Math.max(min, 0.001)));
        int hi = Math.max(lo + 1, (int) Math.ceil(Math.log10(Math.max(max, 0.001))));
        // Labels are right-aligned against the bars: leave room for the longest (about 6.5 px a
        // character at 12 px sans-serif).
        int longest = labels.stream().mapToInt(String::length).max().orElse(40);
        int left = Math.max(300, 20 + (int) Math.ceil(longest * 6.5));
        int width = 560;
        int rowHeight = 26;
        int top = 40;
        int height = top + rowHeight * labels.size() + 40;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(left + width + 30)
                .append("\" height=\"").append(height).append("\" font-family=\"sans-serif\""
                + " font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append("<text x=\"10\" y=\"20\" font-size=\"14\">Home page latency per mode, ms (log"
                + " scale): p50 dark, p99 light</text>\n");
        for (int d = lo; d <= hi; d++) {
            double x = left + width * (double) (d - lo) / (hi - lo);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\""
                    + " y2=\"%d\" stroke=\"#ccc\"/>\n<text x=\"%.1f\" y=\"%d\""
                    + " text-anchor=\"middle\">%s</text>%n", x, top - 5, x,
                    top + rowHeight * labels.size(), x, height - 15,
                    Json.number(Math.pow(10, d))));
        }
        for (int i = 0; i < labels.size(); i++) {
            int y = top + i * rowHeight;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\""
                    + " text-anchor=\"end\">%s</text>%n", left - 8, y + 16,
                    escape(labels.get(i))));
            double[] v = values.get(i);
            svg.append(bar(left, width, lo, hi, v[1], y + 3, 20, "#9ecae1"));
            svg.append(bar(left, width, lo, hi, v[0], y + 8, 10, "#08519c"));
        }
        return svg.append("</svg>\n").toString();
    }

    private static String bar(int left, int width, int lo, int hi, double millis, int y, int h,
            String color) {
        double at = Math.log10(Math.max(millis, Math.pow(10, lo)));
        double w = width * (at - lo) / (hi - lo);
        return String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\""
                + " fill=\"%s\"><title>%.3f ms</title></rect>%n", left, y, Math.max(w, 1), h,
                color, millis);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    Map<String, Object> json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("started", run.started);
        root.put("seconds", run.seconds);
        root.put("load_average", Map.of("start", run.loadAverageStart,
                "end", run.loadAverageEnd));
        root.put("settings", run.settings);
        root.put("home_page_bytes", run.homeBytes);
        Map<String, Object> http = new LinkedHashMap<>();
        for (Row row : run.rows) {
            Map<String, Object> m = figures(row.result());
            m.put("label", row.label());
            m.put("per_uncached_orm", ratio(row, "off_orm"));
            m.put("per_constant_bytes", ratio(row, "constant"));
            m.put("start_s", row.startSeconds());
            http.put(row.name(), m);
        }
        root.put("http", http);
        Report.Expiry e = run.expiry;
        if (e != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ttl_ms", e.ttlMillis());
            m.put("keys", e.keys());
            m.put("still", figures(e.still()));
            m.put("expiring", figures(e.moving()));
            m.put("p99_expiring_per_still", e.moving().millis(99) / e.still().millis(99));
            m.put("renders", e.renders());
            m.put("expiries", e.expiries());
            m.put("loads_per_expiry_per_key", e.loadsPerExpiry());
            m.put("max_loads_per_expiry_one_key", e.maxLoadsPerExpiry());
            m.put("visitors_waited", e.waited());
            root.put("expiry", m);
        }
        Map<String, Object> hits = new LinkedHashMap<>();
        for (FirstHit hit : run.firstHits) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", hit.label());
            m.put("first_byte_ms", hit.ttfbMillis());
            m.put("next_p50_ms", hit.nextP50Millis());
            m.put("warm_p50_ms", hit.warmP50Millis());
            m.put("warm_new_connection_p50_ms", hit.warmNewP50Millis());
            m.put("start_s", hit.startSeconds());
            hits.put(hit.name(), m);
        }
        root.put("first_hit", hits);
        root.put("micro", run.micro);
        Map<String, Object> b = new LinkedHashMap<>();
        for (Bar bar : bars) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", bar.label());
            m.put("value", bar.value());
            m.put("aim", bar.aim());
            m.put("result", Double.isNaN(bar.value()) ? "n/a" : bar.pass() ? "PASS" : "SHORT");
            if (!bar.pass()) {
                m.put("why", bar.why());
            }
            b.put(bar.name(), m);
        }
        root.put("bars", b);
        root.put("notes", run.notes);
        return root;
    }

    private static Map<String, Object> figures(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("req_per_s", r.perSecond());
        m.put("requests", r.requests());
        m.put("seconds", r.seconds());
        m.put("p50_ms", r.millis(50));
        m.put("p99_ms", r.millis(99));
        m.put("p999_ms", r.millis(99.9));
        m.put("max_ms", r.corrected().getMaxValue() / 1000.0);
        m.put("p50_raw_ms", r.rawMillis(50));
        m.put("p99_raw_ms", r.rawMillis(99));
        return m;
    }

    /** A ratio with three significant digits or so: 0.00123, 0.412, 2.90, 580. */
    private static String times(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v >= 100 ? f0(v) : v >= 1 ? f2(v) : Json.number(Double.parseDouble(
                String.format(Locale.ROOT, "%.3g", v)));
    }

    private static String f0(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String f1(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }
}
