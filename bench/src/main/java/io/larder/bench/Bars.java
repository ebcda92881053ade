package io.larder.bench;

import io.larder.bench.Report.FirstHit;
import io.larder.bench.Report.Row;
import io.larder.bench.ReportWriter.Bar;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bars, computed from a run: each figure, its aim, PASS or SHORT, and where short
 * why (from what the run measured) and what would close it. They are targets shown in the
 * report, not assertions.
 */
final class Bars {
    private Bars() {
    }

    static List<Bar> of(Report.Run run) {
        List<Bar> bars = new ArrayList<>();
        for (String db : new String[] {"h2", "pg"}) {
            String name = db.equals("h2") ? "H2" : "PostgreSQL";
            Row page = run.row(db + ".page_file");
            Row memory = run.row(db + ".page_memory");
            Row constant = run.row(db + ".constant");
            Row besideFile = run.row(db + ".constant_file");
            Row tiered = run.row(db + ".page_tiered");
            Row besideTiered = run.row(db + ".constant_tiered");
            Row orm = run.row(db + ".off_orm");
            if (page == null && db.equals("pg")) {
                continue;
            }
            double memoryPerConstant = per(memory, constant);
            bars.add(new Bar(db + ".page_memory_per_constant_bytes", "page cache (memory store)"
                    + " req/s ÷ constant-bytes route req/s, " + name, memoryPerConstant, "≥ 0.9",
                    memoryPerConstant >= 0.9, "a page-cache hit does more than write a constant"
                    + " array: it builds the key from the path and language, reads the entry,"
                    + " checks its tag generations and sets ETag and Server-Timing; the load"
                    + " generator shares the 2 cores with the server, so any CPU per hit shows."
                    + " What would close it: fewer steps per hit (one lookup for key, entry and"
                    + " tag check; precomputed headers), measured with more cores than the"
                    + " load generator needs."));
            double tieredPerConstant = per(tiered, besideTiered);
            bars.add(new Bar(db + ".page_tiered_per_constant_bytes", "page cache (memory over"
                    + " file store, `--store tiered`) req/s ÷ constant-bytes route req/s, " + name,
                    tieredPerConstant, "≥ 0.9", tieredPerConstant >= 0.9, "a hit is served by"
                    + " the memory tier after checking the file store's tag generations; see"
                    + " the memory-store row for what else a hit does."));
            double perConstant = per(page, besideFile);
            bars.add(new Bar(db + ".page_file_per_constant_bytes", "page cache (file store)"
                    + " req/s ÷ constant-bytes route req/s, " + name, perConstant, "≥ 0.9",
                    perConstant >= 0.9, String.format(Locale.ROOT, "every hit of the file store"
                    + " opens and reads a file and checks the entry's HMAC-SHA256 over the whole"
                    + " page (the memory store reached %.2f of the constant route); the load"
                    + " generator shares the 2 cores with the server, so that CPU per hit shows."
                    + " What closes it: a memory near cache in front of the file store"
                    + " (`--store tiered`: %.2f of the constant route in this run).",
                    memoryPerConstant, tieredPerConstant)));
            double filePerMemory = perConstant / memoryPerConstant;
            bars.add(new Bar(db + ".page_file_per_page_memory", "page cache (file store) ÷ page"
                    + " cache (memory store), each req/s ÷ its constant-bytes slices, " + name,
                    filePerMemory, "≥ 0.8 (issue 18)", filePerMemory >= 0.8,
                    "both are answered again without a read while the store vouches for the page"
                    + " last read (`Larder.hitAgain`): the memory store from memory, the file store"
                    + " with one stat of the page's file while its memo of trusted files keeps the"
                    + " page's bytes; that stat (Java's `unix:` attributes, some 1.3 µs of CPU) is"
                    + " what the memory store does not pay."));
            double perOrm = per(tiered, orm);
            bars.add(new Bar(db + ".page_per_uncached_orm", "page cache (the blog's default"
                    + " store, memory over file) req/s ÷ uncached ORM req/s, " + name, perOrm,
                    "≥ 50 (the original: 5)", perOrm >= 50,
                    String.format(Locale.ROOT, "the uncached ORM page is fast here (p50 %.2f ms):"
                    + " %s; the ratio is bounded by the page-cache ceiling on 2 shared cores"
                    + " (%.0f req/s). On a real database over a network, or with more cores for"
                    + " the hits, it grows.", orm == null ? Double.NaN : orm.result().millis(50),
                    db.equals("h2") ? "H2 runs inside the blog's JVM (no network) and reuses"
                    + " results of identical queries while no table changes"
                    : "PostgreSQL on loopback with a warm buffer cache",
                    tiered == null ? Double.NaN : tiered.result().perSecond())));
        }
        Report.Expiry e = run.expiry;
        double p99 = e == null ? Double.NaN : e.moving().millis(99) / e.still().millis(99);
        bars.add(new Bar("expiry_p99_per_warm_p99", "p99 during expiry ÷ warm p99", p99,
                "≤ 1.5", p99 <= 1.5, e == null ? "not measured" : String.format(Locale.ROOT,
                "each expiry starts one background re-render (%d in %d s): a full ORM render"
                + " on the same 2 cores as the visitors, so their tail grows while it runs"
                + " (visitors who waited for one: %d). What would close it: spread refreshes"
                + " (TTL jitter), cap their rate as the warmer does, or more cores.",
                e.renders(), e.moving().seconds() > 0 ? Math.round(e.moving().seconds()) : 0,
                e.waited())));
        double loads = e == null ? Double.NaN : e.loadsPerExpiry();
        bars.add(new Bar("loads_per_expiry_per_key", "database loads per expiry per key", loads,
                "= 1", loads >= 0.9 && loads <= 1.1, e == null ? "not measured" : loads > 1.1
                ? "more than one render per expiry: concurrent stale hits each started a refresh"
                + " (a stampede), which the single-flight refresh should prevent."
                : "fewer renders than expiries counted: an expiry is a run of stale answers"
                + " seen by the visitors, and a refresh slower than half a TTL splits one run in"
                + " two; the renders, counted by the server, are exact."));
        FirstHit warmed = run.firstHits.stream().filter(h -> h.name().endsWith("memory_warmed"))
                .findFirst().orElse(null);
        double first = warmed == null ? Double.NaN : warmed.ttfbMillis() / warmed.warmP50Millis();
        bars.add(new Bar("first_hit_warmed_per_warm_p50", "first hit after restart, warmed ÷"
                + " warm p50", first, "≤ 2", first <= 2, warmed == null ? "not measured"
                : String.format(Locale.ROOT, "the first request after a start (%.2f ms; the"
                + " next 20 took %.2f ms at the median, %.2f ms once warm) opens a connection,"
                + " which a warm server also pays: Jetty hands a new connection from thread to"
                + " thread (acceptor, selector, pool, selector) before it reads it, and a bare"
                + " Jetty handler's first request on a new connection takes about 3 times its"
                + " second, nginx's 1.0-1.3 times (Peers, second table; Larder's equals bare"
                + " Jetty's there). It also meets code that warming's warm-up requests (2,000 in"
                + " memory and over the socket) ran but the JIT has not all compiled yet; no"
                + " class loads during it. What would close it: a server that accepts on the"
                + " thread that reads, and a compiled hit path at start (CRaC, or a JIT cache:"
                + " JDK 25's AOT cache with the warm-up took it to 4-12 times in ColdStart); the"
                + " next bar holds it to a warm new connection's first request.",
                warmed.ttfbMillis(), warmed.nextP50Millis(), warmed.warmP50Millis())));
        double opened = warmed == null ? Double.NaN
                : warmed.ttfbMillis() / warmed.warmNewP50Millis();
        bars.add(new Bar("first_hit_warmed_per_warm_new_connection", "first hit after restart,"
                + " warmed ÷ a warm server's first request on a new connection", opened, "≤ 2",
                opened <= 2, warmed == null ? "not measured" : String.format(Locale.ROOT,
                "the restarted server's first request (%.2f ms) against the same request on a"
                + " new connection to the warm server (%.2f ms): what the restart itself costs;"
                + " the rest is the JIT still compiling the hit path (ColdStart measures a JDK"
                + " 25 AOT cache, which keeps method profiles from a training run).",
                warmed.ttfbMillis(), warmed.warmNewP50Millis())));
        micro(bars, run, "memory_store_hit_per_caffeine_hit", "memory store hit ÷ raw Caffeine"
                + " (throughput)", "≥ 0.8", true, 0.8, "the memory store checks each entry's"
                + " expiry and tag generations on top of Caffeine's lookup");
        for (String size : new String[] {"1024", "65536"}) {
            micro(bars, run, "file_store_hit_per_read_all_bytes." + size, "file store hit ÷"
                    + " Files.readAllBytes, " + Integer.parseInt(size) / 1024 + " KB", "≤ 1.5",
                    false, 1.5, "a file is verified (HMAC-SHA256 over the whole payload) once;"
                    + " while it is unchanged (one stat) its bytes come from the store's memo"
                    + " (DiskStore.Builder.memoBytes, 16 MiB by default) and are parsed again;"
                    + " files larger than the memo are read and verified on every hit");
        }
        micro(bars, run, "redis_store_hit_per_lettuce_get", "Redis store hit ÷ raw Lettuce GET",
                "≤ 1.2", false, 1.2, "the store verifies checksum and HMAC of the value after"
                + " the round trip; on a loaded machine the round trip varies more than this");
        return bars;
    }

    private static void micro(List<Bar> bars, Report.Run run, String name, String label,
            String aim, boolean atLeast, double target, String why) {
        Double v = run.micro.get(name);
        double value = v == null ? Double.NaN : v;
        boolean pass = atLeast ? value >= target : value <= target;
        bars.add(new Bar(name, label, value, aim, pass, v == null
                ? "not measured (run without --no-jmh; Redis needs redis-server)" : why + ". The"
                + " report's JMH settings are short (one fork, 1 s iterations) and noisy on a"
                + " shared machine: confirm with --jmh-seconds 5 --jmh-iterations 5, or the JMH"
                + " commands in bench/README.md."));
    }

    private static double per(Row a, Row b) {
        return a == null || b == null || b.result().perSecond() == 0 ? Double.NaN
                : a.result().perSecond() / b.result().perSecond();
    }
}
