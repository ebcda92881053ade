package io.larder.redis;

/**
 * Thrown by {@link RedisStore} instead of calling Redis while its circuit breaker is open or no
 * connection exists; the {@code Larder} treats it as a miss like any other store failure.
 */
public final class RedisUnavailableException extends RuntimeException {
    /** An exception with {@code message}. */
    public RedisUnavailableException(String message) {
        super(message, null, false, false);
    }
}
