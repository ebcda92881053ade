package io.larder.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of {@link RedisStore}: Lettuce set up so that a sick Redis costs little
 * (short command timeouts, commands rejected rather than queued while disconnected, a circuit
 * breaker probed by a background thread), one connection for commands and one for the change
 * channel. Lettuce does not reconnect by itself: the probe does, so that an outage logs one
 * warning (with its stack trace) when it starts and one line when it ends, however long it lasts.
 * Knows nothing of entries or tags.
 */
final class RedisConnection implements AutoCloseable {
    private static final int SCAN_BATCH = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);

    /** What the owner hears from the change channel. */
    interface Subscriber {
        /** A message on the channel. */
        void message(String message);

        /** The channel is (again) subscribed: messages from now on are delivered. */
        void subscribed();

        /** The channel connection dropped: messages may be missed until {@link #subscribed()}. */
        void unsubscribed();

        /** The breaker opened: commands stop reaching Redis until a probe succeeds. */
        void broken();
    }

    private final RedisURI uri;
    private final String channel;
    private final Subscriber subscriber;
    private final Runnable whenHealthy;
    private final ClientResources resources;
    private final RedisClient client;
    private final CircuitBreaker breaker;
    private final ScheduledExecutorService prober;
    private volatile StatefulRedisConnection<byte[], byte[]> commands;
    private volatile RedisCommands<byte[], byte[]> sync;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private final Duration commandTimeout;
    private volatile boolean subscribed;
    private volatile boolean connectFailureLogged;
    private volatile boolean closed;

    final LongAdder calls = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder shortCircuited = new LongAdder();
    /** Connections attempted by the probe (tests wait on it, not on time). */
    final LongAdder connectAttempts = new LongAdder();

    RedisConnection(RedisStore.Builder settings, String channel, Subscriber subscriber,
            Runnable whenHealthy) {
        // The URI's timeout bounds the handshake (HELLO, AUTH, SELECT); commands get their own.
        this.uri = RedisURI.builder(settings.uri).withTimeout(settings.connectTimeout).build();
        this.commandTimeout = settings.commandTimeout;
        this.channel = channel;
        this.subscriber = subscriber;
        this.whenHealthy = whenHealthy;
        this.breaker = new CircuitBreaker(settings.breakerFailures);
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), settings.retryInterval, 2,
                        TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(settings.requestQueueSize)
                .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout)
                        .keepAlive(true).tcpNoDelay(true).build())
                .timeoutOptions(TimeoutOptions.builder()
                        .fixedTimeout(settings.commandTimeout).build())
                .build());
        client.addListener(new StateListener());
        this.prober = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "larder-redis-probe");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.min(settings.retryInterval.toMillis(),
                Math.max(10, settings.nearCacheBound.toMillis() / 3));
        connectCommands();
        connectPubSub();
        prober.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code command} unless the breaker is open; every failure is counted and thrown as a
     * {@link RedisUnavailableException} without a stack trace.
     *
     * @throws RedisUnavailableException at once, without calling Redis, while the breaker is open
     */
    <T> T call(Function<RedisCommands<byte[], byte[]>, T> command) {
        RedisCommands<byte[], byte[]> commands = sync;
        if (commands == null || !breaker.allows()) {
            shortCircuited.increment();
            throw new RedisUnavailableException(commands == null
                    ? "no connection to Redis at " + where()
                    : "circuit breaker open for " + where());
        }
        calls.increment();
        try {
            T result = command.apply(commands);
            breaker.succeeded();
            return result;
        } catch (RuntimeException e) {
            failures.increment();
            if (breaker.failed(e instanceof RedisCommandTimeoutException)) {
                LOG.warn("Larder: Redis at {} failed ({}); circuit breaker open, the cache is"
                        + " bypassed until it answers again", where(), e.toString());
                subscriber.broken();
            }
            // Without a stack trace: callers log a failure once per burst, and one trace per
            // outage (the failed connection's) says all there is.
            throw new RedisUnavailableException("Redis at " + where() + " failed: " + e);
        }
    }

    /** Whether commands go to Redis now (connected, breaker closed). */
    /**
     * Deletes every key matching the SCAN {@code pattern} with SCAN and UNLINK in batches, on
     * the calling thread (its cost grows with the whole database, not the matches).
     */
    void unlinkMatching(byte[] pattern) {
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs args = ScanArgs.Builder.matches(pattern).limit(SCAN_BATCH);
        do {
            ScanCursor from = cursor;
            KeyScanCursor<byte[]> batch = call(c -> c.scan(from, args));
            if (!batch.getKeys().isEmpty()) {
                byte[][] found = batch.getKeys().toArray(new byte[0][]);
                call(c -> c.unlink(found));
            }
            cursor = batch;
        } while (!cursor.isFinished());
    }

    boolean available() {
        return sync != null && breaker.allows();
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    String where() {
        return uri.getHost() + ":" + uri.getPort();
    }

    private void connectCommands() {
        connectAttempts.increment();
        try {
            StatefulRedisConnection<byte[], byte[]> connection =
                    client.connect(ByteArrayCodec.INSTANCE);
            connection.setTimeout(commandTimeout);
            commands = connection;
            sync = connection.sync();
            if (breaker.isOpen()) {
                breaker.reset();
            }
            connectFailureLogged = false;
            LOG.info("Larder: connected to Redis at {}", where());
        } catch (RuntimeException e) {
            if (breaker.trip()) {
                subscriber.broken();
            }
            if (!connectFailureLogged) {
                connectFailureLogged = true;
                LOG.warn("Larder: cannot connect to Redis at {} (retrying in the background;"
                        + " the cache is bypassed meanwhile): {}", where(), e.toString(), e);
            } else {
                LOG.debug("Larder: still cannot connect to Redis at {}: {}", where(), e.toString());
            }
        }
    }

    private void connectPubSub() {
        try {
            StatefulRedisPubSubConnection<String, String> connection =
                    client.connectPubSub(StringCodec.UTF8);
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String message) {
                    subscriber.message(message);
                }

                @Override
                public void subscribed(String to, long count) {
                    RedisConnection.this.subscribed = true;
                    subscriber.subscribed();
                }
            });
            pubsub = connection;
            connection.async().subscribe(channel);
        } catch (RuntimeException e) {
            LOG.debug("Larder: cannot subscribe to {} on {}: {}", channel, where(), e.toString());
        }
    }

    /**
     * Pings Redis on the channel connection: once it answers, every message published before
     * was delivered (a connection answers in order).
     *
     * @return whether it answered within the command timeout
     */
    boolean pingChannel() {
        StatefulRedisPubSubConnection<String, String> channelConnection = pubsub;
        if (channelConnection == null || !subscribed) {
            return false;
        }
        try {
            channelConnection.sync().ping();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Reconnects what is not connected, closes the breaker when Redis answers, then runs the
     * owner's upkeep.
     */
    private void probe() {
        if (closed) {
            return;
        }
        try {
            if (commands == null) {
                connectCommands();
            }
            StatefulRedisPubSubConnection<String, String> channelConnection = pubsub;
            if (channelConnection == null) {
                connectPubSub();
            } else if (!subscribed && channelConnection.isOpen()) {
                // A SUBSCRIBE that timed out is not replayed by Lettuce on reconnect: ask again.
                channelConnection.async().subscribe(channel);
            }
            RedisCommands<byte[], byte[]> commands = sync;
            if (commands != null && breaker.isOpen()) {
                try {
                    commands.ping();
                    breaker.reset();
                    LOG.info("Larder: Redis at {} answers again; circuit breaker closed", where());
                } catch (RuntimeException e) {
                    return;
                }
            }
            if (available()) {
                whenHealthy.run();
            }
        } catch (RuntimeException e) {
            LOG.debug("Larder: Redis probe failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        prober.shutdownNow();
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        } finally {
            resources.shutdown(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Opens the breaker when the command connection drops; reports the channel's losses. */
    private final class StateListener implements RedisConnectionStateListener {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (closed) {
                return;
            }
            if (connection == pubsub) {
                pubsub = null; // the probe connects a new one
                subscribed = false;
                subscriber.unsubscribed();
                connection.closeAsync();
            } else if (connection == commands) {
                commands = null;
                sync = null;
                connection.closeAsync();
                if (breaker.trip()) {
                    LOG.warn("Larder: lost the connection to Redis at {}; circuit breaker open,"
                            + " the cache is bypassed until it answers again", where());
                    subscriber.broken();
                }
            }
        }
    }
}
