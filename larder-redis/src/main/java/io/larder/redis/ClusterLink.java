package io.larder.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;

/**
 * A Redis Cluster through Lettuce's cluster client: each command goes to the primary of its
 * key's slot, {@code MOVED} and {@code ASK} are followed, and the topology is read again when a
 * redirection, an uncovered slot or an unknown node shows it changed (Lettuce's adaptive
 * refresh), when the probe finds Redis failing ({@link #recover}), and every 30 s. The change
 * channel is a plain connection to the primary of the slot that holds the tag counters (their
 * hash tag): invalidations are announced there, by the script that increments them, so a PING
 * answered on it follows them; announcements published on other primaries reach it over the
 * cluster bus.
 */
final class ClusterLink implements RedisLink {
    private final RedisEndpoint endpoint;
    private final RedisClusterClient client;
    private final RedisClient channels;
    private final int controlSlot;
    private volatile StatefulRedisPubSubConnection<String, String> channel;
    private volatile String channelNode;

    ClusterLink(RedisEndpoint endpoint, ClientResources resources, ClientOptions options,
            byte[] controlKey) {
        this.endpoint = endpoint;
        this.client = RedisClusterClient.create(resources, endpoint.uris());
        client.setOptions(ClusterClientOptions.builder(options)
                // Lettuce connects to a node when a command first needs it, and rejects commands
                // waiting for that connection if told to: they wait (within their timeout).
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .build())
                .build());
        this.channels = RedisClient.create(resources);
        channels.setOptions(options);
        this.controlSlot = SlotHash.getSlot(controlKey);
    }

    @Override
    public Commands connect() {
        StatefulRedisClusterConnection<byte[], byte[]> connection =
                client.connect(ByteArrayCodec.INSTANCE);
        return new Commands(connection, connection.sync());
    }

    @Override
    public StatefulRedisPubSubConnection<String, String> connectChannel() {
        RedisClusterNode owner = client.getPartitions().getPartitionBySlot(controlSlot);
        if (owner == null) {
            client.refreshPartitions();
            throw new IllegalStateException("no primary serves slot " + controlSlot);
        }
        RedisURI node = RedisURI.builder(endpoint.first()).withHost(owner.getUri().getHost())
                .withPort(owner.getUri().getPort()).build();
        try {
            StatefulRedisPubSubConnection<String, String> connection =
                    channels.connectPubSub(StringCodec.UTF8, node);
            channel = connection;
            channelNode = address(owner);
            return connection;
        } catch (RuntimeException e) {
            client.refreshPartitions(); // the primary is gone: where is the slot now?
            throw e;
        }
    }

    @Override
    public boolean channelCurrent(StatefulRedisPubSubConnection<String, String> connection) {
        RedisClusterNode owner = client.getPartitions().getPartitionBySlot(controlSlot);
        return connection != channel || owner != null && address(owner).equals(channelNode);
    }

    @Override
    public void recover() {
        client.refreshPartitions();
    }

    @Override
    public void addListener(RedisConnectionStateListener listener) {
        client.addListener(listener);
        channels.addListener(listener);
    }

    @Override
    public String where() {
        return endpoint.where();
    }

    @Override
    public void close() {
        try {
            channels.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    private static String address(RedisClusterNode node) {
        return node.getUri().getHost() + ":" + node.getUri().getPort();
    }
}
