package io.larder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** A region's settings and counters, as the engine uses them. */
final class RegionState {
    /** The tag every entry of a region carries, so that a region is invalidated like a tag. */
    static final String REGION_TAG_PREFIX = "@region:";
    /** The tag whose generation moves with every invalidation. */
    static final String ANY_TAG = "@any";
    /**
     * The first tag of an entry that records a key a bulk loader did not return: the key is
     * known to be absent (never moved, so only the other tags invalidate it).
     */
    static final String ABSENT_TAG = "@absent";

    /** The settings; replaced whole when the region is configured again. */
    volatile Region region;
    volatile List<String> baseTags;
    final LongAdder hits = new LongAdder();
    final LongAdder staleHits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder loads = new LongAdder();
    final LongAdder loadFailures = new LongAdder();
    final LongAdder loadNanos = new LongAdder();
    final LongAdder storeErrors = new LongAdder();

    RegionState(Region region) {
        configure(region);
    }

    /** Takes new settings; the counters go on. */
    void configure(Region region) {
        List<String> tags = new ArrayList<>();
        tags.add(regionTag(region.name()));
        tags.addAll(region.tags());
        this.baseTags = List.copyOf(tags);
        this.region = region;
    }

    static String regionTag(String region) {
        return REGION_TAG_PREFIX + region;
    }

    /** The tags declared for an entry: the region's, then the call's. */
    List<String> declaredTags(Options options) {
        List<String> base = baseTags;
        if (options.tags().isEmpty()) {
            return base;
        }
        List<String> tags = new ArrayList<>(base);
        for (String tag : options.tags()) {
            if (!tags.contains(tag)) {
                tags.add(tag);
            }
        }
        return tags;
    }

    RegionStats snapshot(io.larder.spi.Store.Usage usage) {
        return new RegionStats(region.name(), hits.sum(), staleHits.sum(), misses.sum(),
                loads.sum(), loadFailures.sum(), loadNanos.sum(), storeErrors.sum(),
                usage.evictions(), usage.entries(), usage.bytes());
    }
}
