package io.larder.javalin;

import io.larder.Larder;
import io.larder.RegionStats;
import io.larder.http.HttpPurge;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters for Larder: per region {@code larder.cache.gets} (result hit, stale, miss),
 * {@code larder.cache.loads} (a timer of loader runs), {@code larder.cache.load.failures},
 * {@code larder.cache.store.errors}, {@code larder.cache.evictions}, {@code larder.cache.entries}
 * and {@code larder.cache.bytes}; and, as a {@link LarderPlugin.Config#onRequest request
 * listener}, the timer {@code larder.http.requests} by route, method, status and page outcome.
 *
 * <pre>{@code
 * LarderMetrics metrics = new LarderMetrics(larder);
 * metrics.bindTo(registry);
 * new LarderPlugin(cfg -> cfg.larder(larder).onRequest(metrics));
 * }</pre>
 *
 * <p>Regions that appear after binding are added when a request is recorded (at most once a
 * second). Stats are read from {@link Larder#stats()} at most once a second.
 */
public final class LarderMetrics implements MeterBinder, Consumer<RequestTiming> {
    private final Larder larder;
    private final long snapshotNanos;
    private final Set<String> bound = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;
    private volatile HttpPurge purge;
    private volatile Map<String, RegionStats> snapshot = Map.of();
    private volatile long snapshotAt;
    private volatile long checkedRegionsAt = System.nanoTime();

    /** Meters for {@code larder}'s regions. */
    public LarderMetrics(Larder larder) {
        this(larder, Duration.ofSeconds(1));
    }

    /** Meters that read {@code larder}'s stats at most once per {@code snapshotEvery}. */
    LarderMetrics(Larder larder, Duration snapshotEvery) {
        this.larder = Objects.requireNonNull(larder, "larder");
        this.snapshotNanos = snapshotEvery.toNanos();
        this.snapshotAt = System.nanoTime() - snapshotNanos - 1;
    }

    /**
     * Also meters {@code purge} once bound: {@code larder.http.purges} by result (sent,
     * retried, failed, dropped) and the gauge {@code larder.http.purges.pending}; returns this.
     */
    public LarderMetrics purge(HttpPurge purge) {
        this.purge = Objects.requireNonNull(purge, "purge");
        return this;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        stats().keySet().forEach(this::bindRegion);
        HttpPurge p = purge;
        if (p != null) {
            Map.<String, ToLongFunction<HttpPurge.Stats>>of("sent", HttpPurge.Stats::sent,
                    "retried", HttpPurge.Stats::retried, "failed", HttpPurge.Stats::failed,
                    "dropped", HttpPurge.Stats::dropped).forEach((result, value) ->
                    FunctionCounter.builder("larder.http.purges", p,
                            x -> value.applyAsLong(x.stats())).tags("result", result)
                            .description("purge requests to HTTP caches, tags dropped")
                            .register(registry));
            Gauge.builder("larder.http.purges.pending", p, x -> x.stats().pending())
                    .register(registry);
        }
    }

    /** Records one request in {@code larder.http.requests}. */
    @Override
    public void accept(RequestTiming timing) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        Timer.builder("larder.http.requests")
                .description("HTTP requests by route and page-cache outcome")
                .tags("route", timing.route(), "method", timing.method(),
                        "status", Integer.toString(timing.status()), "page", timing.page())
                .register(r)
                .record(timing.nanos(), TimeUnit.NANOSECONDS);
        long now = System.nanoTime();
        if (now - checkedRegionsAt > snapshotNanos) {
            checkedRegionsAt = now;
            stats().keySet().forEach(this::bindRegion);
        }
    }

    private void bindRegion(String region) {
        if (!bound.add(region)) {
            return;
        }
        MeterRegistry r = registry;
        Tags tags = Tags.of("region", region);
        counter(r, "larder.cache.gets", tags.and("result", "hit"), region, RegionStats::hits);
        counter(r, "larder.cache.gets", tags.and("result", "stale"), region,
                RegionStats::staleHits);
        counter(r, "larder.cache.gets", tags.and("result", "miss"), region, RegionStats::misses);
        counter(r, "larder.cache.load.failures", tags, region, RegionStats::loadFailures);
        counter(r, "larder.cache.store.errors", tags, region, RegionStats::storeErrors);
        counter(r, "larder.cache.evictions", tags, region, RegionStats::evictions);
        FunctionTimer.builder("larder.cache.loads", this,
                        m -> m.stat(region, RegionStats::loads),
                        m -> m.stat(region, RegionStats::loadNanos), TimeUnit.NANOSECONDS)
                .description("loader runs, including background refreshes")
                .tags(tags).register(r);
        gauge(r, "larder.cache.entries", tags, region, RegionStats::entries);
        gauge(r, "larder.cache.bytes", tags, region, RegionStats::bytes);
    }

    private void counter(MeterRegistry r, String name, Tags tags, String region,
            ToLongFunction<RegionStats> value) {
        FunctionCounter.builder(name, this, m -> m.stat(region, value)).tags(tags).register(r);
    }

    private void gauge(MeterRegistry r, String name, Tags tags, String region,
            ToLongFunction<RegionStats> value) {
        ToDoubleFunction<LarderMetrics> f = m -> {
            long v = m.stat(region, value);
            return v < 0 ? Double.NaN : v;
        };
        Gauge.builder(name, this, f).tags(tags).register(r);
    }

    private long stat(String region, ToLongFunction<RegionStats> value) {
        RegionStats stats = stats().get(region);
        return stats == null ? 0 : value.applyAsLong(stats);
    }

    private Map<String, RegionStats> stats() {
        long now = System.nanoTime();
        if (now - snapshotAt > snapshotNanos) {
            snapshot = larder.stats();
            snapshotAt = now;
        }
        return snapshot;
    }
}
