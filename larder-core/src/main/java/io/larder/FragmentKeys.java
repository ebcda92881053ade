package io.larder;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The keys of cached template fragments, the same for every template engine's integration, so
 * that application code can address or invalidate the block that Pebble's
 * {@code {% cache "home-posts" lang page %}} or Thymeleaf's
 * {@code larder:cache="home-posts" larder:vary="${lang}, ${page}"} stores (as Django's
 * {@code make_template_fragment_key} does).
 *
 * <p>Each fragment name is its own region, {@code "fragment." + name}: its own row in the stats,
 * its own TTL defaults ({@code Larder.builder().region(FragmentKeys.region("home-posts"), ...)}),
 * and no collision with a query cache region of the same name. The key's parts are the render's
 * locale (or {@code null} when the extension ignores locales) followed by the vary-on values.
 */
public final class FragmentKeys {
    /** The prefix of every fragment region. */
    public static final String REGION_PREFIX = "fragment.";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,54}");

    private FragmentKeys() {
    }

    /**
     * The key of fragment {@code name} rendered in {@code locale} with these vary-on values, in the
     * order the tag lists them; pass a {@code null} locale if the extension ignores locales.
     *
     * @throws IllegalArgumentException if the name is not a valid fragment name or a value has no
     *     stable string form
     */
    public static Key of(String name, Locale locale, Object... varyOn) {
        return key(region(name), locale == null ? null : locale.toLanguageTag(), varyOn);
    }

    /**
     * The region that holds every variant of fragment {@code name}; invalidate it to drop them all.
     *
     * @throws IllegalArgumentException if the name is not 1-55 letters, digits, '.', '_' or '-'
     *     starting with a letter or digit
     */
    public static String region(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a fragment name must be 1-55 letters, digits, '.',"
                    + " '_' or '-' and start with a letter or digit, was '" + name + "'");
        }
        return REGION_PREFIX + name;
    }

    /**
     * The key in {@code region} (a fragment region, already checked with {@link #region}) for a
     * locale tag ({@code null} when locales are ignored) and the vary-on values.
     */
    public static Key key(String region, String localeTag, Object[] varyOn) {
        Object[] parts = new Object[varyOn.length + 1];
        parts[0] = localeTag;
        System.arraycopy(varyOn, 0, parts, 1, varyOn.length);
        return Key.of(region, parts);
    }
}
