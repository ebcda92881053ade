package io.larder;

import java.util.Optional;

/**
 * An invalidation that was applied, as told to listeners (for example a warmer that re-renders
 * the pages it touched).
 *
 * @param kind what was invalidated
 * @param name the key's {@link Key#encode() encoded form}, the tag, or the region's name
 */
public record Invalidation(Kind kind, String name) {
    /** What an invalidation named. */
    public enum Kind {
        /** One key. */
        KEY,
        /** Every entry written under a tag. */
        TAG,
        /** Every entry of a region. */
        REGION
    }

    /**
     * The tag that entries made misses by this invalidation carry: the tag itself, or for a
     * region {@link Region#tagOf its tag}; empty for a key (no other entry names it).
     */
    public Optional<String> tag() {
        return switch (kind) {
            case TAG -> Optional.of(name);
            case REGION -> Optional.of(Region.tagOf(name));
            case KEY -> Optional.empty();
        };
    }

    /**
     * Whether this invalidation may have touched an entry of {@code region} that carries
     * {@code tags} (as a load records them, for example {@link TagCapture#read()}): a region's
     * invalidation also touches entries built from what they read in that region.
     */
    public boolean touches(String region, java.util.Collection<String> tags) {
        return switch (kind) {
            case REGION -> name.equals(region) || tags.contains(RegionState.regionTag(name));
            case TAG -> tags.contains(name);
            case KEY -> Key.parse(name).region().equals(region);
        };
    }
}
