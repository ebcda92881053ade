package io.larder.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Invalidation;
import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.hibernate.internal.Follower;
import io.larder.hibernate.internal.LogTable;
import io.larder.store.DiskStore;
import io.larder.store.MemoryStore;
import io.larder.testing.Soak;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The invalidation log, run against each database: a commit records its tags in its own
 * transaction (a rollback records nothing); every other store applies them in log order, also
 * one that was not attached or unreachable when the commit happened; a store that cannot catch up
 * is invalidated as a whole; the committing process applies its own commit once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InvalidationLogContract {
    private static final Duration NO_POLLING = Duration.ofHours(1);
    private TestDatabase database;
    private DataSource dataSource;
    private RecordingStore store;
    private Larder larder;
    private EntityManagerFactory emf;
    private final List<AutoCloseable> closing = new ArrayList<>();
    @TempDir
    Path temp;

    abstract TestDatabase open();

    @BeforeAll
    void start() {
        database = open();
        dataSource = database.dataSource();
        store = new RecordingStore();
        larder = Larder.builder().store(store).build();
        emf = new HibernatePersistenceConfiguration("larder-log-test")
                .managedClasses(Post.class, Comment.class, Tag.class)
                .properties(database.settings())
                .properties(LarderHibernate.builder(larder).logPolling(NO_POLLING)
                        .tags(Post.class, post -> List.of("title:" + post.title))
                        .settings())
                .createEntityManagerFactory();
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {emf, larder, database}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @BeforeEach
    void forget() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        closing.clear();
        store.calls.clear();
    }

    @Test
    void commit_recordsItsTagsInTheLog() throws SQLException {
        long before = lastId();

        long id = create("logged");

        List<List<String>> rows = rowsAfter(before);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).contains("Post", "Post:" + id, "title:logged");
    }

    @Test
    void rollback_recordsNothing_evenAfterFlushAndBulkStatements() throws SQLException {
        long before = lastId();
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            em.persist(new Post("rolled back"));
            em.flush();
            em.createQuery("update Post p set p.views = p.views + 1").executeUpdate();
            em.getTransaction().rollback();
        } finally {
            em.close();
        }

        assertThat(rowsAfter(before)).isEmpty();
    }

    @Test
    void bulkAndNativeStatementsAlone_areRecordedWithTheirTypeTag() throws SQLException {
        long before = lastId();

        run(em -> em.createQuery("update Post p set p.views = p.views + 1").executeUpdate());
        run(em -> em.createNativeQuery("update " + database.table("post") + " set views = 0")
                .executeUpdate());

        assertThat(rowsAfter(before)).hasSize(2).allSatisfy(tags -> assertThat(tags)
                .contains("Post"));
    }

    @Test
    void ownCommit_isAppliedOnce_theFollowerSkipsIt() throws SQLException {
        long skipped = follower().stats().skipped();

        create("once");
        follower().catchUp();

        assertThat(store.calls).hasSize(1);
        assertThat(follower().stats().skipped()).isEqualTo(skipped + 1);
    }

    @Test
    void anotherStore_getsACommitThroughTheLog() throws SQLException {
        Larder other = larder(MemoryStore.builder().maximumSize(100).build());
        InvalidationLog log = follow(other);
        long id = create("first");
        Key key = Key.of("titles", id);
        AtomicInteger loads = new AtomicInteger();
        assertThat(cachedTitle(other, key, id, loads)).isEqualTo("first");

        run(em -> em.find(Post.class, id).title = "second");
        log.catchUp();

        assertThat(cachedTitle(other, key, id, loads)).isEqualTo("second");
        assertThat(loads).hasValue(2);
    }

    /**
     * Regression (the blog, restarted with another store for one edit): a store that was not
     * attached when a commit happened served the old value as a hit when it came back.
     */
    @Test
    void storeNotAttachedDuringACommit_catchesUpBeforeItServes() throws SQLException {
        Path root = temp.resolve("cache");
        long id = create("before the edit");
        Key key = Key.of("titles", id);
        AtomicInteger loads = new AtomicInteger();
        try (Larder files = larder(DiskStore.builder(root).build());
                InvalidationLog log = follow(files)) {
            assertThat(cachedTitle(files, key, id, loads)).isEqualTo("before the edit");
        }

        run(em -> em.find(Post.class, id).title = "after the edit"); // file store not attached

        try (Larder withoutLog = larder(DiskStore.builder(root).build())) {
            assertThat(cachedTitle(withoutLog, key, id, loads)).as("without the log: a stale hit")
                    .isEqualTo("before the edit");
        }
        try (Larder files = larder(DiskStore.builder(root).build());
                InvalidationLog log = follow(files)) {
            assertThat(cachedTitle(files, key, id, loads)).isEqualTo("after the edit");
            assertThat(log.stats().cleared()).as("caught up, not cleared").isZero();
        }
    }

    @Test
    void storeWithoutPosition_orOfAnotherDatabase_orPrunedPast_isInvalidatedAsAWhole()
            throws SQLException {
        Path root = temp.resolve("foreign");
        Key key = Key.of("titles", "any");
        try (Larder files = larder(DiskStore.builder(root).build())) {
            files.put(key, "no position");
            try (InvalidationLog log = follow(files)) {
                assertThat(log.stats().cleared()).isOne();
            }
            assertThat(files.getIfPresent(key, String.class)).isEmpty();
            files.put(key, "another database");
            files.store().marker(Follower.DATABASE, 42);
            try (InvalidationLog log = follow(files)) {
                assertThat(log.stats().cleared()).isOne();
            }
            assertThat(files.getIfPresent(key, String.class)).isEmpty();
            files.put(key, "pruned past");
        }
        create("one");
        create("two");
        try (Connection c = dataSource.getConnection()) {
            assertThat(new LogTable(null).prune(c, Duration.ofMinutes(-1), 1_000)).isPositive();
        }
        try (Larder files = larder(DiskStore.builder(root).build());
                InvalidationLog log = follow(files)) {
            assertThat(log.stats().cleared()).isOne();
            assertThat(files.getIfPresent(key, String.class)).isEmpty();
        }
    }

    @Test
    void writeThatBypassesHibernate_recordedInItsTransaction_reachesEveryStore()
            throws SQLException {
        long id = create("jdbc before");
        Key key = Key.of("titles", id);
        AtomicInteger loads = new AtomicInteger();
        assertThat(cachedTitle(larder, key, id, loads)).isEqualTo("jdbc before");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            updateTitle(c, id, "rolled back");
            InvalidationLog.record(c, List.of("Post:" + id));
            c.rollback();
            updateTitle(c, id, "jdbc after");
            InvalidationLog.record(c, List.of("Post:" + id));
            c.commit();
        }

        follower().catchUp();

        assertThat(cachedTitle(larder, key, id, loads)).isEqualTo("jdbc after");
    }

    @Test
    void everythingRecorded_invalidatesEveryEntryOfEveryStore() throws SQLException {
        Larder other = larder(MemoryStore.builder().maximumSize(100).build());
        InvalidationLog log = follow(other);
        other.put(Key.of("titles", "x"), "old data set", Options.tags("untouched"));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            InvalidationLog.record(c, List.of(InvalidationLog.EVERYTHING));
            c.commit();
        }

        log.catchUp();

        assertThat(other.getIfPresent(Key.of("titles", "x"), String.class)).isEmpty();
    }

    @Test
    void concurrentCommits_everyNodeAppliesEveryOne_inLogOrder() throws Exception {
        int commits = Soak.rounds(database.isPostgres() ? 1_000 : 300, 10_000);
        List<List<String>> heard = new ArrayList<>();
        List<InvalidationLog> logs = new ArrayList<>();
        for (int node = 0; node < 3; node++) {
            Larder other = larder(MemoryStore.builder().maximumSize(100).build());
            List<String> tags = new CopyOnWriteArrayList<>();
            other.onInvalidation(i -> record(tags, i));
            heard.add(tags);
            logs.add(follow(other));
        }
        List<String> fastPath = new CopyOnWriteArrayList<>();
        larder.onInvalidation(i -> record(fastPath, i));
        long before = lastId();

        ExecutorService writers = Executors.newFixedThreadPool(12);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> readers = new ArrayList<>();
        for (InvalidationLog log : logs) {
            // Followers read while commits land, so that one reading past a commit still under
            // way would miss it for good.
            Thread reader = new Thread(() -> {
                while (writing.get()) {
                    try {
                        log.catchUp();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            reader.start();
            readers.add(reader);
        }
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (int i = 0; i < commits; i++) {
                int n = i;
                done.add(writers.submit(() -> create("c-" + n)));
            }
            for (Future<Long> commit : done) {
                commit.get();
            }
        } finally {
            writers.shutdown();
            writing.set(false);
            for (Thread reader : readers) {
                reader.join();
            }
        }
        List<String> logOrder = new ArrayList<>();
        for (List<String> row : rowsAfter(before)) {
            row.stream().filter(t -> t.startsWith("title:c-")).forEach(logOrder::add);
        }
        for (InvalidationLog log : logs) {
            log.catchUp();
        }
        follower().catchUp();

        assertThat(logOrder).hasSize(commits).doesNotHaveDuplicates();
        for (List<String> node : heard) {
            assertThat(node).as("a following node: every commit, once, in log order")
                    .containsExactlyElementsOf(logOrder);
        }
        assertThat(fastPath).as("the committing node: every commit, once")
                .containsExactlyInAnyOrderElementsOf(logOrder);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("commits", (long) commits);
        counts.put("nodes", 4L);
        counts.put("missing", (long) (commits * 3 - heard.stream().mapToInt(List::size).sum()));
        Soak.report("hibernate-log-concurrent-" + (database.isPostgres() ? "postgres" : "h2"),
                counts);
    }

    private static void record(List<String> into, Invalidation invalidation) {
        if (invalidation.kind() == Invalidation.Kind.TAG
                && invalidation.name().startsWith("title:c-")) {
            into.add(invalidation.name());
        }
    }

    // ---- helpers

    private Follower follower() {
        return Follower.of(larder);
    }

    private Larder larder(io.larder.spi.Store on) {
        Larder made = Larder.builder().store(on).build();
        closing.add(made);
        return made;
    }

    private InvalidationLog follow(Larder on) throws SQLException {
        InvalidationLog log = InvalidationLog.follow(on, dataSource, NO_POLLING);
        closing.add(0, log);
        return log;
    }

    private String cachedTitle(Larder on, Key key, long id, AtomicInteger loads) {
        return on.get(key, String.class, Options.tags("Post:" + id), () -> {
            loads.incrementAndGet();
            return committedTitle(id);
        });
    }

    private String committedTitle(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select title from post where id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }

    private static void updateTitle(Connection c, long id, String title) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update post set title = ? where id = ?")) {
            s.setString(1, title);
            s.setLong(2, id);
            s.executeUpdate();
        }
    }

    private long create(String title) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            Post post = new Post(title);
            em.persist(post);
            em.getTransaction().commit();
            return post.id;
        } finally {
            em.close();
        }
    }

    private void run(Consumer<EntityManager> work) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            work.accept(em);
            em.getTransaction().commit();
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    private long lastId() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select coalesce(max(id), 0) from "
                        + LogTable.LOG)) {
            r.next();
            return r.getLong(1);
        }
    }

    private List<List<String>> rowsAfter(long id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<List<String>> rows = new ArrayList<>();
            new LogTable(null).rowsAfter(c, id, 100_000).forEach(row -> rows.add(row.tags()));
            return rows;
        }
    }
}
