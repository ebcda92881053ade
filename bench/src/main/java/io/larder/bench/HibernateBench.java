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
 * What larder-hibernate costs on an in-memory H2: a transaction that updates one entity
 * (events, collection per transaction, one invalidation after commit), and a cached query's miss
 * (a query of 10 entities inside {@code larder.get}, tagged by its rows and tables), each with
 * {@code mode=off} (Hibernate alone) and {@code mode=on} (installed with its settings).
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

    @Param({"off", "on"})
    public String mode;

    private Larder larder;
    private SessionFactory factory;
    private long firstId;
    private final AtomicLong misses = new AtomicLong();

    @Setup(Level.Trial)
    public void start() {
        larder = Larder.builder().build();
        Map<String, Object> settings = new HashMap<>();
        settings.put("jakarta.persistence.jdbc.url", "jdbc:h2:mem:bench_"
                + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        settings.put("jakarta.persistence.jdbc.user", "sa");
        settings.put("hibernate.hbm2ddl.auto", "create");
        if (mode.equals("on")) {
            settings.putAll(LarderHibernate.settings(larder));
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
    public void stop() {
        factory.close();
        larder.close();
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
