package io.larder.spring.boot.autoconfigure;

import io.larder.Larder;
import io.larder.RegionStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters per Larder region, tagged {@code region}: {@code larder.gets} (tag
 * {@code result}: hit, stale, miss), {@code larder.loads}, {@code larder.load.failures},
 * {@code larder.load.time} (seconds), {@code larder.store.errors}, {@code larder.evictions}, and
 * the gauges {@code larder.entries} and {@code larder.bytes} (-1 where the store cannot tell),
 * and {@code larder.regions}, the number of regions.
 * Bound for the regions known when the registry binds it (the configured ones,
 * {@code larder.regions.*}, and the caches made by then), and for every region that appears later
 * (a {@code @Cacheable} cache first used after start-up): whenever one of these meters is read
 * (a scrape, a publish), regions new since the last read get their meters, which the next read
 * shows.
 */
public class LarderMeterBinder implements MeterBinder {
    private final Larder larder;
    private final Set<String> regions;
    private final Map<MeterRegistry, Set<String>> bound = new ConcurrentHashMap<>();
    private volatile int known;

    /** Meters for {@code regions} and every region {@code larder} knows at bind time. */
    public LarderMeterBinder(Larder larder, Set<String> regions) {
        this.larder = larder;
        this.regions = Set.copyOf(regions);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        bound.putIfAbsent(registry, ConcurrentHashMap.newKeySet());
        // Read at every scrape even before any region exists, so that later regions get meters.
        Gauge.builder("larder.regions", this, b -> b.regionCount()).register(registry);
        for (String region : regions) {
            larder.region(region); // known from now on, so that its stats exist
        }
        Set<String> all = new TreeSet<>(regions);
        all.addAll(larder.stats().keySet());
        bindNew(all);
    }

    /** Binds the meters of the regions in {@code all} that a registry has none for yet. */
    private synchronized void bindNew(Set<String> all) {
        bound.forEach((registry, done) -> {
            for (String region : all) {
                if (done.add(region)) {
                    bind(registry, region);
                }
            }
        });
        known = all.size();
    }

    private void bind(MeterRegistry registry, String region) {
        counter(registry, "larder.gets", region, "result", "hit", RegionStats::hits);
        counter(registry, "larder.gets", region, "result", "stale", RegionStats::staleHits);
        counter(registry, "larder.gets", region, "result", "miss", RegionStats::misses);
        counter(registry, "larder.loads", region, null, null, RegionStats::loads);
        counter(registry, "larder.load.failures", region, null, null,
                RegionStats::loadFailures);
        counter(registry, "larder.load.time", region, null, null,
                s -> s.loadNanos() / (double) TimeUnit.SECONDS.toNanos(1));
        counter(registry, "larder.store.errors", region, null, null,
                RegionStats::storeErrors);
        counter(registry, "larder.evictions", region, null, null, RegionStats::evictions);
        Gauge.builder("larder.entries", this, b -> b.value(region, RegionStats::entries))
                .tag("region", region).register(registry);
        Gauge.builder("larder.bytes", this, b -> b.value(region, RegionStats::bytes))
                .tag("region", region).baseUnit("bytes").register(registry);
    }

    private void counter(MeterRegistry registry, String name, String region, String tag,
            String tagValue, ToDoubleFunction<RegionStats> read) {
        FunctionCounter.Builder<LarderMeterBinder> builder =
                FunctionCounter.builder(name, this, b -> b.value(region, read))
                        .tag("region", region);
        if (tag != null) {
            builder.tag(tag, tagValue);
        }
        builder.register(registry);
    }

    private double regionCount() {
        Map<String, RegionStats> all = larder.stats();
        if (all.size() != known) {
            bindNew(all.keySet());
        }
        return all.size();
    }

    private double value(String region, ToDoubleFunction<RegionStats> read) {
        Map<String, RegionStats> all = larder.stats();
        if (all.size() != known) { // regions are only ever added
            bindNew(all.keySet());
        }
        RegionStats stats = all.get(region);
        return stats == null ? 0 : read.applyAsDouble(stats);
    }
}
