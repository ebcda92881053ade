package io.larder.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script run by its SHA-1, loaded again when Redis forgot it (after a restart, or on a
 * cluster node that never ran it); and the scripts {@link RedisStore} runs, each touching only
 * the keys it is given, all in one slot (one entry or lock, or counters of one prefix).
 */
record LuaScript(String text, String sha) {
    /** Writes an entry (with a TTL unless ARGV[2] is 0) and announces it. */
    static final LuaScript PUT = new LuaScript(
            "if ARGV[2] == '0' then redis.call('SET', KEYS[1], ARGV[1])"
            + " else redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end"
            + " redis.call('PUBLISH', ARGV[3], ARGV[4]) return 1");
    /** Removes an entry and announces it. */
    static final LuaScript REMOVE = new LuaScript(
            "redis.call('UNLINK', KEYS[1]) redis.call('PUBLISH', ARGV[1], ARGV[2]) return 1");
    /**
     * Increments each tag by its random step (ARGV[2 + n + i]; a missing one first starts at its
     * random ARGV[2 + i]) and announces them.
     */
    static final LuaScript INVALIDATE = new LuaScript(
            "local r = {} local n = #KEYS for i, k in ipairs(KEYS) do"
            + " if redis.call('EXISTS', k) == 0 then redis.call('SET', k, ARGV[i + 2]) end"
            + " r[i] = redis.call('INCRBY', k, ARGV[n + i + 2]) end"
            + " redis.call('PUBLISH', ARGV[1], ARGV[2]) return r");
    /** The generations of tags; a missing one is created at the random value given for it. */
    static final LuaScript START = new LuaScript(
            "local r = {} for i, k in ipairs(KEYS) do local v = redis.call('GET', k)"
            + " if not v then redis.call('SET', k, ARGV[i]) v = ARGV[i] end r[i] = v end"
            + " return r");
    /** Deletes a lock if the caller's token holds it. */
    static final LuaScript RELEASE = new LuaScript(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1])"
            + " else return 0 end");
    /** Extends a lock if the caller's token holds it. */
    static final LuaScript RENEW = new LuaScript(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then"
            + " return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end");

    LuaScript(String text) {
        this(text, sha1(text));
    }

    <T> T run(RedisClusterCommands<byte[], byte[]> commands, ScriptOutputType type, byte[][] keys,
            byte[]... args) {
        try {
            return commands.evalsha(sha, type, keys, args);
        } catch (RedisNoScriptException e) {
            return commands.eval(text, type, keys, args);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
