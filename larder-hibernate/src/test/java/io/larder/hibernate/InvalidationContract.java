package io.larder.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.Key;
import io.larder.Larder;
import io.larder.TypeRef;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.hibernate.Hibernate;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the integration promises, run against each database: committed changes invalidate the
 * right tags once, after the commit; nothing else does; cached loads are tagged with what they
 * read; and readers never see a value older than a commit that returned.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InvalidationContract {
    private TestDatabase database;
    private RecordingStore store;
    private Larder larder;
    private EntityManagerFactory emf;
    private final AtomicInteger functionRuns = new AtomicInteger();

    abstract TestDatabase open();

    @BeforeAll
    void start() {
        database = open();
        store = new RecordingStore();
        larder = Larder.builder().store(store).build();
        emf = new HibernatePersistenceConfiguration("larder-test")
                .managedClasses(Post.class, Comment.class, Tag.class)
                .properties(database.settings())
                .properties(LarderHibernate.builder(larder)
                        .tags(Tag.class, tag -> List.of("tag-cloud"))
                        .tags(Comment.class, (change, comment) -> {
                            functionRuns.incrementAndGet();
                            // a lazy association, loaded in the writing transaction
                            return List.of(change + ":"
                                    + ((Post) Hibernate.unproxy(comment.post)).title);
                        })
                        .settings())
                .createEntityManagerFactory();
    }

    @AfterAll
    void stop() throws Exception {
        if (emf != null) {
            emf.close();
        }
        if (larder != null) {
            larder.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void forget() {
        store.calls.clear();
        store.onInvalidate = () -> { };
    }

    @Test
    void update_committed_invalidatesEntityTagsOnceAfterCommit() throws Exception {
        long id = create(new Post("first")).id;
        store.calls.clear();
        AtomicReference<String> seen = new AtomicReference<>();
        store.onInvalidate = () -> seen.set(committedTitle(id));

        run(em -> em.find(Post.class, id).title = "second");

        assertThat(store.calls).hasSize(1);
        assertThat(store.calls.get(0)).contains("Post", "Post:" + id).doesNotContain("Comment");
        assertThat(seen).as("the title another connection saw when the tags were invalidated")
                .hasValue("second");
    }

    @Test
    void insert_committed_invalidatesTypeAndNewId() {
        long id = create(new Post("new")).id;

        assertThat(store.calls).hasSize(1);
        assertThat(store.calls.get(0)).contains("Post", "Post:" + id);
    }

    @Test
    void delete_committed_invalidatesEntityTags() {
        long id = create(new Post("doomed")).id;
        store.calls.clear();

        run(em -> em.remove(em.find(Post.class, id)));

        assertThat(store.calls).hasSize(1);
        assertThat(store.calls.get(0)).contains("Post", "Post:" + id);
    }

    @Test
    void collectionChange_committed_invalidatesOwner() {
        long postId = create(new Post("tagged")).id;
        long tagId = create(new Tag("java")).id;
        store.calls.clear();

        run(em -> em.find(Post.class, postId).tags.add(em.find(Tag.class, tagId)));

        assertThat(store.calls).hasSize(1);
        assertThat(store.calls.get(0)).contains("Post", "Post:" + postId)
                .doesNotContain("Tag:" + tagId);
    }

    @Test
    void comment_committed_invalidatesItsPostAndDeclaredTags() {
        long postId = create(new Post("commented")).id;
        store.calls.clear();

        long commentId = inTransaction((EntityManager em) -> {
            Comment comment = new Comment(em.getReference(Post.class, postId), "hello");
            em.persist(comment); // IDENTITY: inserted now, before the flush at commit
            return comment.id;
        });

        assertThat(store.calls).hasSize(1);
        assertThat(store.calls.get(0)).contains("Comment", "Comment:" + commentId,
                "recent-comments", "Post:" + postId).doesNotContain("Post");
    }

    @Test
    void mappedTags_fromBuilderFunction_areInvalidated() {
        create(new Tag("sql"));

        assertThat(store.calls).hasSize(1);
        assertThat(store.calls.get(0)).contains("Tag", "tag-cloud");
    }

    @Test
    void tagFunction_seesKindOfChange_andReadsLazyAssociationBeforeCommit() {
        long postId = create(new Post("lazy")).id;
        store.calls.clear();

        long commentId = inTransaction((EntityManager em) -> {
            Comment comment = new Comment(em.getReference(Post.class, postId), "one");
            em.persist(comment);
            return comment.id;
        });
        run(em -> em.find(Comment.class, commentId).body = "two"); // its post: a lazy proxy
        run(em -> em.remove(em.find(Comment.class, commentId)));

        assertThat(store.calls).hasSize(3);
        assertThat(store.calls.get(0)).contains("INSERT:lazy", "Comment:" + commentId);
        assertThat(store.calls.get(1)).contains("UPDATE:lazy").doesNotContain("INSERT:lazy");
        assertThat(store.calls.get(2)).contains("DELETE:lazy");
    }

    @Test
    void bulkUpdate_committed_invalidatesTypeTagOnce() {
        create(new Post("bulk"));
        store.calls.clear();

        int rows = inTransaction((EntityManager em) -> em.createQuery(
                "update Post p set p.views = p.views + 1").executeUpdate());

        assertThat(rows).isPositive();
        assertThat(store.calls).hasSize(1);
        assertThat(store.calls.get(0)).contains("Post");
    }

    @Test
    void bulkAndEntityChanges_inOneTransaction_areSentInOneCall() {
        long id = create(new Post("mixed")).id;
        store.calls.clear();

        inTransaction((EntityManager em) -> {
            em.createQuery("delete from Comment c where c.body = 'none'").executeUpdate();
            em.find(Post.class, id).title = "mixed 2";
            return null;
        });

        assertThat(store.calls).hasSize(1);
        assertThat(store.calls.get(0)).contains("Comment", "Post", "Post:" + id);
    }

    @Test
    void rollback_afterFlush_invalidatesNothingAndRunsNoTagFunction() {
        long id = create(new Post("kept")).id;
        store.calls.clear();
        int runs = functionRuns.get();

        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            em.find(Post.class, id).title = "rolled back";
            em.persist(new Post("never"));
            em.persist(new Comment(em.getReference(Post.class, id), "never"));
            em.createQuery("update Post p set p.views = 7").executeUpdate();
            em.flush();
            em.getTransaction().rollback();
        } finally {
            em.close();
        }

        assertThat(store.calls).isEmpty();
        assertThat(functionRuns).hasValue(runs);
    }

    @Test
    void exceptionAfterFlushBeforeCommit_invalidatesNothing() {
        long id = create(new Post("kept")).id;
        store.calls.clear();

        assertThatThrownBy(() -> inTransaction((EntityManager em) -> {
            em.find(Post.class, id).title = "lost";
            em.flush();
            throw new IllegalStateException("the handler failed after the flush");
        })).hasMessageContaining("after the flush");

        assertThat(store.calls).isEmpty();
        // The session's next transaction starts clean: only its own change is sent.
        run(em -> em.find(Post.class, id).views = 3);
        assertThat(store.calls).hasSize(1);
    }

    @Test
    void cachedQuery_taggedWithEntitiesRead_reloadsAfterAnyPostChange() {
        long id = create(new Post("listed")).id;
        Key key = Key.of("post-titles", "all", String.valueOf(id));
        AtomicInteger loads = new AtomicInteger();
        Function<String, List<String>> titles = jpql -> larder.get(key,
                new TypeRef<List<String>>() { }, () -> {
                    loads.incrementAndGet();
                    return read(em -> em.createQuery(jpql, Post.class).getResultList().stream()
                            .map(post -> post.title).toList());
                });
        String query = "select p from Post p order by p.id";

        assertThat(titles.apply(query)).contains("listed");
        assertThat(titles.apply(query)).contains("listed");
        assertThat(loads).hasValue(1);

        run(em -> em.find(Post.class, id).title = "relisted");

        assertThat(titles.apply(query)).contains("relisted").doesNotContain("listed");
        assertThat(loads).hasValue(2);
    }

    @Test
    void cachedProjection_readingNoEntity_isInvalidatedByInsert() {
        Key key = Key.of("post-count", "nobody");
        AtomicInteger loads = new AtomicInteger();
        Runnable count = () -> larder.get(key, Long.class, () -> {
            loads.incrementAndGet();
            return read(em -> em.createQuery("select count(p) from Post p where p.title = 'nobody'",
                    Long.class).getSingleResult());
        });
        count.run();
        count.run();
        assertThat(loads).hasValue(1);

        create(new Post("nobody"));

        count.run();
        assertThat(loads).hasValue(2);
    }

    @Test
    void concurrentWritersAndReaders_readerNeverSeesValueOlderThanReturnedCommit()
            throws Exception {
        int writers = 2;
        int commits = 100;
        long[] ids = new long[writers];
        for (int i = 0; i < writers; i++) {
            ids[i] = create(new Post("counter " + i)).id;
        }
        AtomicIntegerArray committed = new AtomicIntegerArray(writers);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        List<String> stale = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 4);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                tasks.add(pool.submit(() -> {
                    for (int n = 1; n <= commits; n++) {
                        run(em -> em.find(Post.class, ids[writer]).views++);
                        committed.set(writer, n); // the commit has returned
                        // Let readers in between commits, however the threads are scheduled.
                        int before = reads.get();
                        while (reads.get() < before + 2
                                && !Thread.currentThread().isInterrupted()) {
                            Thread.yield();
                        }
                    }
                    return null;
                }));
            }
            for (int r = 0; r < 4; r++) {
                int reader = r;
                tasks.add(pool.submit(() -> {
                    int i = 0;
                    while (!done.get()) {
                        int writer = (reader + i++) % writers;
                        int floor = committed.get(writer);
                        int views = larder.get(Key.of("views", String.valueOf(ids[writer])),
                                Integer.class, () -> read(em -> em.createQuery(
                                        "select p from Post p where p.id = :id", Post.class)
                                        .setParameter("id", ids[writer]).getSingleResult().views));
                        reads.incrementAndGet();
                        if (views < floor) {
                            stale.add("post " + writer + ": read " + views
                                    + " after commit " + floor);
                        }
                    }
                    return null;
                }));
            }
            for (int w = 0; w < writers; w++) {
                tasks.get(w).get(120, TimeUnit.SECONDS);
            }
            done.set(true);
            for (Future<?> task : tasks) {
                task.get(120, TimeUnit.SECONDS);
            }
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
        assertThat(stale).isEmpty();
        assertThat(reads.get()).isGreaterThanOrEqualTo(2 * writers * commits);
        assertThat(larder.stats().get("views").hits()).isPositive(); // the cache was used
    }

    // ---- helpers

    private <T> T create(T entity) {
        T created = inTransaction((EntityManager em) -> {
            em.persist(entity);
            return entity;
        });
        return created;
    }

    private <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    private void run(Consumer<EntityManager> work) {
        inTransaction(em -> {
            work.accept(em);
            return null;
        });
    }

    private <T> T read(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        try {
            return work.apply(em);
        } finally {
            em.close();
        }
    }

    private String committedTitle(long id) {
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement(
                        "select title from " + database.table("post") + " where id = ?")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
