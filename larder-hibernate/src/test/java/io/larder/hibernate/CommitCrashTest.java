package io.larder.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.store.DiskStore;
import io.larder.testing.Soak;
import io.larder.testing.WorkerJvm;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM killed (SIGKILL) between its commit and the commit's invalidation, many times, on
 * PostgreSQL and the file store: the next process to open the store reads every committed title,
 * never the one cached before the commit. Without the invalidation log each round is a stale hit.
 */
class CommitCrashTest {
    @TempDir
    Path temp;

    @Test
    void jvmKilledRightAfterCommit_theNextProcessNeverReadsTheOldValue() throws Exception {
        int rounds = Soak.rounds(4, 100);
        Path root = temp.resolve("cache");
        try (TestDatabase database = TestDatabase.postgres();
                Larder setup = Larder.builder().store(DiskStore.builder(root).build()).build()) {
            long id;
            EntityManagerFactory emf = new HibernatePersistenceConfiguration("crash-setup")
                    .managedClasses(Post.class, Comment.class, Tag.class)
                    .properties(database.settings())
                    .properties(LarderHibernate.settings(setup))
                    .createEntityManagerFactory();
            try {
                EntityManager em = emf.createEntityManager();
                em.getTransaction().begin();
                Post post = new Post("round -1");
                em.persist(post);
                em.getTransaction().commit();
                em.close();
                id = post.id;
            } finally {
                emf.close();
            }
            DataSource dataSource = database.dataSource();
            int stale = 0;
            int fresh = 0;
            for (int round = 0; round < rounds; round++) {
                String title = "round " + round;
                try (WorkerJvm worker = WorkerJvm.start(CommitCrashWorker.class, List.of(
                        TestDatabase.PG_URL, "postgres", database.schema(), root.toString(),
                        Long.toString(id), title))) {
                    worker.awaitReady();
                    worker.kill();
                }
                assertThat(committedTitle(dataSource, id)).isEqualTo(title);
                try (Larder next = Larder.builder().store(DiskStore.builder(root).build())
                        .build();
                        InvalidationLog log = InvalidationLog.follow(next, dataSource,
                                Duration.ofHours(1))) {
                    String read = next.get(Key.of("titles", id), String.class,
                            Options.tags("Post:" + id), () -> committedTitle(dataSource, id));
                    if (read.equals(title)) {
                        fresh++;
                    } else {
                        stale++;
                    }
                }
            }
            Map<String, Integer> counts = new LinkedHashMap<>();
            counts.put("jvmsKilledAfterCommit", rounds);
            counts.put("freshReads", fresh);
            counts.put("staleReads", stale);
            Soak.report("hibernate-kill-after-commit", counts);
            assertThat(stale).isZero();
        }
    }

    private static String committedTitle(DataSource dataSource, long id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select title from post where id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }
}
