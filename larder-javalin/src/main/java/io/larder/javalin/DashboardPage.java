package io.larder.javalin;

import io.larder.Invalidation;
import io.larder.RegionStats;
import io.larder.http.HttpPurge;
import io.larder.http.WarmQueue;
import io.larder.insight.Advisor;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Renders the dashboard's one HTML page; every name shown is escaped. */
final class DashboardPage {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(java.time.ZoneOffset.UTC);
    private static final int MAX_LINES = 8;
    private static final String STYLE = "body{font:14px system-ui,sans-serif;margin:1.5em;"
            + "color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{padding:"
            + "3px 8px;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}"
            + "th:first-child,td:first-child,td.text,th.text,td.kind{text-align:left}"
            + "td.text{white-space:normal;max-width:48em;overflow-wrap:anywhere}"
            + "form{display:inline}"
            + "figure{display:inline-block;margin:0 1em 1em 0}"
            + "figcaption{font-weight:600}svg{background:#fafafa;border:1px solid #eee}"
            + ".axis line{stroke:#999}.axis text,.none{font-size:11px;fill:#666}.legend{"
            + "list-style:none;padding:0;margin:.2em 0;font-size:12px}.legend li{display:"
            + "inline-block;margin-right:1em}.legend span{display:inline-block;width:10px;"
            + "height:10px;margin-right:4px}code{font-size:12px}";

    private final String path;
    private final Duration every;
    private final Clock clock;

    DashboardPage(String path, Duration every, Clock clock) {
        this.path = path;
        this.every = every;
        this.clock = clock;
    }

    String render(Map<String, RegionStats> regions, List<Sampler.Snapshot> history,
            List<Advisor.Finding> findings, List<Invalidation> recent, HttpPurge.Stats purges,
            WarmQueue.Stats warming, String token) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\">")
                .append("<link rel=\"icon\" href=\"data:,\"><title>Larder cache</title><style>")
                .append(STYLE).append("</style></head><body><h1>Larder cache</h1><p>At ")
                .append(TIME.format(clock.instant())).append(" UTC; a snapshot every ")
                .append(every.toSeconds()).append(" s. <a href=\"").append(Html.escape(path))
                .append("\">Refresh</a></p>");
        regions(html, regions, token);
        purges(html, purges);
        warming(html, warming);
        tagForm(html, token);
        charts(html, history);
        advice(html, findings);
        recent(html, recent);
        return html.append("</body></html>").toString();
    }

    private void regions(StringBuilder html, Map<String, RegionStats> regions, String token) {
        html.append("<h2>Regions</h2><table id=\"regions\"><thead><tr><th>Region</th>")
                .append("<th>Hit ratio</th><th>Hits</th><th>Stale hits</th><th>Misses</th>")
                .append("<th>Loads</th><th>Load failures</th><th>Mean load</th><th>Entries</th>")
                .append("<th>Bytes</th><th>Evictions</th><th>Store errors</th><th></th>")
                .append("</tr></thead><tbody>");
        if (regions.isEmpty()) {
            html.append("<tr><td colspan=\"13\">No region has been used yet.</td></tr>");
        }
        for (RegionStats r : regions.values()) {
            String name = Html.escape(r.region());
            html.append("<tr data-region=\"").append(name).append("\"><td>").append(name)
                    .append("</td><td>").append(percent(r.hitRatio())).append("</td>");
            cells(html, r.hits(), r.staleHits(), r.misses(), r.loads(), r.loadFailures());
            html.append("<td>").append(String.format(Locale.ROOT, "%.2f ms", r.meanLoadMillis()))
                    .append("</td>");
            html.append("<td class=\"entries\">").append(count(r.entries())).append("</td><td>")
                    .append(count(r.bytes())).append("</td>");
            cells(html, r.evictions(), r.storeErrors());
            html.append("<td>");
            form(html, token, "region", r.region(), "Invalidate");
            html.append("</td></tr>");
        }
        html.append("</tbody></table>");
    }

    private void tagForm(StringBuilder html, String token) {
        html.append("<h2>Invalidate a tag</h2><form method=\"post\" action=\"")
                .append(Html.escape(path)).append("/invalidate\" id=\"tag-form\">")
                .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(Html.escape(token))
                .append("\"><input type=\"hidden\" name=\"kind\" value=\"tag\">")
                .append("<input name=\"name\" required maxlength=\"200\" placeholder=\"post:42\"")
                .append(" aria-label=\"tag\"> <button type=\"submit\">Invalidate tag</button>")
                .append("</form>");
    }

    private void form(StringBuilder html, String token, String kind, String name, String label) {
        html.append("<form method=\"post\" action=\"").append(Html.escape(path))
                .append("/invalidate\"><input type=\"hidden\" name=\"csrf\" value=\"")
                .append(Html.escape(token))
                .append("\"><input type=\"hidden\" name=\"kind\" value=\"").append(kind)
                .append("\"><input type=\"hidden\" name=\"name\" value=\"")
                .append(Html.escape(name))
                .append("\"><button type=\"submit\" class=\"invalidate\">")
                .append(label).append("</button></form>");
    }

    private void charts(StringBuilder html, List<Sampler.Snapshot> history) {
        html.append("<h2>Over time</h2>");
        int n = history.size();
        String first = n == 0 ? "" : TIME.format(history.get(0).at());
        String last = n == 0 ? "" : TIME.format(history.get(n - 1).at());
        Map<String, double[]> ratio = new LinkedHashMap<>();
        TreeSet<String> names = new TreeSet<>();
        history.forEach(s -> names.addAll(s.regions().keySet()));
        for (String region : names) {
            if (ratio.size() == MAX_LINES) {
                break;
            }
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = intervalRatio(i == 0 ? null : history.get(i - 1).regions().get(region),
                        history.get(i).regions().get(region));
            }
            ratio.put(region, values);
        }
        html.append(Svg.lines("Hit ratio per region (each interval)", "%", n, ratio, 1, first,
                last));
        Map<String, double[]> p95 = new LinkedHashMap<>();
        TreeSet<String> routes = new TreeSet<>();
        history.forEach(s -> routes.addAll(s.routes().keySet()));
        for (String route : routes) {
            if (p95.size() == MAX_LINES) {
                break;
            }
            double[] p50s = new double[n];
            double[] p95s = new double[n];
            for (int i = 0; i < n; i++) {
                Sampler.Latency latency = history.get(i).routes().get(route);
                p50s[i] = latency == null ? Double.NaN : latency.p50();
                p95s[i] = latency == null ? Double.NaN : latency.p95();
            }
            p95.put(route + " p50", p50s);
            p95.put(route + " p95", p95s);
        }
        html.append(Svg.lines("Latency per route", " ms", n, p95, 0, first, last));
        double[] cached = new double[n];
        double[] uncached = new double[n];
        for (int i = 0; i < n; i++) {
            cached[i] = history.get(i).cached();
            uncached[i] = history.get(i).uncached();
        }
        Map<String, double[]> requests = new LinkedHashMap<>();
        requests.put("served from the page cache", cached);
        requests.put("rendered (miss, bypass, not cached)", uncached);
        html.append(Svg.lines("Requests per interval", "", n, requests, 0, first, last));
    }

    /** The hit ratio of the reads between two snapshots, or NaN with none. */
    private static double intervalRatio(RegionStats before, RegionStats after) {
        if (after == null) {
            return Double.NaN;
        }
        long hits = after.hits() + after.staleHits();
        long reads = hits + after.misses();
        if (before != null) {
            long earlierHits = before.hits() + before.staleHits();
            hits -= earlierHits;
            reads -= earlierHits + before.misses();
        }
        return reads <= 0 ? Double.NaN : (double) hits / reads;
    }

    private void advice(StringBuilder html, List<Advisor.Finding> findings) {
        html.append("<h2>What to cache</h2>");
        if (findings == null) {
            html.append("<p>No advisor configured.</p>");
            return;
        }
        if (findings.isEmpty()) {
            html.append("<p>No uncached work recorded yet.</p>");
            return;
        }
        html.append("<table id=\"advice\"><thead><tr><th>Route</th><th class=\"text\">Kind</th>")
                .append("<th class=\"text\">Work</th><th>Share</th><th>Per request</th>")
                .append("<th>Total</th>")
                .append("<th class=\"text\">Advice</th></tr>")
                .append("</thead><tbody>");
        for (Advisor.Finding f : findings) {
            html.append("<tr><td>").append(Html.escape(f.route()))
                    .append("</td><td class=\"kind\">").append(Html.escape(f.kind()))
                    .append("</td><td class=\"text\"><code>").append(Html.escape(f.name()))
                    .append("</code></td><td>").append(percent(f.shareOfRoute()))
                    .append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f×", f.perRequest())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f ms", f.totalNanos() / 1e6))
                    .append("</td><td class=\"text\">").append(Html.escape(f.advice()))
                    .append("</td></tr>");
        }
        html.append("</tbody></table>");
    }

    /** The purges of HTTP caches in front, if configured: failures show here as store errors do. */
    private static void purges(StringBuilder html, HttpPurge.Stats purges) {
        if (purges != null) {
            counters(html, "HTTP cache purges", "purges",
                    List.of("Sent", "Retried", "Failed", "Dropped", "Pending"), purges.sent(),
                    purges.retried(), purges.failed(), purges.dropped(), purges.pending());
        }
    }

    /** The page cache's warming, if shown: a failure to warm shows here. */
    private static void warming(StringBuilder html, WarmQueue.Stats warming) {
        if (warming != null) {
            counters(html, "Page warming", "warming",
                    List.of("Pages", "Warmed", "Failed", "Waiting"), warming.pages(),
                    warming.warmed(), warming.failed(), warming.waiting());
        }
    }

    /** A section of one row of counters under {@code names}. */
    private static void counters(StringBuilder html, String title, String id, List<String> names,
            long... values) {
        html.append("<h2>").append(title).append("</h2><table id=\"").append(id)
                .append("\"><thead><tr>");
        for (String name : names) {
            html.append("<th>").append(name).append("</th>");
        }
        html.append("</tr></thead><tbody><tr>");
        cells(html, values);
        html.append("</tr></tbody></table>");
    }

    private void recent(StringBuilder html, List<Invalidation> recent) {
        html.append("<h2>Recent invalidations</h2>");
        if (recent.isEmpty()) {
            html.append("<p>None since start.</p>");
            return;
        }
        html.append("<ul id=\"invalidations\">");
        for (Invalidation i : recent) {
            html.append("<li>").append(i.kind().name().toLowerCase(Locale.ROOT)).append(" <code>")
                    .append(Html.escape(i.name())).append("</code></li>");
        }
        html.append("</ul>");
    }

    private static void cells(StringBuilder html, long... values) {
        for (long v : values) {
            html.append("<td>").append(v).append("</td>");
        }
    }

    private static String count(long value) {
        return value < 0 ? "?" : Long.toString(value);
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }
}
