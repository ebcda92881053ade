package io.larder.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;

/**
 * One Redis server, or the primary that Sentinels name ({@code redis-sentinel://}): Lettuce asks
 * the Sentinels for the primary at every connection, so a connection made after a failover
 * reaches the new primary.
 */
final class StandaloneLink implements RedisLink {
    private final RedisEndpoint endpoint;
    private final RedisClient client;

    StandaloneLink(RedisEndpoint endpoint, ClientResources resources, ClientOptions options) {
        this.endpoint = endpoint;
        this.client = RedisClient.create(resources, endpoint.first());
        client.setOptions(options);
    }

    @Override
    public Commands connect() {
        StatefulRedisConnection<byte[], byte[]> connection =
                client.connect(ByteArrayCodec.INSTANCE);
        return new Commands(connection, connection.sync());
    }

    @Override
    public StatefulRedisPubSubConnection<String, String> connectChannel() {
        return client.connectPubSub(StringCodec.UTF8);
    }

    @Override
    public boolean channelCurrent(StatefulRedisPubSubConnection<String, String> channel) {
        return true; // a new primary closes or fails the old connections (see RedisConnection)
    }

    @Override
    public void recover() {
        // Nothing to learn: the next connection asks the Sentinels (if any) again.
    }

    @Override
    public void addListener(RedisConnectionStateListener listener) {
        client.addListener(listener);
    }

    @Override
    public String where() {
        return endpoint.where();
    }

    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
}
