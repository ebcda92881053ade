package io.larder.http;

import io.larder.Region;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The response header that tells HTTP caches in front (Varnish's {@code xkey}, a CDN's
 * {@code Surrogate-Key}) which tags a cached page was built from, so that {@link HttpPurge} can
 * purge exactly the pages an invalidation touched. One spelling of a tag for both: {@link
 * #encode} keeps letters, digits and {@code - _ . ~ : @}, and percent-encodes every other byte
 * of its UTF-8 form (so a tag never holds the space or comma that separates tags).
 *
 * <p>The value is bounded by {@link #maxBytes()}: when a page's tags do not all fit, it carries
 * the tags that fit whole, in order, then {@value #OVERFLOW}, a tag {@link HttpPurge} adds to
 * every purge. A page with too many tags is so purged by every invalidation: never stale, at
 * the cost of extra misses in the HTTP cache. No tag is ever cut.
 *
 * @param name the header's name, e.g. {@code xkey} or {@code Surrogate-Key}
 * @param maxBytes the most bytes its value may have (at least 256)
 */
public record TagHeader(String name, int maxBytes) {
    /** The tag of pages whose tags did not all fit; every purge names it too. */
    public static final String OVERFLOW = "@overflow";
    /** The default bound: Fastly takes 16 KB, Varnish's default response header line 8 KB. */
    public static final int DEFAULT_MAX_BYTES = 4096;
    private static final String HEX = "0123456789ABCDEF";

    /** Checks the name (a token) and the bound. */
    public TagHeader {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")) {
            throw new IllegalArgumentException("the tag header's name must be an HTTP token,"
                    + " was '" + name + "'");
        }
        if (maxBytes < 256) {
            throw new IllegalArgumentException("the tag header's maxBytes must be at least 256,"
                    + " was " + maxBytes);
        }
    }

    /** Varnish's {@code xkey} header (vmod_xkey), bounded by {@value #DEFAULT_MAX_BYTES} bytes. */
    public static TagHeader xkey() {
        return new TagHeader("xkey", DEFAULT_MAX_BYTES);
    }

    /** The CDNs' {@code Surrogate-Key} header, bounded by {@value #DEFAULT_MAX_BYTES} bytes. */
    public static TagHeader surrogateKey() {
        return new TagHeader("Surrogate-Key", DEFAULT_MAX_BYTES);
    }

    /** A copy bounded by {@code bytes}. */
    public TagHeader maxBytes(int bytes) {
        return new TagHeader(name, bytes);
    }

    /**
     * The value for a page of {@code region} built from {@code tags} (the page's own, those it
     * named and those of the entries it read, in that order): the region's tag and its
     * configured tags first, then each tag once, encoded, space-separated, within {@link
     * #maxBytes()}. Engine-internal tags other than region tags are left out (nothing purges
     * them).
     */
    @SafeVarargs
    public final String value(Region region, Collection<String>... tags) {
        Set<String> all = new LinkedHashSet<>();
        all.add(Region.tagOf(region.name()));
        all.addAll(region.tags());
        for (Collection<String> some : tags) {
            all.addAll(some);
        }
        String regionPrefix = Region.tagOf("");
        StringBuilder out = new StringBuilder();
        int room = maxBytes - OVERFLOW.length() - 1;
        boolean overflow = false;
        for (String tag : all) {
            if (tag.startsWith("@") && !tag.startsWith(regionPrefix)) {
                continue;
            }
            String token = encode(tag);
            if (out.length() + token.length() + 1 > room) {
                overflow = true;
                continue; // a shorter tag further on may still fit
            }
            out.append(out.isEmpty() ? "" : " ").append(token);
        }
        if (overflow) {
            out.append(out.isEmpty() ? "" : " ").append(OVERFLOW);
        }
        return out.toString();
    }

    /**
     * {@code tag} as HTTP caches see it: letters, digits and {@code - _ . ~ : @} as they are,
     * every other byte of its UTF-8 form as {@code %XX}. ASCII only, so its length is its size.
     */
    public static String encode(String tag) {
        byte[] bytes = tag.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte value : bytes) {
            int b = value & 0xff;
            if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '-' || b == '_' || b == '.' || b == '~' || b == ':' || b == '@') {
                out.append((char) b);
            } else {
                out.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 0xf));
            }
        }
        return out.toString();
    }
}
