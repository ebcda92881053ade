package io.larder.jcache.configuration;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;

/**
 * A JCache configuration with Larder's own settings on top: the tags every entry of the cache
 * carries, so that {@code larder.invalidateTag(...)} (reach the {@code Larder} with
 * {@code cache.unwrap(Larder.class)}) empties it together with the rest of the application's
 * cached data. Pass it to {@code CacheManager.createCache}; other providers read it as the
 * {@link MutableConfiguration} it is.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class LarderConfiguration<K, V> extends MutableConfiguration<K, V> {
    private static final long serialVersionUID = 1L;

    private final Set<String> tags = new LinkedHashSet<>();
    private long maximumSize;

    /** The JCache defaults (eternal, store-by-value, no loader, writer or listener). */
    public LarderConfiguration() {
    }

    /** A copy of {@code configuration}, with its Larder settings if it has any. */
    public LarderConfiguration(CompleteConfiguration<K, V> configuration) {
        super(configuration);
        if (configuration instanceof LarderConfiguration<K, V> larder) {
            tags.addAll(larder.tags);
            maximumSize = larder.maximumSize;
        }
    }

    /** A complete configuration from any JCache one (types only, for the basic kind). */
    public static <K, V> LarderConfiguration<K, V> of(Configuration<K, V> configuration) {
        Objects.requireNonNull(configuration, "configuration");
        if (configuration instanceof CompleteConfiguration<K, V> complete) {
            return new LarderConfiguration<>(complete);
        }
        LarderConfiguration<K, V> copy = new LarderConfiguration<>();
        copy.setTypes(configuration.getKeyType(), configuration.getValueType());
        copy.setStoreByValue(configuration.isStoreByValue());
        return copy;
    }

    /** Adds tags that every entry of the cache carries. */
    public LarderConfiguration<K, V> tags(String... more) {
        tags.addAll(Arrays.asList(more));
        return this;
    }

    /** The tags every entry of the cache carries. */
    public Set<String> getTags() {
        return Set.copyOf(tags);
    }

    /**
     * Bounds the cache to {@code entries} entries, so that one busy cache cannot push the others
     * out of the store they share: past it, the cache drops entries of its own (no event; they
     * count as evictions). 0, the default, leaves only the store's bound.
     */
    public LarderConfiguration<K, V> maximumSize(long entries) {
        if (entries < 0) {
            throw new IllegalArgumentException("maximumSize must not be negative, was " + entries);
        }
        this.maximumSize = entries;
        return this;
    }

    /** The cache's own bound in entries, 0 for none. */
    public long getMaximumSize() {
        return maximumSize;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && (!(o instanceof LarderConfiguration<?, ?> other)
                || tags.equals(other.tags) && maximumSize == other.maximumSize);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + tags.hashCode() + Long.hashCode(maximumSize);
    }
}
