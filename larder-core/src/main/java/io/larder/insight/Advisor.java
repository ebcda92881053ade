package io.larder.insight;

import io.larder.Trace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * too, as the route's {@code "handler"} item, so nothing a route costs goes unseen. Cache reads
 * are not ranked, and work already cached is paid only on misses, inside a loader, and so drops
 * out of the ranking. Thread-safe; cheap enough to leave on at a low sampling rate.
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
     * Each span is charged its own time (less the spans that ran within it); the time that no
     * span covers is charged to the route's {@code "handler"} item, so that what a route costs is
     * accounted for whole.
     */
    public void record(String route, long totalNanos, List<Trace.Span> spans) {
        Route found = routes.get(route);
        if (found == null && routes.size() >= MAX_ROUTES) {
            return;
        }
        Route profile = found != null ? found : routes.computeIfAbsent(route, Route::new);
        profile.requests.increment();
        profile.nanos.add(totalNanos);
        List<Trace.Span> timed = new ArrayList<>(spans.size());
        for (Trace.Span span : spans) {
            if (!isDisabledFragment(span)) {
                timed.add(span);
            }
        }
        long[] self = selfTimes(timed);
        Map<String, long[]> perRequest = new HashMap<>();
        long covered = 0;
        for (int i = 0; i < timed.size(); i++) {
            Trace.Span span = timed.get(i);
            covered += self[i];
            if (span.inLoad() || span.kind().equals("cache")
                    || (span.kind().equals("fragment") && !span.outcome().equals("miss"))) {
                continue;
            }
            long[] sums = perRequest.computeIfAbsent(span.kind() + '\0' + span.name(),
                    k -> new long[2]);
            sums[0]++;
            sums[1] += self[i];
        }
        perRequest.put(HANDLER + '\0' + HANDLER_NAME,
                new long[] {1, Math.max(0, totalNanos - covered)});
        perRequest.forEach((id, sums) -> profile.item(id).add(sums[0], sums[1]));
    }

    /**
     * A {@code {% cache %}} block that was switched off renders as plain template code: its time
     * is its template's, not a fragment's to rank or to subtract.
     */
    private static boolean isDisabledFragment(Trace.Span span) {
        return span.kind().equals("fragment") && span.outcome().isEmpty();
    }

    /**
     * Each span's own time: its time less that of the spans that ran directly within it, so that
     * a template is not charged for the queries its lazy reads ran (they are ranked themselves).
     */
    static long[] selfTimes(List<Trace.Span> spans) {
        long[] self = new long[spans.size()];
        for (int i = 0; i < self.length; i++) {
            self[i] = spans.get(i).nanos();
        }
        for (int j = 0; j < self.length; j++) {
            Trace.Span child = spans.get(j);
            int parent = -1;
            for (int k = 0; k < self.length; k++) {
                Trace.Span candidate = spans.get(k);
                boolean outer = candidate.nanos() > child.nanos()
                        || (candidate.nanos() == child.nanos() && k > j);
                if (k != j && outer && candidate.contains(child)
                        && (parent < 0 || spans.get(parent).nanos() > candidate.nanos())) {
                    parent = k;
                }
            }
            if (parent >= 0) {
                self[parent] -= child.nanos();
            }
        }
        for (int i = 0; i < self.length; i++) {
            self[i] = Math.max(0, self[i]);
        }
        return self;
    }

    /** Forgets everything recorded. */
    public void reset() {
        routes.clear();
    }

    /** The uncached work of every route, most total time first, at most {@code limit} items. */
    public List<Finding> findings(int limit) {
        List<Finding> findings = new ArrayList<>();
        for (Route route : routes.values()) {
            long requests = route.requests.sum();
            long routeNanos = route.nanos.sum();
            route.items.forEach((id, item) -> {
                int split = id.indexOf('\0');
                findings.add(finding(route.name, id.substring(0, split), id.substring(split + 1),
                        item, requests, routeNanos));
            });
        }
        findings.sort(Comparator.comparingLong(Finding::totalNanos).reversed());
        return findings.size() <= limit ? findings : List.copyOf(findings.subList(0, limit));
    }

    private static Finding finding(String route, String kind, String name, Item item,
            long requests, long routeNanos) {
        long calls = item.calls.sum();
        long nanos = item.nanos.sum();
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
            case "db" -> {
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
            case "fragment" -> "fragment `" + name + on + " misses and renders in " + mean + " ("
                    + percent + " of the route's time): give it a longer ttl or a stale window";
            case HANDLER -> "`" + route + "`: " + percent + " of the route's time runs outside any "
                    + "timed query, template or loader (handler code, ORM session work, "
                    + "serialization): time its parts with Trace.record to name them, or, if every "
                    + "anonymous visitor gets the same page, cache the whole page (Page in "
                    + "larder-javalin)";
            case "template" -> "template `" + name + "` renders in " + mean + " on `" + route
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
