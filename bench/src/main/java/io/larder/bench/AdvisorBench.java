package io.larder.bench;

import io.larder.Trace;
import io.larder.insight.Advisor;
import io.larder.insight.TimedDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the advisor costs. One H2 query that reads ten rows (prepare, bind, execute, read, close)
 * on a raw connection, on a {@link TimedDataSource} connection with no trace open, and with a
 * trace open (as larder-javalin opens one around every request: the span is timed until the
 * statement closes and its shape is looked up); and the cost of {@link Advisor#record} for one
 * sampled request of 20 spans.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar AdvisorBench -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 * Figures: {@code timedQuery - rawQuery} and {@code tracedQuery - rawQuery} in µs per query
 * (multiply by the queries of a page), and {@code recordRequest} in µs per sampled request.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AdvisorBench {
    private static final String SQL = "select id, title, author from post where id > ?"
            + " order by id limit 10";

    private Connection raw;
    private Connection timed;
    private Advisor advisor;
    private List<Trace.Span> request;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:advisor-bench;DB_CLOSE_DELAY=-1");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("create table post (id int primary key, title varchar(100),"
                    + " author varchar(100))");
            s.execute("insert into post select x, 'Post ' || x, 'Author ' || mod(x, 7)"
                    + " from system_range(1, 1000)");
        }
        timed = TimedDataSource.wrap(h2).getConnection();
        advisor = Advisor.sampling(1.0);
        // A page like the blog's home: a template, two data reads, 17 queries within them.
        request = new ArrayList<>();
        long at = 0;
        for (int i = 0; i < 17; i++) {
            at += 60_000;
            request.add(new Trace.Span("db", "select ... from post_tag where post_id = ? #" + i,
                    "", 40_000, false, at));
        }
        request.add(new Trace.Span("data", "posts.home", "", 700_000, false, 720_000));
        request.add(new Trace.Span("data", "sidebar", "", 330_000, false, at));
        request.add(new Trace.Span("template", "layout", "", at + 100_000, false, at + 100_000));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        timed.close();
        raw.close();
    }

    private static int query(Connection c, Blackhole hole) throws SQLException {
        int rows = 0;
        try (PreparedStatement p = c.prepareStatement(SQL)) {
            p.setInt(1, 500);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    hole.consume(rs.getInt(1));
                    hole.consume(rs.getString(2));
                    hole.consume(rs.getString(3));
                    rows++;
                }
            }
        }
        return rows;
    }

    /** The query on H2's own connection. */
    @Benchmark
    public int rawQuery(Blackhole hole) throws SQLException {
        return query(raw, hole);
    }

    /** The same through {@link TimedDataSource}, outside any trace: proxies only. */
    @Benchmark
    public int timedQuery(Blackhole hole) throws SQLException {
        return query(timed, hole);
    }

    /** The same inside a trace: the query is timed and recorded as a span. */
    @Benchmark
    public int tracedQuery(Blackhole hole) throws SQLException {
        try (Trace trace = Trace.begin()) {
            int rows = query(timed, hole);
            hole.consume(trace);
            return rows;
        }
    }

    /** Recording one sampled request of 20 spans into the advisor. */
    @Benchmark
    public Advisor recordRequest() {
        advisor.record("/{lang}", 2_000_000, request);
        return advisor;
    }
}
