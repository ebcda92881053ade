package io.larder.insight;

import io.larder.Outcome;
import io.larder.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Says what to cache. It takes the {@link Trace} of sampled requests, per route, and ranks the
 * work that ran outside any cache loader (database queries with the reading of their rows,
 * template renders, fragment misses, and any other span the application records, such as a
 * {@code "data"} read or a Markdown {@code "render"}) by the total of its own time (less the work
 * that ran within it) across requests, with advice for each. The time no span covers is ranked
 * too, as the route's {@code "handler"} item, so nothing a route costs goes unseen; no instant
 * is charged twice, so the shares of a route never sum past 1. Cache reads are not ranked, and
 * work already cached is paid only on misses, inside a loader, and so drops out of the ranking.
 * Thread-safe; cheap enough to leave on at a low sampling rate.
 *
 * <pre>{@code
 * try (Trace trace = Trace.begin()) {
 *     long start = System.nanoTime();
 *     handle(request);
 *     if (advisor.sample()) {
 *         advisor.record("/posts/{id}", System.nanoTime() - start, trace.spans());
 *     }
 * }
 * advisor.findings(10).forEach(f -> System.out.println(f.advice()));
 * }</pre>
 */
public final class Advisor {
    private static final int MAX_ROUTES = 500;
    private static final int MAX_ITEMS_PER_ROUTE = 300;
    /** The kind of a route's time that no span covers: its handler's own code. */
    static final String HANDLER = "handler";
    private static final String HANDLER_NAME = "outside any span";
    /** The share of its route under which the handler item is not worth a finding. */
    private static final double MIN_HANDLER_SHARE = 0.01;

    private final double sampleRate;
    private final ConcurrentMap<String, Route> routes = new ConcurrentHashMap<>();

    private Advisor(double sampleRate) {
        if (!(sampleRate > 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("sampleRate must be in (0, 1], was " + sampleRate);
        }
        this.sampleRate = sampleRate;
    }

    /** An advisor that records the given share of requests (1 records all). */
    public static Advisor sampling(double sampleRate) {
        return new Advisor(sampleRate);
    }

    /** Whether to trace this request; call once per request. */
    public boolean sample() {
        return sampleRate >= 1 || ThreadLocalRandom.current().nextDouble() < sampleRate;
    }

    /**
     * Records one request of {@code route} that took {@code totalNanos} and did {@code spans}.
     * Each instant of the request is charged once: to the innermost span running then (the
     * shortest), or, where none runs, to the route's {@code "handler"} item; time a span reports
     * outside the request is not charged. So what a route costs is accounted for whole, and its
     * shares never sum past 1, however spans overlap, come late or come from other threads.
     */
    public void record(String route, long totalNanos, List<Trace.Span> spans) {
        Route found = routes.get(route);
        if (found == null && routes.size() >= MAX_ROUTES) {
            return;
        }
        Route profile = found != null ? found : routes.computeIfAbsent(route, Route::new);
        long total = Math.max(0, totalNanos);
        List<Trace.Span> timed = new ArrayList<>(spans.size());
        for (Trace.Span span : spans) {
            if (!isDisabledFragment(span)) {
                timed.add(span);
            }
        }
        long[] self = selfTimes(timed, total);
        Map<String, long[]> perRequest = new HashMap<>();
        long covered = 0;
        for (int i = 0; i < timed.size(); i++) {
            Trace.Span span = timed.get(i);
            covered += self[i];
            if (span.inLoad() || span.kind().equals(Trace.CACHE)
                    || (span.kind().equals(Trace.FRAGMENT)
                            && !span.outcome().equals(Outcome.LOADED.traceName()))) {
                continue;
            }
            long[] sums = perRequest.computeIfAbsent(span.kind() + '\0' + span.name(),
                    k -> new long[2]);
            sums[0]++;
            sums[1] += self[i];
        }
        perRequest.put(HANDLER + '\0' + HANDLER_NAME, new long[] {1, total - covered});
        // The route's totals first, its items after: findings() reads them the other way round,
        // so that a record it overlaps can only lower the shares it computes.
        profile.requests.increment();
        profile.nanos.add(total);
        perRequest.forEach((id, sums) -> profile.item(id).add(sums[0], sums[1]));
    }

    /**
     * A {@code {% cache %}} block that was switched off renders as plain template code: its time
     * is its template's, not a fragment's to rank or to subtract.
     */
    private static boolean isDisabledFragment(Trace.Span span) {
        return span.kind().equals(Trace.FRAGMENT) && span.outcome().isEmpty();
    }

    /**
     * Each span's own time within {@code [0, totalNanos]}: every instant goes to the shortest
     * span running then, so that a template is not charged for the queries its lazy reads ran
     * (they are ranked themselves), and no instant is charged twice. For spans that nest, as one
     * thread records them, that is a span's time less that of the spans directly within it; for
     * spans that overlap without nesting (one recorded a moment late, one from another thread),
     * the time they share goes to one of them. Two spans of one length and place: the one
     * recorded first (the inner one, which ended first) is charged.
     */
    static long[] selfTimes(List<Trace.Span> spans, long totalNanos) {
        int n = spans.size();
        long[] self = new long[n];
        long[] start = new long[n];
        long[] end = new long[n];
        long[] nanos = new long[n];
        long[] points = new long[2 * n];
        List<Integer> byStart = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Trace.Span span = spans.get(i);
            start[i] = Math.min(Math.max(0, span.startNanos()), totalNanos);
            end[i] = Math.min(Math.max(start[i], span.endNanos()), totalNanos);
            nanos[i] = span.nanos();
            points[2 * i] = start[i];
            points[2 * i + 1] = end[i];
            byStart.add(i);
        }
        byStart.sort(Comparator.comparingLong(i -> start[i]));
        Arrays.sort(points);
        PriorityQueue<Integer> running = new PriorityQueue<>(
                Comparator.<Integer>comparingLong(i -> nanos[i]).thenComparingInt(i -> i));
        int next = 0;
        for (int p = 0; p + 1 < points.length; p++) {
            long from = points[p];
            long to = points[p + 1];
            if (from == to) {
                continue;
            }
            while (next < n && start[byStart.get(next)] <= from) {
                running.add(byStart.get(next++));
            }
            while (!running.isEmpty() && end[running.peek()] <= from) {
                running.poll(); // ended: spans that ended deeper down go when they surface
            }
            if (!running.isEmpty()) {
                self[running.peek()] += to - from;
            }
        }
        return self;
    }

    /** Forgets everything recorded. */
    public void reset() {
        routes.clear();
    }

    /**
     * The uncached work of every route, most total time first, at most {@code limit} items. A
     * route's handler item is left out while it is under 1 % of the route's time: there is
     * nothing there to name or to cache.
     */
    public List<Finding> findings(int limit) {
        List<Finding> findings = new ArrayList<>();
        for (Route route : routes.values()) {
            Map<String, long[]> items = new HashMap<>();
            route.items.forEach((id, item) -> items.put(id,
                    new long[] {item.calls.sum(), item.nanos.sum()}));
            long requests = route.requests.sum(); // after the items: see record
            long routeNanos = route.nanos.sum();
            items.forEach((id, sums) -> {
                int split = id.indexOf('\0');
                Finding finding = finding(route.name, id.substring(0, split),
                        id.substring(split + 1), sums[0], sums[1], requests, routeNanos);
                boolean handler = finding.kind().equals(HANDLER);
                if (!handler || finding.shareOfRoute() >= MIN_HANDLER_SHARE) {
                    findings.add(finding);
                }
            });
        }
        findings.sort(Comparator.comparingLong(Finding::totalNanos).reversed());
        return findings.size() <= limit ? findings : List.copyOf(findings.subList(0, limit));
    }

    private static Finding finding(String route, String kind, String name, long calls,
            long nanos, long requests, long routeNanos) {
        double share = routeNanos == 0 ? 0 : (double) nanos / routeNanos;
        double perRequest = requests == 0 ? 0 : (double) calls / requests;
        double meanMillis = calls == 0 ? 0 : nanos / 1e6 / calls;
        return new Finding(route, kind, name, requests, calls, nanos, share, perRequest,
                advice(route, kind, name, share, perRequest, meanMillis));
    }

    private static String advice(String route, String kind, String name, double share,
            double perRequest, double meanMillis) {
        String percent = String.format(Locale.ROOT, "%.0f%%", share * 100);
        String times = String.format(Locale.ROOT, "%.1f", perRequest);
        String mean = String.format(Locale.ROOT, "%.2f ms", meanMillis);
        String on = "` on `" + route + "`";
        return switch (kind) {
            case Trace.DB -> {
                Set<String> tables = SqlShape.tables(name);
                String region = (tables.isEmpty() ? "query" : tables.iterator().next())
                        + "-queries";
                String tags = quoteAll(tables);
                yield "query `" + name + on + ": " + percent + " of the route's time, called "
                        + times + "× per request (" + mean + " each, rows read included); cache "
                        + "its result in region `" + region + "` tagged " + tags
                        + ": larder.get(Key.of(\"" + region + "\", ...), type, Options.tags("
                        + tags + "), loader)";
            }
            case Trace.FRAGMENT -> "fragment `" + name + on + " misses and renders in " + mean + " ("
                    + percent + " of the route's time): give it a longer ttl or a stale window";
            case HANDLER -> "`" + route + "`: " + percent + " of the route's time runs outside any "
                    + "timed query, template or loader (handler code, ORM session work, "
                    + "serialization): time its parts with Trace.record to name them, or, if every "
                    + "anonymous visitor gets the same page, cache the whole page (Page in "
                    + "larder-javalin)";
            case Trace.TEMPLATE -> "template `" + name + "` renders in " + mean + " on `" + route
                    + "` (" + percent + " of the route's time, its queries and data reads apart): "
                    + "wrap the parts that are the same for every visitor in {% cache %}";
            default -> kind + " `" + name + on + ": " + percent + " of the route's time (what ran "
                    + "within it apart), run " + times + "× per request (" + mean + " each): cache "
                    + "its result, larder.get(Key.of(\"" + name + "\", ...), type, loader), or the "
                    + "{% cache %} fragment that shows it";
        };
    }

    private static String quoteAll(Set<String> tables) {
        List<String> quoted = new ArrayList<>();
        tables.forEach(t -> quoted.add('"' + t + '"'));
        return String.join(", ", quoted);
    }

    private static final class Route {
        final String name;
        final LongAdder requests = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final ConcurrentMap<String, Item> items = new ConcurrentHashMap<>();

        Route(String name) {
            this.name = name;
        }

        Item item(String id) {
            Item item = items.get(id);
            if (item == null) {
                if (items.size() >= MAX_ITEMS_PER_ROUTE) {
                    return new Item(); // counted nowhere: the route has too many distinct items
                }
                item = items.computeIfAbsent(id, k -> new Item());
            }
            return item;
        }
    }

    private static final class Item {
        final LongAdder calls = new LongAdder();
        final LongAdder nanos = new LongAdder();

        void add(long count, long time) {
            calls.add(count);
            nanos.add(time);
        }
    }

    /**
     * One piece of uncached work on one route.
     *
     * @param route the route, as the web integration names it
     * @param kind {@code "db"}, {@code "template"}, {@code "fragment"}, a kind the application
     *     records ({@code "data"}, {@code "render"}...), or {@code "handler"} for the route's time
     *     outside any span
     * @param name the query shape, template, fragment or render name
     * @param requests sampled requests of the route
     * @param calls times the work ran in them
     * @param totalNanos time it took in them, in all
     * @param shareOfRoute its time over the route's total time
     * @param perRequest calls per request
     * @param advice what to do about it, in one sentence
     */
    public record Finding(String route, String kind, String name, long requests, long calls,
            long totalNanos, double shareOfRoute, double perRequest, String advice) { }
}
