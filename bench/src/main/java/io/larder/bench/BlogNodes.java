package io.larder.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Several blog nodes as a site runs them: separate JVMs ({@link BlogProcess}) on one PostgreSQL
 * schema of their own (127.0.0.1:5432, database {@code test}, created and seeded here, dropped on
 * close) sharing one Redis (a server or a cluster, {@code --store redis}) and one data folder
 * (so one HMAC secret), behind an {@link HaProxy} that balances round-robin over some of them.
 * {@link #close()} stops every process it started, by pid, whatever happened before.
 */
final class BlogNodes implements AutoCloseable {
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String PG_USER = "postgres";
    /** The admin's password of the seed. */
    static final String ADMIN_PASSWORD = "blog-nodes-admin-1";

    private final String classpath;
    private final Path work;
    private final String redis;
    private final String schema;
    private final List<BlogProcess> nodes = new ArrayList<>();
    private HaProxy balancer;

    private BlogNodes(String classpath, Path work, String redis, String schema) {
        this.classpath = classpath;
        this.work = work;
        this.redis = redis;
        this.schema = schema;
    }

    /**
     * A fresh schema seeded with {@code posts} and {@code comments} by {@code blog seed} in a JVM
     * of its own; no node runs yet.
     *
     * @param classpath a class path holding the blog (its jar, or a test's class path)
     * @param work where the data folder and every process's log go
     * @param redis the {@code --redis} string of every node
     */
    static BlogNodes seeded(String classpath, Path work, String redis, int posts, int comments)
            throws IOException, InterruptedException {
        String schema = "blog_nodes_" + UUID.randomUUID().toString().replace("-", "")
                .substring(0, 12);
        BlogNodes nodes = new BlogNodes(classpath, work, redis, schema);
        try {
            List<String> args = new ArrayList<>(List.of("seed", "--posts",
                    Integer.toString(posts), "--comments", Integer.toString(comments),
                    "--admin-password", ADMIN_PASSWORD));
            args.addAll(nodes.database());
            BlogProcess.run(classpath, List.of("-Xmx512m"), args, work.resolve("seed.log"));
            return nodes;
        } catch (IOException | InterruptedException | RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    /** The options naming the data folder and the database, the same for every node. */
    private List<String> database() {
        return List.of("--data", work.resolve("data").toString(), "--db", PG, "--db-user",
                PG_USER, "--schema", schema);
    }

    /**
     * Starts {@code count} nodes in cache mode {@code cache} (e.g. {@code page}) with the blog's
     * benchmark hooks {@code properties}, one after the other, each waited for until it listens.
     */
    void start(int count, String cache, Map<String, String> properties)
            throws IOException, InterruptedException {
        for (int i = 0; i < count; i++) {
            List<String> args = new ArrayList<>(database());
            args.addAll(List.of("--store", "redis", "--redis", redis, "--cache", cache));
            int n = nodes.size() + 1;
            nodes.add(BlogProcess.serve(classpath, List.of("-Xmx256m"), properties, args,
                    work.resolve("node" + n + "-" + cache + ".log")));
        }
    }

    /** (Re)starts the balancer in front of the first {@code count} nodes. */
    HaProxy balance(int count) throws IOException, InterruptedException {
        if (balancer != null) {
            balancer.close();
            balancer = null;
        }
        balancer = HaProxy.start(work, ports().subList(0, count));
        return balancer;
    }

    /** The ports of the running nodes, in the order they were started. */
    List<Integer> ports() {
        return nodes.stream().map(BlogProcess::port).toList();
    }

    /** Base URLs of the running nodes ({@code http://127.0.0.1:port}). */
    List<String> urls() {
        return ports().stream().map(port -> "http://127.0.0.1:" + port).toList();
    }

    /** Stops the balancer and every node (the schema stays, for nodes started next). */
    void stopNodes() throws InterruptedException {
        try {
            if (balancer != null) {
                balancer.close();
                balancer = null;
            }
        } finally {
            for (BlogProcess node : nodes) {
                node.close();
            }
            nodes.clear();
        }
    }

    /** Stops every process and drops the schema. */
    @Override
    public void close() throws InterruptedException {
        try {
            stopNodes();
        } finally {
            try (Connection c = DriverManager.getConnection(PG, PG_USER, "");
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException e) {
                System.err.println("could not drop schema " + schema + ": " + e.getMessage());
            }
        }
    }
}
