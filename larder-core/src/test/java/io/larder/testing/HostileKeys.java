package io.larder.testing;

import io.larder.Key;
import java.util.ArrayList;
import java.util.List;

/**
 * Key parts an attacker controls (a query string, a slug, a user name), in one list that every
 * store's key test uses: path traversal, absolute paths, NUL, separators, huge parts, unicode
 * tricks; and keys that a naive "join with a separator" scheme would make equal.
 */
public final class HostileKeys {
    /** Hostile key parts. */
    public static final List<String> PARTS = List.of(
            "../", "../../../../etc/passwd", "..\\..\\windows\\win.ini", "/", "/etc/passwd",
            "C:\\Windows\\System32", "a/b/c", "\u0000", "nul\u0000byte", "%2e%2e%2f", "%2e%2e",
            "..", ".", "~", "$HOME", "posts/../../escape", "x".repeat(10_000),
            "y".repeat(1 << 20), "é/ü\u202e\uFEFF", "\n\r\t", "a:b", "a b", "*", "?", "[x]",
            "posts:1", "@tag:posts", "@lock:posts", "\uD83D\uDE00/..", "\uDC00", "CON", "NUL.txt");

    private HostileKeys() {
    }

    /**
     * Keys in {@code region} that must all be distinct although a scheme joining parts with a
     * separator (":", " ", "/", NUL), or writing lengths in front of parts, would make some
     * of them one key.
     */
    public static List<Key> colliding(String region) {
        List<Key> keys = new ArrayList<>(List.of(
                Key.of(region, "a:b", "c"), Key.of(region, "a", "b:c"), Key.of(region, "a:b:c"),
                Key.of(region, "a b", "c"), Key.of(region, "a", "b c"), Key.of(region, "a b c"),
                Key.of(region, "a/b", "c"), Key.of(region, "a", "b/c"), Key.of(region, "a/b/c"),
                Key.of(region, "a\u0000b", "c"), Key.of(region, "a", "b\u0000c"),
                Key.of(region, "abc"), Key.of(region, "a", "b", "c"), Key.of(region, "ab", "c"),
                Key.of(region, (Object) null), Key.of(region, "null"), Key.of(region, ""),
                Key.of(region), Key.of(region, "", ""), Key.of(region, "1:a 1:b"),
                Key.of(region, "a", "b"), Key.of(region, "1:a", "1:b")));
        keys.add(Key.of(region + "2"));
        return keys;
    }
}
