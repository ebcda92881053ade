package io.larder.spring.boot.autoconfigure;

import io.larder.Larder;
import io.larder.RegionStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters per Larder region, tagged {@code region}: {@code larder.gets} (tag
 * {@code result}: hit, stale, miss), {@code larder.loads}, {@code larder.load.failures},
 * {@code larder.load.time} (seconds), {@code larder.store.errors}, {@code larder.evictions}, and
 * the gauges {@code larder.entries} and {@code larder.bytes} (-1 where the store cannot tell).
 * Bound for the regions known when the registry binds it: the configured ones
 * ({@code larder.regions.*}) and the caches made by then.
 */
public class LarderMeterBinder implements MeterBinder {
    private final Larder larder;
    private final Set<String> regions;

    /** Meters for {@code regions} and every region {@code larder} knows at bind time. */
    public LarderMeterBinder(Larder larder, Set<String> regions) {
        this.larder = larder;
        this.regions = Set.copyOf(regions);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Set<String> all = new TreeSet<>(regions);
        all.addAll(larder.stats().keySet());
        for (String region : all) {
            larder.region(region); // known from now on, so that its stats exist
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

    private double value(String region, ToDoubleFunction<RegionStats> read) {
        RegionStats stats = larder.stats().get(region);
        return stats == null ? 0 : read.applyAsDouble(stats);
    }
}
