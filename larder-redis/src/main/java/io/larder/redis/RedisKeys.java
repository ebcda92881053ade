package io.larder.redis;

import io.larder.Key;
import io.larder.spi.Store;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The names {@link RedisStore} uses in Redis, all under one prefix: entries
 * {@code <prefix><region>:<digest>}, tag counters {@code <prefix>@tag:{<prefix>}<tag>}, locks
 * {@code <prefix>@lock:<region>:<digest>}, markers {@code <prefix>@marker:{<prefix>}<name>}, the
 * epoch {@code <prefix>@epoch:{<prefix>}}, and the change channel {@code <prefix>@changes},
 * whose messages start with the sending node's id.
 *
 * <p>In a Redis Cluster the hash tag {@code {<prefix>}} puts the counters, markers and epoch of
 * one prefix in one slot: the scripts that read or increment several counters touch one slot,
 * and a failover that loses the last writes of that slot sets counters and markers back together
 * (larder-hibernate then replays its log from the older marker). Entries and locks have no hash
 * tag: each script on them touches one key, and they spread over every primary.
 */
final class RedisKeys {
    final String prefix;
    final String channel;
    final String node;

    /** {@code {<prefix>}}: the hash tag of the counters, markers and epoch. */
    private final String control;

    /**
     * {@code prefix} if it can start every name: not empty, no spaces, control characters or
     * braces (the hash tags are this class's own).
     *
     * @throws IllegalArgumentException naming it otherwise
     */
    static String checkPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty() || prefix.chars().anyMatch(ch -> ch <= ' ' || ch == '{'
                || ch == '}')) {
            throw new IllegalArgumentException("prefix must not be empty or contain spaces,"
                    + " control characters or braces, was '" + prefix + "'");
        }
        return prefix;
    }

    RedisKeys(String prefix, SecureRandom random) {
        this.prefix = prefix;
        this.control = "{" + prefix + "}";
        this.channel = prefix + "@changes";
        byte[] id = new byte[8];
        random.nextBytes(id);
        this.node = HexFormat.of().formatHex(id);
    }

    byte[] entry(Key key) {
        return utf8(prefix + key.region() + ":" + key.digest());
    }

    byte[] tag(String tag) {
        return utf8(prefix + "@tag:" + control + tag);
    }

    byte[] lock(Key key) {
        return utf8(prefix + "@lock:" + key.region() + ":" + key.digest());
    }

    byte[] marker(String name) {
        return utf8(prefix + "@marker:" + control + Store.checkMarker(name));
    }

    byte[] epoch() {
        return utf8(prefix + "@epoch:" + control);
    }

    /** A SCAN pattern for every tag counter. */
    byte[] allTags() {
        return utf8(glob(prefix) + "@tag:*");
    }

    /** A SCAN pattern for every entry of {@code region}. */
    byte[] region(String region) {
        return utf8(glob(prefix) + region + ":*");
    }

    /** A SCAN pattern for every entry (not counters, locks, markers: they start with '@'). */
    byte[] entries() {
        return utf8(glob(prefix) + "[^@]*");
    }

    byte[] channel() {
        return ascii(channel);
    }

    /** A change message: this node's id, the kind, the body. */
    String message(char kind, String body) {
        return node + " " + kind + " " + body;
    }

    private static String glob(String s) {
        return s.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static long parse(byte[] number) {
        return Long.parseLong(new String(number, StandardCharsets.US_ASCII));
    }
}
