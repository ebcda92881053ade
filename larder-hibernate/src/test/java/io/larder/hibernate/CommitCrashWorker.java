package io.larder.hibernate;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.store.DiskStore;
import io.larder.testing.ForwardingStore;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.hibernate.jpa.HibernatePersistenceConfiguration;

/**
 * A JVM that dies right after a commit: it caches a post's title in the file store, commits a
 * new title, and is then stopped forever inside the after-commit invalidation (printing
 * {@code READY}) until the test kills it with SIGKILL; the commit is in the database, its
 * invalidation never reached the store.
 * Arguments: JDBC URL, user, schema, cache root, post id, new title.
 */
public final class CommitCrashWorker {
    private CommitCrashWorker() {
    }

    /** Runs one round; never returns normally once the commit is done. */
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String schema = args[2];
        long id = Long.parseLong(args[4]);
        CountDownLatch never = new CountDownLatch(1);
        boolean[] armed = {false};
        ForwardingStore store = new ForwardingStore(DiskStore.builder(Path.of(args[3])).build()) {
            @Override
            public void invalidateTags(Collection<String> tags) {
                if (armed[0] && tags.stream().anyMatch(t -> !t.startsWith("@"))) {
                    System.out.println("READY"); // committed: the invalidation is about to run
                    System.out.flush();
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                super.invalidateTags(tags);
            }
        };
        Larder larder = Larder.builder().store(store).build();
        Map<String, Object> settings = new HashMap<>();
        settings.put("jakarta.persistence.jdbc.url", url);
        settings.put("jakarta.persistence.jdbc.user", args[1]);
        settings.put("jakarta.persistence.jdbc.password", "");
        settings.put("hibernate.hbm2ddl.auto", "none");
        settings.put("hibernate.default_schema", schema);
        EntityManagerFactory emf = new HibernatePersistenceConfiguration("crash")
                .managedClasses(Post.class, Comment.class, Tag.class)
                .properties(settings)
                .properties(LarderHibernate.settings(larder))
                .createEntityManagerFactory();
        Key key = Key.of("titles", id);
        larder.get(key, String.class, Options.tags("Post:" + id), () -> {
            EntityManager em = emf.createEntityManager();
            try {
                return em.find(Post.class, id).title;
            } finally {
                em.close();
            }
        });
        armed[0] = true;
        EntityManager em = emf.createEntityManager();
        em.getTransaction().begin();
        em.find(Post.class, id).title = args[5];
        em.getTransaction().commit();
        System.out.println("the invalidation ran: this worker was meant to be stopped in it");
        System.exit(3);
    }
}
