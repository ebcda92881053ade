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

    /** The JCache defaults (eternal, store-by-value, no loader, writer or listener). */
    public LarderConfiguration() {
    }

    /** A copy of {@code configuration}, with its Larder settings if it has any. */
    public LarderConfiguration(CompleteConfiguration<K, V> configuration) {
        super(configuration);
        if (configuration instanceof LarderConfiguration<K, V> larder) {
            tags.addAll(larder.tags);
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

    @Override
    public boolean equals(Object o) {
        return super.equals(o)
                && (!(o instanceof LarderConfiguration<?, ?> other) || tags.equals(other.tags));
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + tags.hashCode();
    }
}
