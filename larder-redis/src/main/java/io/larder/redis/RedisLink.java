package io.larder.redis;

import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * How {@link RedisConnection} reaches Redis: {@link StandaloneLink} (one server, or the primary
 * that the Sentinels name) or {@link ClusterLink} (a Redis Cluster). Makes connections and
 * nothing else: timeouts, the breaker and reconnection are {@link RedisConnection}'s.
 */
interface RedisLink {
    /** A command connection and its commands (a cluster's route each key to its slot). */
    record Commands(StatefulConnection<byte[], byte[]> connection,
            RedisClusterCommands<byte[], byte[]> sync) { }

    /** A new connection for commands; throws if none can be made now. */
    Commands connect();

    /**
     * A new connection for the change channel, on the server that runs the invalidation
     * scripts (so that a PING answered there follows every invalidation announced before it);
     * throws if none can be made now.
     */
    StatefulRedisPubSubConnection<String, String> connectChannel();

    /**
     * Whether {@code channel} is still on that server (in a cluster the slot of the tag counters
     * may have moved to another primary since).
     */
    boolean channelCurrent(StatefulRedisPubSubConnection<String, String> channel);

    /**
     * Called by the probe while Redis fails: learns where things are now (a cluster reads its
     * topology again: a failover moved slots to a replica).
     */
    void recover();

    /** Tells {@code listener} of connections made and lost. */
    void addListener(RedisConnectionStateListener listener);

    /** For log lines. */
    String where();

    /** Closes every connection. */
    void close();
}
