package io.larder.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
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
 * channel, made by a {@link RedisLink} (one server, the Sentinels' primary, or a cluster).
 * Lettuce does not reconnect by itself: the probe does, so that an outage logs one warning (with
 * its stack trace) when it starts and one line when it ends, however long it lasts. Knows
 * nothing of entries or tags.
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

    private final String channel;
    private final Subscriber subscriber;
    private final Runnable whenHealthy;
    private final ClientResources resources;
    private final RedisLink link;
    private final CircuitBreaker breaker;
    private final ScheduledExecutorService prober;
    private volatile StatefulConnection<byte[], byte[]> commands;
    private volatile RedisClusterCommands<byte[], byte[]> sync;
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

    RedisConnection(RedisStore.Builder settings, RedisKeys keys, Subscriber subscriber,
            Runnable whenHealthy) {
        this.commandTimeout = settings.commandTimeout;
        this.channel = keys.channel;
        this.subscriber = subscriber;
        this.whenHealthy = whenHealthy;
        this.breaker = new CircuitBreaker(settings.breakerFailures);
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), settings.retryInterval, 2,
                        TimeUnit.MILLISECONDS))
                .build();
        ClientOptions options = ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(settings.requestQueueSize)
                .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout)
                        .keepAlive(true).tcpNoDelay(true).build())
                .timeoutOptions(TimeoutOptions.builder()
                        .fixedTimeout(settings.commandTimeout).build())
                .build();
        // The URIs' timeout bounds the handshake (HELLO, AUTH, SELECT); commands get their own.
        RedisEndpoint endpoint = settings.endpoint.withTimeout(settings.connectTimeout);
        this.link = endpoint.cluster()
                ? new ClusterLink(endpoint, resources, options, keys.tag(""))
                : new StandaloneLink(endpoint, resources, options);
        link.addListener(new StateListener());
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
    <T> T call(Function<RedisClusterCommands<byte[], byte[]>, T> command) {
        RedisClusterCommands<byte[], byte[]> commands = sync;
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
            if (String.valueOf(e.getMessage()).startsWith("READONLY")) {
                demoted();
            }
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

    /** Whether commands go to Redis now (connected, breaker closed). */
    boolean available() {
        return sync != null && breaker.allows();
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    String where() {
        return link.where();
    }

    private void connectCommands() {
        connectAttempts.increment();
        try {
            RedisLink.Commands connection = link.connect();
            connection.connection().setTimeout(commandTimeout);
            commands = connection.connection();
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
            StatefulRedisPubSubConnection<String, String> connection = link.connectChannel();
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
        if (!link.channelCurrent(channelConnection)) {
            LOG.info("Larder: the tag counters of {} moved to another primary; following them",
                    where());
            dropChannel(channelConnection);
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
            RedisClusterCommands<byte[], byte[]> commands = sync;
            if (commands != null && breaker.isOpen()) {
                try {
                    link.recover();
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
            link.close();
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
                dropChannel(pubsub);
            } else if (connection == commands) {
                dropCommands(commands, "lost the connection to Redis at");
            }
        }
    }

    /** The channel connection is gone or in the wrong place: the probe connects a new one. */
    private synchronized void dropChannel(StatefulRedisPubSubConnection<String, String> lost) {
        if (lost == null || pubsub != lost) {
            return;
        }
        pubsub = null;
        subscribed = false;
        subscriber.unsubscribed();
        lost.closeAsync();
    }

    private synchronized void dropCommands(StatefulConnection<byte[], byte[]> lost, String what) {
        if (lost == null || commands != lost) {
            return;
        }
        commands = null;
        sync = null;
        lost.closeAsync();
        if (breaker.trip()) {
            LOG.warn("Larder: {} {}; circuit breaker open, the cache is bypassed until it answers"
                    + " again", what, where());
            subscriber.broken();
        }
    }

    /**
     * A write met a read-only replica: the server we know was demoted (a failover that kept it
     * running). Both connections are made again, through the Sentinels, to the new primary.
     */
    private void demoted() {
        dropCommands(commands, "Redis demoted to a replica at");
        dropChannel(pubsub);
    }
}
