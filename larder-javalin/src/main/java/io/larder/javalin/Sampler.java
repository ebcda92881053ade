package io.larder.javalin;

import io.larder.Larder;
import io.larder.RegionStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The dashboard's memory: a ring buffer of snapshots (every region's counters, and per route the
 * latency percentiles of the requests since the previous snapshot). Thread-safe.
 */
final class Sampler {
    static final int MAX_ROUTES = 200;
    private static final int RESERVOIR = 512;

    private final Larder larder;
    private final String ownPath;
    private final Snapshot[] ring;
    private int next;
    private int size;
    private volatile ConcurrentMap<String, Reservoir> routes = new ConcurrentHashMap<>();
    private volatile Counts counts = new Counts();

    Sampler(Larder larder, String ownPath, int capacity) {
        this.larder = larder;
        this.ownPath = ownPath;
        this.ring = new Snapshot[capacity];
    }

    /** Records one request's latency and whether the page cache served it. */
    void record(RequestTiming timing) {
        if (timing.route().equals(ownPath) || timing.route().startsWith(ownPath + "/")) {
            return;
        }
        Counts now = counts;
        if (timing.page().equals("hit") || timing.page().equals("stale")) {
            now.cached.increment();
        } else {
            now.uncached.increment();
        }
        ConcurrentMap<String, Reservoir> current = routes;
        Reservoir reservoir = current.get(timing.route());
        if (reservoir == null) {
            if (current.size() >= MAX_ROUTES) {
                return;
            }
            reservoir = current.computeIfAbsent(timing.route(), k -> new Reservoir());
        }
        reservoir.add(timing.nanos());
    }

    /** Takes a snapshot now and keeps it, dropping the oldest when full. */
    synchronized Snapshot sample(Instant at) {
        ConcurrentMap<String, Reservoir> taken = routes;
        routes = new ConcurrentHashMap<>();
        Counts done = counts;
        counts = new Counts();
        Map<String, Latency> latencies = new TreeMap<>();
        taken.forEach((route, reservoir) -> latencies.put(route, reservoir.latency()));
        Snapshot snapshot = new Snapshot(at, larder.stats(), latencies, done.cached.sum(),
                done.uncached.sum());
        ring[next] = snapshot;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
        return snapshot;
    }

    /** The snapshots kept, oldest first. */
    synchronized List<Snapshot> history() {
        List<Snapshot> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(ring[(next - size + i + ring.length) % ring.length]);
        }
        return list;
    }

    /**
     * Everything known at one moment.
     *
     * @param at when it was taken
     * @param regions every region's counters since start
     * @param routes per route, the latency of the requests since the previous snapshot
     * @param cached requests the page cache served (hit or stale) since the previous snapshot
     * @param uncached other requests since the previous snapshot
     */
    record Snapshot(Instant at, Map<String, RegionStats> regions, Map<String, Latency> routes,
            long cached, long uncached) { }

    /**
     * Latency percentiles of one route over one interval, in milliseconds.
     *
     * @param requests requests seen in the interval
     * @param p50 the median
     * @param p95 the 95th percentile
     * @param p99 the 99th percentile
     */
    record Latency(long requests, double p50, double p95, double p99) { }

    private static final class Counts {
        final LongAdder cached = new LongAdder();
        final LongAdder uncached = new LongAdder();
    }

    /** A uniform sample of at most {@value #RESERVOIR} latencies (Vitter's algorithm R). */
    private static final class Reservoir {
        private final long[] values = new long[RESERVOIR];
        private long seen;

        synchronized void add(long nanos) {
            if (seen < RESERVOIR) {
                values[(int) seen] = nanos;
            } else {
                long slot = ThreadLocalRandom.current().nextLong(seen + 1);
                if (slot < RESERVOIR) {
                    values[(int) slot] = nanos;
                }
            }
            seen++;
        }

        synchronized Latency latency() {
            long[] sorted = Arrays.copyOf(values, (int) Math.min(seen, RESERVOIR));
            Arrays.sort(sorted);
            return new Latency(seen, millis(sorted, 0.50), millis(sorted, 0.95),
                    millis(sorted, 0.99));
        }

        private static double millis(long[] sorted, double quantile) {
            if (sorted.length == 0) {
                return 0;
            }
            int index = (int) Math.ceil(quantile * sorted.length) - 1;
            return sorted[Math.max(0, index)] / 1e6;
        }
    }
}
