package io.larder.pebble;

import io.larder.Larder;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.tokenParser.TokenParser;
import java.util.List;
import java.util.Objects;

/**
 * A Pebble extension whose {@code {% cache %}} tag keeps rendered fragments in a {@link Larder}:
 *
 * <pre>{@code
 * PebbleEngine engine = new PebbleEngine.Builder()
 *         .extension(LarderExtension.builder(larder).build())
 *         .build();
 * }</pre>
 *
 * <pre>{@code
 * {% cache "home-posts" lang page ttl=300 stale=600 tags=["posts", "lang:" ~ lang] %}
 *   ...
 * {% endcache %}
 * }</pre>
 *
 * <p>It replaces Pebble's built-in {@code cache} tag because Pebble registers its core extension
 * first and a later extension's tag of the same name wins; if another extension that defines
 * {@code cache} is registered after this one, that one wins. Rendering with the variable
 * {@link #ENABLED_VARIABLE} set to {@code false} renders every block without the cache.
 */
public final class LarderExtension extends AbstractExtension {
    /**
     * The context variable that switches fragment caching off for one render when it is
     * {@code false} (or {@code "false"}): {@code template.evaluate(writer,
     * Map.of(LarderExtension.ENABLED_VARIABLE, false))}. Templates cannot set it.
     */
    public static final String ENABLED_VARIABLE = "larder.fragments.enabled";

    private final Larder larder;
    private final boolean varyOnLocale;

    private LarderExtension(Builder builder) {
        this.larder = builder.larder;
        this.varyOnLocale = builder.varyOnLocale;
    }

    /** A builder for an extension that caches in {@code larder}. */
    public static Builder builder(Larder larder) {
        return new Builder(larder);
    }

    /** The {@code cache} tag. */
    @Override
    public List<TokenParser> getTokenParsers() {
        return List.of(new CacheTokenParser(larder, varyOnLocale));
    }

    /** Builds a {@link LarderExtension}. */
    public static final class Builder {
        private final Larder larder;
        private boolean varyOnLocale = true;
        private boolean varyOnLocaleSet;

        private Builder(Larder larder) {
            this.larder = Objects.requireNonNull(larder, "larder");
        }

        /**
         * Whether the render's locale is part of every fragment key (default {@code true}, as in
         * Pebble's own tag); turn it off when the vary-on values already say the language.
         */
        public Builder varyOnLocale(boolean varyOnLocale) {
            if (varyOnLocaleSet) {
                throw new IllegalStateException(
                        "varyOnLocale was already set to " + this.varyOnLocale);
            }
            this.varyOnLocale = varyOnLocale;
            this.varyOnLocaleSet = true;
            return this;
        }

        /** The extension. */
        public LarderExtension build() {
            return new LarderExtension(this);
        }
    }
}
