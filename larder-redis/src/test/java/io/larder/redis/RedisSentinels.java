package io.larder.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * A Sentinel set of a test's own: a primary, a replica and 3 Sentinels (quorum 2) on free
 * loopback ports, stopped by pid. Waits on what the Sentinels report (the primary's address,
 * its replica, the other Sentinels), never on time.
 */
public final class RedisSentinels implements AutoCloseable {
    /** The name the Sentinels know the primary by. */
    public static final String MASTER = "larder";
    private final List<RedisServer> servers = new ArrayList<>();
    private final List<RedisServer> sentinels = new ArrayList<>();

    private RedisSentinels() { }

    /** Starts everything and waits until every Sentinel knows the primary, replica and peers. */
    public static RedisSentinels start() {
        RedisSentinels set = new RedisSentinels();
        try {
            RedisServer primary = RedisServer.start();
            set.servers.add(primary);
            set.servers.add(RedisServer.start("--replicaof", "127.0.0.1",
                    Integer.toString(primary.port())));
            for (int i = 0; i < 3; i++) {
                set.sentinels.add(RedisServer.startSentinel(MASTER, primary.port()));
            }
            set.awaitPrimary(primary);
            return set;
        } catch (RuntimeException | Error e) {
            set.close();
            throw e;
        }
    }

    /** {@code redis-sentinel://127.0.0.1:s1,127.0.0.1:s2,127.0.0.1:s3#larder}. */
    public String uri() {
        StringBuilder uri = new StringBuilder("redis-sentinel://");
        for (int i = 0; i < sentinels.size(); i++) {
            uri.append(i == 0 ? "" : ",").append("127.0.0.1:").append(sentinels.get(i).port());
        }
        return uri.append('#').append(MASTER).toString();
    }

    /** The data server the Sentinels name as primary now. */
    public RedisServer primary() {
        String address = sentinels.get(0).command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER);
        int port = Integer.parseInt(address.split("\n")[1].trim());
        return servers.stream().filter(s -> s.port() == port).findFirst().orElseThrow();
    }

    /** The other data server. */
    public RedisServer replica() {
        RedisServer primary = primary();
        return servers.stream().filter(s -> s != primary).findFirst().orElseThrow();
    }

    /**
     * Waits until {@code expected} is a primary, every Sentinel names it as such and sees 2
     * other Sentinels, and (if it runs) the other server is its linked replica.
     */
    public void awaitPrimary(RedisServer expected) {
        RedisServer.awaitCondition("every Sentinel names port " + expected.port()
                + " as primary", () -> {
                    try {
                        if (!expected.command("INFO", "replication").contains("role:master")) {
                            return false;
                        }
                        for (RedisServer sentinel : sentinels) {
                            String info = sentinel.command("INFO", "sentinel");
                            if (!info.contains("status=ok,address=127.0.0.1:" + expected.port())
                                    || !info.contains("sentinels=3")) {
                                return false;
                            }
                        }
                        for (RedisServer other : servers) {
                            if (other != expected && other.alive() && !other.command("INFO",
                                    "replication").contains("master_link_status:up")) {
                                return false;
                            }
                        }
                        return true;
                    } catch (IllegalStateException e) {
                        return false;
                    }
                });
    }

    /** {@code SENTINEL FAILOVER}: the replica is promoted, the old primary follows it. */
    public RedisServer failover() {
        RedisServer next = replica();
        String reply = sentinels.get(0).command("SENTINEL", "FAILOVER", MASTER);
        if (!reply.equals("OK")) {
            throw new IllegalStateException("SENTINEL FAILOVER: " + reply);
        }
        awaitPrimary(next);
        return next;
    }

    @Override
    public void close() {
        for (RedisServer server : sentinels) {
            server.close();
        }
        for (RedisServer server : servers) {
            server.close();
        }
    }
}
