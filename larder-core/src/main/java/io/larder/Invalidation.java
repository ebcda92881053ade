package io.larder;

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
     * Whether this invalidation may have touched entries carrying {@code tag} in {@code region}.
     */
    public boolean touches(String region, java.util.Collection<String> tags) {
        return switch (kind) {
            case REGION -> name.equals(region);
            case TAG -> tags.contains(name);
            case KEY -> Key.parse(name).region().equals(region);
        };
    }
}
