package io.larder;

import io.larder.spi.Codec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * A named group of entries with its own defaults: TTL, stale window, codec, tags and early refresh.
 * It is the original design's "cache item type": one folder in the file store, one row in the
 * stats. Configured through {@link Larder.Builder#region} (or {@link Larder#configureRegion} at
 * run time); read back with {@link Larder#region(String)}. Immutable.
 */
public final class Region {
    private final String name;
    private final Duration ttl;
    private final Duration staleFor;
    private final Codec codec;
    private final Set<String> tags;
    private final double earlyRefresh;

    Region(String name, Duration ttl, Duration staleFor, Codec codec, Set<String> tags,
            double earlyRefresh) {
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
    }

    /** The region's name, as in {@link Key#region()}. */
    public String name() {
        return name;
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

    @Override
    public String toString() {
        return "Region[" + name + ", ttl " + ttl + ", staleFor " + staleFor + ", tags " + tags
                + ", earlyRefresh " + earlyRefresh + "]";
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
     * The settings of a region, given in {@link Larder.Builder#region}; each may be set once,
     * and unset ones come from the Larder's defaults.
     */
    public static final class Builder {
        private final String name;
        private Duration ttl;
        private Duration staleFor;
        private Codec codec;
        private Set<String> tags;
        private Double earlyRefresh;

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
                    earlyRefresh != null ? earlyRefresh : defaults.earlyRefresh());
        }
    }
}
