package io.larder.bench;

import io.larder.Key;
import io.larder.Larder;
import io.larder.hibernate.LarderHibernate;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.SessionFactory;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What larder-hibernate costs: a transaction that updates one entity (events, collection per
 * transaction, one invalidation after commit), and a cached query's miss (a query of 10 entities
 * inside {@code larder.get}, tagged by its rows and tables), each with {@code mode=off}
 * (Hibernate alone), {@code mode=on} (installed, invalidation log off) and {@code mode=log}
 * (installed with its default settings: the transaction also takes the log's lock and inserts
 * its row), on an in-memory H2 ({@code db=h2}) or the PostgreSQL on loopback
 * ({@code db=postgres}, a fresh schema of database {@code test}; skipped if unreachable).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar HibernateBench -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HibernateBench {
    /** A post of the benchmark's database. */
    @Entity(name = "BenchPost")
    public static class BenchPost {
        @Id
        @GeneratedValue
        Long id;
        String title;
        int views;
    }

    @Param({"off", "on", "log"})
    public String mode;

    @Param({"h2", "postgres"})
    public String db;

    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
    private Larder larder;
    private SessionFactory factory;
    private String schema;
    private long firstId;
    private final AtomicLong misses = new AtomicLong();

    @Setup(Level.Trial)
    public void start() {
        larder = Larder.builder().build();
        Map<String, Object> settings = new HashMap<>();
        String name = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        if (db.equals("postgres")) {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(PG, "postgres", "");
                    java.sql.Statement s = c.createStatement()) {
                s.execute("create schema " + name);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("PostgreSQL at " + PG + " is needed for"
                        + " db=postgres", e);
            }
            settings.put("jakarta.persistence.jdbc.url", PG + "?currentSchema=" + name);
            settings.put("jakarta.persistence.jdbc.user", "postgres");
            settings.put("hibernate.connection.pool_size", "4");
            schema = name;
        } else {
            settings.put("jakarta.persistence.jdbc.url", "jdbc:h2:mem:" + name
                    + ";DB_CLOSE_DELAY=-1");
            settings.put("jakarta.persistence.jdbc.user", "sa");
        }
        settings.put("hibernate.hbm2ddl.auto", "create");
        if (!mode.equals("off")) {
            settings.putAll(LarderHibernate.builder(larder).invalidationLog(mode.equals("log"))
                    .settings());
        }
        factory = new HibernatePersistenceConfiguration("bench").managedClasses(BenchPost.class)
                .properties(settings).createEntityManagerFactory().unwrap(SessionFactory.class);
        factory.inTransaction(session -> {
            for (int i = 0; i < 10; i++) {
                BenchPost post = new BenchPost();
                post.title = "post " + i;
                session.persist(post);
            }
        });
        firstId = factory.fromSession(session -> session.createSelectionQuery(
                "select min(p.id) from BenchPost p", Long.class).getSingleResult());
    }

    @TearDown(Level.Trial)
    public void stop() throws java.sql.SQLException {
        factory.close();
        larder.close();
        if (schema != null) {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(PG, "postgres", "");
                    java.sql.Statement s = c.createStatement()) {
                s.execute("drop schema " + schema + " cascade");
            }
        }
    }

    /** One transaction: load one post, change it, commit. */
    @Benchmark
    public int updateOneAndCommit() {
        return factory.fromTransaction(session -> ++session.find(BenchPost.class, firstId).views);
    }

    /** A cache miss whose loader queries 10 posts (a new key each time). */
    @Benchmark
    public List<?> cachedQueryMiss() {
        Key key = Key.of("bench-titles", Long.toString(misses.incrementAndGet()));
        return larder.get(key, List.class, () -> factory.fromSession(session -> session
                .createSelectionQuery("from BenchPost p order by p.id", BenchPost.class)
                .getResultList().stream().map(post -> post.title).toList()));
    }
}
