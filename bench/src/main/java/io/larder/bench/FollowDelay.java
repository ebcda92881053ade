package io.larder.bench;

import io.larder.Key;
import io.larder.Larder;
import io.larder.hibernate.LarderHibernate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.hibernate.SessionFactory;
import org.hibernate.jpa.HibernatePersistenceConfiguration;

/**
 * How long a node whose store is its own (a memory store per node) serves an entry after
 * another node committed a change to what the entry was built from: the invalidation log's
 * follower delay. Node B caches a query that loads one post; node A updates that post and
 * commits; the time from A's commit returning to B's entry becoming a miss is one sample. Both
 * nodes are Hibernate session factories on one PostgreSQL schema, as two JVMs of a site would be,
 * with {@code logPolling} set to each interval measured. A random pause between rounds spreads
 * commits over the poll cycle.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar io.larder.bench.FollowDelay [rounds]}.
 */
public final class FollowDelay {
    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

    private FollowDelay() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        for (Duration poll : new Duration[] {Duration.ofSeconds(1), Duration.ofMillis(100)}) {
            double[] delays = measure(poll, rounds);
            Arrays.sort(delays);
            System.out.printf("logPolling %5d ms: delay p50 %6.1f ms, p99 %6.1f ms, max %6.1f ms"
                    + " (%d commits)%n", poll.toMillis(), at(delays, 0.50), at(delays, 0.99),
                    delays[delays.length - 1], delays.length);
        }
    }

    private static double at(double[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private static double[] measure(Duration poll, int rounds) throws SQLException {
        String schema = "follow_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(PG, "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("create schema " + schema);
        }
        Larder a = Larder.builder().build();
        Larder b = Larder.builder().build();
        SessionFactory nodeA = factory(a, schema, poll, "create");
        SessionFactory nodeB = factory(b, schema, poll, "none");
        try {
            long id = nodeA.fromTransaction(session -> {
                HibernateBench.BenchPost post = new HibernateBench.BenchPost();
                post.title = "followed";
                session.persist(post);
                return post.id;
            });
            double[] delays = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                Key key = Key.of("follow", Integer.toString(round));
                b.get(key, Integer.class, () -> nodeB.fromSession(
                        session -> session.find(HibernateBench.BenchPost.class, id).views));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(
                        ThreadLocalRandom.current().nextLong(poll.toMillis() + 1)));
                nodeA.inTransaction(session ->
                        session.find(HibernateBench.BenchPost.class, id).views++);
                long committed = System.nanoTime();
                while (b.peek(key, Integer.class).isPresent()) {
                    LockSupport.parkNanos(50_000);
                    if (System.nanoTime() - committed > TimeUnit.SECONDS.toNanos(60)) {
                        throw new IllegalStateException("node B still serves " + key
                                + " a minute after node A's commit");
                    }
                }
                delays[round] = (System.nanoTime() - committed) / 1e6;
            }
            return delays;
        } finally {
            nodeB.close();
            nodeA.close();
            b.close();
            a.close();
            try (Connection c = DriverManager.getConnection(PG, "postgres", "");
                    Statement s = c.createStatement()) {
                s.execute("drop schema " + schema + " cascade");
            }
        }
    }

    private static SessionFactory factory(Larder larder, String schema, Duration poll,
            String ddl) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("jakarta.persistence.jdbc.url", PG + "?currentSchema=" + schema);
        settings.put("jakarta.persistence.jdbc.user", "postgres");
        settings.put("hibernate.connection.pool_size", "4");
        settings.put("hibernate.hbm2ddl.auto", ddl);
        settings.putAll(LarderHibernate.builder(larder).logPolling(poll).settings());
        return new HibernatePersistenceConfiguration("follow")
                .managedClasses(HibernateBench.BenchPost.class).properties(settings)
                .createEntityManagerFactory().unwrap(SessionFactory.class);
    }
}
