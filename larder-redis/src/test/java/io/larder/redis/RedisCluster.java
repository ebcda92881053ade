package io.larder.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of a test's own: 6 {@code redis-server} processes on free loopback ports (3
 * primaries, 3 replicas) joined with {@code redis-cli --cluster create --cluster-replicas 1}, and
 * stopped by pid. Waits on the cluster's own state (every node says {@code cluster_state:ok}
 * with all 16384 slots served, every replica's link to its primary up), never on time. A node
 * is declared failed after 2 s without an answer ({@code cluster-node-timeout}).
 */
public final class RedisCluster implements AutoCloseable {
    private static final int SLOTS = 16384;
    private final List<RedisServer> nodes = new ArrayList<>();

    private RedisCluster() { }

    /** Starts the 6 nodes, creates the cluster and waits until it serves every slot. */
    public static RedisCluster start() {
        RedisCluster cluster = new RedisCluster();
        try {
            for (int i = 0; i < 6; i++) {
                cluster.nodes.add(RedisServer.start("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000",
                        "--cluster-replica-validity-factor", "0"));
            }
            cluster.create();
            cluster.awaitHealthy();
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void create() {
        List<String> command = new ArrayList<>(List.of(RedisServer.findBinary("redis-cli"),
                "--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed: " + output);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot run redis-cli", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The seeds as the store takes them: {@code redis-cluster://127.0.0.1:p1,...}. */
    public String uri() {
        StringBuilder uri = new StringBuilder("redis-cluster://");
        for (int i = 0; i < nodes.size(); i++) {
            uri.append(i == 0 ? "" : ",").append("127.0.0.1:").append(nodes.get(i).port());
        }
        return uri.toString();
    }

    /** The six processes. */
    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /**
     * Waits until every running node says the cluster is ok with every slot served, knows
     * every node, and every running replica is linked to its primary.
     */
    public void awaitHealthy() {
        RedisServer.awaitCondition("the cluster is ok on every node", this::healthy);
    }

    private boolean healthy() {
        try {
            for (RedisServer node : nodes) {
                if (!node.alive()) {
                    continue;
                }
                String info = node.command("CLUSTER", "INFO");
                if (!info.contains("cluster_state:ok")
                        || !info.contains("cluster_slots_ok:" + SLOTS)
                        || !info.contains("cluster_known_nodes:" + nodes.size())) {
                    return false;
                }
                String replication = node.command("INFO", "replication");
                if (replication.contains("role:slave")
                        && !replication.contains("master_link_status:up")) {
                    return false;
                }
            }
            return true;
        } catch (IllegalStateException e) {
            return false; // a node busy or restarting: ask again
        }
    }

    /** The slot of {@code key}. */
    public int slot(String key) {
        return Integer.parseInt(anyLive().command("CLUSTER", "KEYSLOT", key));
    }

    /** The primary serving {@code slot} now, as a running node sees it. */
    public RedisServer primaryOf(int slot) {
        for (String line : anyLive().command("CLUSTER", "NODES").split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 9 || !fields[2].contains("master") || fields[2].contains("fail")) {
                continue;
            }
            for (String range : Arrays.copyOfRange(fields, 8, fields.length)) {
                if (range.startsWith("[")) {
                    continue; // a slot being migrated
                }
                String[] ends = range.split("-");
                int from = Integer.parseInt(ends[0]);
                int to = Integer.parseInt(ends[ends.length - 1]);
                if (slot >= from && slot <= to) {
                    return byAddress(fields[1]);
                }
            }
        }
        throw new IllegalStateException("no primary serves slot " + slot);
    }

    /** A running replica of {@code primary}. */
    public RedisServer replicaOf(RedisServer primary) {
        for (RedisServer node : nodes) {
            if (node.alive() && node != primary && node.command("INFO", "replication")
                    .contains("master_port:" + primary.port() + "\r")) {
                return node;
            }
        }
        throw new IllegalStateException("no running replica of port " + primary.port());
    }

    private RedisServer byAddress(String address) {
        int port = Integer.parseInt(address.substring(address.indexOf(':') + 1).split("[@,]")[0]);
        return nodes.stream().filter(node -> node.port() == port).findFirst().orElseThrow();
    }

    private RedisServer anyLive() {
        return nodes.stream().filter(RedisServer::alive).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        for (RedisServer node : nodes) {
            node.close();
        }
    }
}
