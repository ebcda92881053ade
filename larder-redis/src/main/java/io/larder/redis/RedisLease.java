package io.larder.redis;

import io.larder.spi.Store;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.Supplier;

/** A grant from {@link RedisStore#lease}; closing it deletes the lock only if it holds it. */
final class RedisLease implements Store.Lease {
    private final Supplier<RedisConnection> redis;
    private final boolean granted;
    private final byte[] name;
    private final byte[] token;

    /** Tries to take the lock {@code name} ({@code SET NX PX}) with a random token. */
    static RedisLease acquire(RedisConnection redis, byte[] name, SecureRandom random,
            Duration lease) {
        byte[] token = new byte[16];
        random.nextBytes(token);
        SetArgs nx = SetArgs.Builder.nx().px(lease.toMillis());
        String reply = redis.call(c -> c.set(name, token, nx));
        return new RedisLease(() -> redis, "OK".equals(reply), name, token);
    }

    RedisLease(Supplier<RedisConnection> redis, boolean granted, byte[] name, byte[] token) {
        this.redis = redis;
        this.granted = granted;
        this.name = name;
        this.token = token;
    }

    @Override
    public boolean granted() {
        return granted;
    }

    @Override
    public boolean renew(Duration lease) {
        if (!granted) {
            return false;
        }
        Long renewed = redis.get().call(c -> LuaScript.RENEW.run(c, ScriptOutputType.INTEGER,
                new byte[][] {name}, token, RedisKeys.ascii(Long.toString(lease.toMillis()))));
        return renewed != null && renewed == 1L;
    }

    @Override
    public void close() {
        if (!granted) {
            return;
        }
        try {
            redis.get().call(c -> LuaScript.RELEASE.run(c, ScriptOutputType.INTEGER,
                    new byte[][] {name}, token));
        } catch (RuntimeException e) {
            // The lease runs out by itself.
        }
    }
}
