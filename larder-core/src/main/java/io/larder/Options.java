package io.larder;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Per-entry settings that override the region's: TTL, stale window and extra tags.
 * {@code Options.tags("posts", "lang:de").ttl(Duration.ofMinutes(5))}. Immutable.
 *
 * @param ttl how long the entry is fresh, or {@code null} for the region's
 * @param staleFor how long after that it may still be served while it refreshes, or {@code null}
 * @param tags tags added to the region's
 */
public record Options(Duration ttl, Duration staleFor, Set<String> tags) {
    /** No overrides. */
    public static final Options NONE = new Options(null, null, Set.of());

    /** Validates and copies. */
    public Options {
        if (ttl != null) {
            Region.checkPositive("ttl", ttl);
        }
        if (staleFor != null) {
            Region.checkNotNegative("staleFor", staleFor);
        }
        tags = checkTags(tags);
    }

    /** Options with these tags. */
    public static Options tags(String... tags) {
        return NONE.withTags(tags);
    }

    /** Options with this TTL. */
    public static Options ttlOf(Duration ttl) {
        return NONE.ttl(ttl);
    }

    /** A copy with this TTL. */
    public Options ttl(Duration ttl) {
        return new Options(Objects.requireNonNull(ttl, "ttl"), staleFor, tags);
    }

    /** A copy with this stale window. */
    public Options staleFor(Duration staleFor) {
        return new Options(ttl, Objects.requireNonNull(staleFor, "staleFor"), tags);
    }

    /** A copy with these tags added. */
    public Options withTags(String... more) {
        Set<String> all = new LinkedHashSet<>(tags);
        all.addAll(Arrays.asList(more));
        return new Options(ttl, staleFor, all);
    }

    static Set<String> checkTags(Set<String> tags) {
        Objects.requireNonNull(tags, "tags");
        for (String tag : tags) {
            checkTag(tag);
        }
        return Set.copyOf(tags);
    }

    /** Checks one tag: 1 to 200 characters, no control characters, not starting with '@'. */
    static String checkTag(String tag) {
        Objects.requireNonNull(tag, "tag");
        if (tag.isEmpty() || tag.length() > 200 || tag.startsWith("@")
                || tag.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a tag must be 1-200 characters without control "
                    + "characters and must not start with '@' (kept for Larder's own tags), was '"
                    + tag.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        return tag;
    }
}
