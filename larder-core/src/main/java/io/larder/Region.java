package io.larder;

import io.larder.spi.Codec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A named group of entries with its own defaults: TTL, stale window, codec, tags and early refresh.
 * It is the original design's "cache item type": one folder in the file store, one row in the
 * stats. Configured through {@link LarderBuilder#region} (or {@link Larder#configureRegion} at
 * run time); read back with {@link Larder#region(String)}. Immutable.
 */
public final class Region {
    private final String name;
    private final Duration ttl;
    private final Duration staleFor;
    private final Codec codec;
    private final Set<String> tags;
    private final double earlyRefresh;
    private final long maximumEntries;
    private final long maximumBytes;

    /** A region without a bound of its own. */
    Region(String name, Duration ttl, Duration staleFor, Codec codec, Set<String> tags,
            double earlyRefresh) {
        this(name, ttl, staleFor, codec, tags, earlyRefresh, 0, 0);
    }

    Region(String name, Duration ttl, Duration staleFor, Codec codec, Set<String> tags,
            double earlyRefresh, long maximumEntries, long maximumBytes) {
        this.name = Key.checkRegion(name);
        this.ttl = checkPositive("ttl", ttl);
        this.staleFor = checkNotNegative("staleFor", staleFor);
        this.codec = Objects.requireNonNull(codec, "codec");
        this.tags = Options.checkTags(tags);
        if (!(earlyRefresh >= 0 && earlyRefresh <= 10)) {
            throw new IllegalArgumentException(
                    "earlyRefresh must be between 0 and 10, was " + earlyRefresh);
        }
        this.earlyRefresh = earlyRefresh;
        this.maximumEntries = maximumEntries;
        this.maximumBytes = maximumBytes;
    }

    /** The region's name, as in {@link Key#region()}. */
    public String name() {
        return name;
    }

    /**
     * The tag every entry of region {@code region} carries ({@code @region:name}), which
     * {@link Larder#invalidateRegion} moves as {@link Larder#invalidateTag} moves a tag.
     */
    public static String tagOf(String region) {
        return RegionState.regionTag(region);
    }

    /** How long an entry is fresh. */
    public Duration ttl() {
        return ttl;
    }

    /** How long after that it is still served while one background refresh runs. */
    public Duration staleFor() {
        return staleFor;
    }

    /** How values become bytes in stores that keep bytes. */
    public Codec codec() {
        return codec;
    }

    /** Tags every entry of the region carries. */
    public Set<String> tags() {
        return tags;
    }

    /** XFetch's beta: 0 turns early refresh off; 1 is the usual value. */
    public double earlyRefresh() {
        return earlyRefresh;
    }

    /** The most entries the region keeps in memory, if it has a bound of its own. */
    public OptionalLong maximumEntries() {
        return maximumEntries > 0 ? OptionalLong.of(maximumEntries) : OptionalLong.empty();
    }

    /** The most bytes of encoded values it keeps in memory, if it has a bound of its own. */
    public OptionalLong maximumBytes() {
        return maximumBytes > 0 ? OptionalLong.of(maximumBytes) : OptionalLong.empty();
    }

    @Override
    public String toString() {
        return "Region[" + name + ", ttl " + ttl + ", staleFor " + staleFor + ", tags " + tags
                + ", earlyRefresh " + earlyRefresh
                + (maximumEntries > 0 ? ", maximumEntries " + maximumEntries : "")
                + (maximumBytes > 0 ? ", maximumBytes " + maximumBytes : "") + "]";
    }

    /** A builder for a region named {@code name}; unset values come from the Larder's. */
    static Builder builder(String name) {
        return new Builder(name);
    }

    static Duration checkPositive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
        return d;
    }

    static Duration checkNotNegative(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + d);
        }
        return d;
    }

    /**
     * The settings of a region, given in {@link LarderBuilder#region}; each may be set once,
     * and unset ones come from the Larder's defaults.
     */
    public static final class Builder {
        private final String name;
        private Duration ttl;
        private Duration staleFor;
        private Codec codec;
        private Set<String> tags;
        private Double earlyRefresh;
        private long maximumEntries;
        private long maximumBytes;

        private Builder(String name) {
            this.name = Key.checkRegion(name);
        }

        /** How long an entry is fresh. */
        public Builder ttl(Duration ttl) {
            requireUnset("ttl", this.ttl);
            this.ttl = checkPositive("ttl", ttl);
            return this;
        }

        /** How long after its TTL an entry is served stale while it refreshes. */
        public Builder staleFor(Duration staleFor) {
            requireUnset("staleFor", this.staleFor);
            this.staleFor = checkNotNegative("staleFor", staleFor);
            return this;
        }

        /** The codec for this region's values. */
        public Builder codec(Codec codec) {
            requireUnset("codec", this.codec);
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /** Tags that every entry of this region carries. */
        public Builder tags(String... tags) {
            requireUnset("tags", this.tags);
            this.tags = Options.checkTags(Set.copyOf(Arrays.asList(tags)));
            return this;
        }

        /**
         * Refresh hot entries before they expire with probability rising as expiry nears (XFetch,
         * Vattani et al. 2015); {@code beta} 1 is the usual value, 0 (the default) turns it off.
         */
        public Builder earlyRefresh(double beta) {
            requireUnset("earlyRefresh", this.earlyRefresh);
            this.earlyRefresh = beta;
            return this;
        }

        /**
         * Keep at most this many of the region's entries in memory (the memory store, the near
         * tier of a tiered store), apart from the store's own bound: a busy region then evicts
         * its own entries, not the others' (as a JCache cache's size does). The disk store and
         * Redis have global bounds only; there the region stays unbounded.
         */
        public Builder maximumEntries(long entries) {
            requireNoBound();
            this.maximumEntries = checkBound("maximumEntries", entries);
            return this;
        }

        /**
         * Keep at most this many bytes of the region's encoded values in memory; see
         * {@link #maximumEntries}. Values are then encoded once on write to be weighed.
         */
        public Builder maximumBytes(long bytes) {
            requireNoBound();
            this.maximumBytes = checkBound("maximumBytes", bytes);
            return this;
        }

        private void requireNoBound() {
            if (maximumEntries > 0 || maximumBytes > 0) {
                throw new IllegalStateException("the region's bound was already set");
            }
        }

        private static long checkBound(String what, long bound) {
            if (bound <= 0) {
                throw new IllegalArgumentException(what + " must be positive, was " + bound);
            }
            return bound;
        }

        private static void requireUnset(String what, Object value) {
            if (value != null) {
                throw new IllegalStateException(what + " was already set to " + value);
            }
        }

        /** The region, with unset values taken from {@code defaults}. */
        Region build(Region defaults) {
            return new Region(name,
                    ttl != null ? ttl : defaults.ttl(),
                    staleFor != null ? staleFor : defaults.staleFor(),
                    codec != null ? codec : defaults.codec(),
                    tags != null ? tags : Set.of(),
                    earlyRefresh != null ? earlyRefresh : defaults.earlyRefresh(),
                    maximumEntries, maximumBytes);
        }
    }
}
