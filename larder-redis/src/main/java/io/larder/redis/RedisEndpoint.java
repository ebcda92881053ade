package io.larder.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Where {@link RedisStore} connects, from one string: {@code redis://} or {@code rediss://} (one
 * server), {@code redis-sentinel://host:port[,host:port...][/db]#primary} (the primary that the
 * Sentinels name, followed through failovers), and a Redis Cluster as
 * {@code redis-cluster://[user:password@]host:port[,host:port...]} ({@code rediss-cluster://}
 * for TLS) or as a comma-separated list of nodes ({@code host:port} or {@code redis://host:port}
 * each). The cluster's nodes are seeds: the topology is read from them.
 *
 * @param cluster whether the URIs are seeds of a Redis Cluster
 * @param uris one server or Sentinel URI, or the cluster's seeds
 */
record RedisEndpoint(boolean cluster, List<RedisURI> uris) {
    RedisEndpoint {
        uris = List.copyOf(uris);
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("no Redis server given");
        }
    }

    /**
     * Parses one of the forms above.
     *
     * @throws IllegalArgumentException naming the value when it is none of them
     */
    static RedisEndpoint parse(String value) {
        String text = Objects.requireNonNull(value, "uri").trim();
        try {
            for (String scheme : List.of("redis-cluster://", "rediss-cluster://")) {
                if (text.startsWith(scheme)) {
                    String rest = text.substring(scheme.length());
                    int at = rest.lastIndexOf('@');
                    String userInfo = at < 0 ? "" : rest.substring(0, at + 1);
                    String plain = scheme.startsWith("rediss") ? "rediss://" : "redis://";
                    List<RedisURI> seeds = new ArrayList<>();
                    for (String node : rest.substring(at + 1).split(",")) {
                        seeds.add(RedisURI.create(plain + userInfo + node.trim()));
                    }
                    return new RedisEndpoint(true, seeds);
                }
            }
            if (text.startsWith("redis-sentinel://") || text.startsWith("rediss-sentinel://")
                    || !text.contains(",")) {
                return new RedisEndpoint(false, List.of(RedisURI.create(text)));
            }
            List<RedisURI> seeds = new ArrayList<>();
            for (String node : text.split(",")) {
                String trimmed = node.trim();
                seeds.add(RedisURI.create(trimmed.contains("://") ? trimmed
                        : "redis://" + trimmed));
            }
            return new RedisEndpoint(true, seeds);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Redis URI (redis://host:port,"
                    + " rediss://..., redis-sentinel://host:port,...#primary,"
                    + " redis-cluster://host:port,... or host:port,host:port,...): '" + value
                    + "': " + e.getMessage(), e);
        }
    }

    /** The same servers with every URI changed by {@code change} (credentials, TLS). */
    RedisEndpoint map(UnaryOperator<RedisURI.Builder> change) {
        return new RedisEndpoint(cluster, uris.stream()
                .map(uri -> change.apply(builder(uri)).build()).toList());
    }

    /** A builder holding what {@code uri} holds ({@code RedisURI.builder} drops Sentinels). */
    static RedisURI.Builder builder(RedisURI uri) {
        if (uri.getSentinels().isEmpty()) {
            return RedisURI.builder(uri);
        }
        RedisURI.Builder builder = RedisURI.Builder.sentinel(uri.getSentinels().get(0).getHost(),
                uri.getSentinels().get(0).getPort(), uri.getSentinelMasterId());
        uri.getSentinels().stream().skip(1).forEach(builder::withSentinel);
        builder.withDatabase(uri.getDatabase()).withSsl(uri.isSsl())
                .withVerifyPeer(uri.getVerifyMode()).withStartTls(uri.isStartTls())
                .withTimeout(uri.getTimeout()).withAuthentication(uri);
        if (uri.getClientName() != null) {
            builder.withClientName(uri.getClientName());
        }
        return builder;
    }

    /** The same servers, each connection's handshake bounded by {@code timeout}. */
    RedisEndpoint withTimeout(Duration timeout) {
        return map(builder -> builder.withTimeout(timeout));
    }

    /** The first URI (the server, the Sentinel set, or the first seed). */
    RedisURI first() {
        return uris.get(0);
    }

    /** For log lines: {@code host:port}, the Sentinels' primary name, or the cluster's seeds. */
    String where() {
        RedisURI first = first();
        if (cluster) {
            return "cluster " + first.getHost() + ":" + first.getPort()
                    + (uris.size() > 1 ? " (+" + (uris.size() - 1) + " seeds)" : "");
        }
        if (first.getSentinelMasterId() != null) {
            return "Sentinel primary '" + first.getSentinelMasterId() + "'";
        }
        return first.getHost() + ":" + first.getPort();
    }
}
