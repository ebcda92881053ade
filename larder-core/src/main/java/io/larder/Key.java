package io.larder;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A cache key: a region name plus ordered parts ({@code Key.of("home-posts", "de", 2)}).
 *
 * <p>Parts are kept in their string form ({@code null} stays distinct from {@code "null"}), so a
 * key can cross processes and be rebuilt exactly. Stores never use the parts as a path or a Redis
 * key: they use {@link #digest()}, a fixed-length hash of the length-prefixed parts, so that
 * {@code ("a:b", "c")} and {@code ("a", "b:c")} never collide.
 */
public final class Key {
    private static final HexFormat HEX = HexFormat.of();

    private final String region;
    private final String[] parts;
    private final int hash;
    private volatile String digest;

    private Key(String region, String[] parts) {
        this.region = region;
        this.parts = parts;
        this.hash = 31 * region.hashCode() + Arrays.hashCode(parts);
    }

    /**
     * A key in {@code region} with the given parts. A part may be a string, a number, a boolean, an
     * enum, {@code null}, or any object whose {@code toString()} is stable (not Object's
     * identity form).
     *
     * @throws IllegalArgumentException if the region name is not 1-64 letters, digits, '.', '_' or
     *     '-', or if a part has no stable string form
     */
    public static Key of(String region, Object... parts) {
        String[] strings = new String[parts.length];
        for (int i = 0; i < parts.length; i++) {
            strings[i] = partString(parts[i]);
        }
        return new Key(checkRegion(region), strings);
    }

    /**
     * A key of one string part ({@code null} allowed), as {@code of(region, part)} would make it,
     * without the array and per-part checks: the cheapest key to build, for callers that make a
     * key per read (a cache adapter mapping its own keys).
     */
    public static Key of(String region, String part) {
        return new Key(checkRegion(region), new String[] {part});
    }

    /** A key from a list of parts; see {@link #of(String, Object...)}. */
    public static Key of(String region, List<?> parts) {
        return of(region, parts.toArray());
    }

    /** Checks a region name and returns it; region names become folder names in the file store. */
    public static String checkRegion(String region) {
        Objects.requireNonNull(region, "region");
        if (!validRegion(region)) {
            throw new IllegalArgumentException("region must be 1-64 letters, digits, '.', '_'"
                    + " or '-' and start with a letter or digit, was '" + abbreviate(region) + "'");
        }
        return region;
    }

    /**
     * Whether {@code region} is 1-64 of {@code [A-Za-z0-9._-]}, starting with a letter or digit:
     * a loop rather than a regular expression, as every {@code Key.of} checks it (a matcher
     * per call cost about half of building a key).
     */
    private static boolean validRegion(String region) {
        int length = region.length();
        if (length == 0 || length > 64) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = region.charAt(i);
            boolean alphanumeric = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9';
            if (!alphanumeric && (i == 0 || c != '.' && c != '_' && c != '-')) {
                return false;
            }
        }
        return true;
    }

    private static String partString(Object part) {
        if (part == null) {
            return null;
        }
        if (part instanceof String s) {
            return s;
        }
        if (part instanceof Integer || part instanceof Long) {
            return part.toString(); // the commonest parts, without the class check
        }
        if (!STABLE_TO_STRING.get(part.getClass())) {
            throw new IllegalArgumentException("key part of " + part.getClass().getName()
                    + " has no stable string form; pass a value (string, number, id) or override"
                    + " toString()");
        }
        String s = part.toString();
        if (s == null) {
            throw new IllegalArgumentException("key part of " + part.getClass()
                    + " has a null toString()");
        }
        return s;
    }

    /** Whether a class has a toString() of its own, not Object's identity form. */
    private static final ClassValue<Boolean> STABLE_TO_STRING = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("toString").getDeclaringClass() != Object.class;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }
    };

    /** The region this key belongs to. */
    public String region() {
        return region;
    }

    /** The parts in their string form; {@code null} parts stay {@code null}. */
    public List<String> parts() {
        return Collections.unmodifiableList(Arrays.asList(parts));
    }

    /**
     * A fixed-length (64 hex characters) SHA-256 digest of the region and the length-prefixed
     * parts. Stores name entries by it; it is safe as a file name and a Redis key.
     */
    public String digest() {
        String d = digest;
        if (d == null) {
            digest = d = computeDigest();
        }
        return d;
    }

    private String computeDigest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            update(sha, region);
            sha.update(ByteBuffer.allocate(4).putInt(parts.length).array());
            for (String part : parts) {
                update(sha, part);
            }
            return HEX.formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Feeds one part to the digest: its UTF-8 bytes after their length; {@code null} as length -1.
     * UTF-8 turns an unpaired surrogate into '?', so a string holding one (not well-formed
     * UTF-16) is fed as its UTF-16 code units after the length -2 - units, which no other
     * string is fed as.
     */
    private static void update(MessageDigest sha, String s) {
        if (s == null) {
            sha.update(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        if (!wellFormed(s)) {
            ByteBuffer units = ByteBuffer.allocate(4 + 2 * s.length()).putInt(-2 - s.length());
            for (int i = 0; i < s.length(); i++) {
                units.putChar(s.charAt(i)); // not getBytes: every charset replaces a lone surrogate
            }
            sha.update(units.array());
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    /** Whether every surrogate in {@code s} is half of a pair (so UTF-8 encodes it exactly). */
    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The key in a compact, unambiguous text form that {@link #parse(String)} reads back: used to
     * send keys between nodes.
     */
    public String encode() {
        StringBuilder sb = new StringBuilder(region.length() + 16 * parts.length);
        sb.append(region);
        for (String part : parts) {
            sb.append(' ');
            if (part == null) {
                sb.append('-');
            } else {
                sb.append(part.length()).append(':').append(part);
            }
        }
        return sb.toString();
    }

    /** Reads the form written by {@link #encode()}. */
    public static Key parse(String encoded) {
        int space = encoded.indexOf(' ');
        String region = space < 0 ? encoded : encoded.substring(0, space);
        List<String> parts = new ArrayList<>();
        int i = space;
        while (i >= 0 && i < encoded.length()) {
            if (encoded.charAt(i) != ' ') {
                throw new IllegalArgumentException("malformed key at " + i);
            }
            i++;
            if (encoded.charAt(i) == '-') {
                parts.add(null);
                i++;
                continue;
            }
            int colon = encoded.indexOf(':', i);
            int length = Integer.parseInt(encoded, i, colon, 10);
            parts.add(encoded.substring(colon + 1, colon + 1 + length));
            i = colon + 1 + length;
        }
        return new Key(checkRegion(region), parts.toArray(new String[0]));
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Key k && hash == k.hash && region.equals(k.region)
                && Arrays.equals(parts, k.parts));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** A readable form for logs, for example {@code home-posts[de, 2]}; long parts are cut. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(region).append('[');
        for (int i = 0; i < parts.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(parts[i] == null ? "null" : abbreviate(parts[i]));
        }
        return sb.append(']').toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
