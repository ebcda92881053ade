package io.larder.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.Larder;
import jakarta.persistence.EntityManager;
import org.hibernate.SessionFactory;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.Test;

/** The other ways in: a factory that is already built, and mappings that are wrong. */
class InstallTest {

    @Test
    void install_onBuiltFactory_invalidatesEntityChangesAfterCommit() throws Exception {
        RecordingStore store = new RecordingStore();
        try (TestDatabase database = TestDatabase.h2();
                Larder larder = Larder.builder().store(store).build();
                SessionFactory factory = new HibernatePersistenceConfiguration("installed")
                        .managedClasses(Post.class, Comment.class, Tag.class)
                        .properties(database.settings())
                        .createEntityManagerFactory().unwrap(SessionFactory.class)) {
            LarderHibernate.install(factory, larder);

            Post post = new Post("installed");
            factory.inTransaction(session -> session.persist(post));

            assertThat(store.calls).hasSize(1);
            assertThat(store.calls.get(0)).contains("Post", "Post:" + post.id);
        }
    }

    @Test
    void tagLoadsOff_cachedQuery_keepsOnlyDeclaredTags() throws Exception {
        try (TestDatabase database = TestDatabase.h2();
                Larder larder = Larder.builder().build();
                SessionFactory factory = new HibernatePersistenceConfiguration("untagged")
                        .managedClasses(Post.class, Comment.class, Tag.class)
                        .properties(database.settings())
                        .properties(LarderHibernate.builder(larder).tagLoads(false).settings())
                        .createEntityManagerFactory().unwrap(SessionFactory.class)) {
            Post post = new Post("declared");
            factory.inTransaction(session -> session.persist(post));
            var loads = new java.util.concurrent.atomic.AtomicInteger();
            Runnable title = () -> larder.get(io.larder.Key.of("title", "1"), String.class, () -> {
                loads.incrementAndGet();
                return factory.fromSession(session -> session.find(Post.class, post.id).title);
            });
            title.run();

            factory.inTransaction(session -> session.find(Post.class, post.id).title = "changed");
            title.run();

            assertThat(loads).as("an entry without declared tags is not invalidated").hasValue(1);
        }
    }

    @Test
    void statelessSession_insertAndBulkUpdate_invalidateOnceAfterCommit() throws Exception {
        RecordingStore store = new RecordingStore();
        try (TestDatabase database = TestDatabase.h2();
                Larder larder = Larder.builder().store(store).build();
                SessionFactory factory = new HibernatePersistenceConfiguration("stateless")
                        .managedClasses(Post.class, Comment.class, Tag.class)
                        .properties(database.settings())
                        .properties(LarderHibernate.settings(larder))
                        .createEntityManagerFactory().unwrap(SessionFactory.class)) {
            Post post = new Post("stateless");
            factory.inStatelessTransaction(session -> {
                session.insert(post);
                session.createMutationQuery("update Post p set p.views = 1").executeUpdate();
                assertThat(store.calls).as("nothing before the commit").isEmpty();
            });

            assertThat(store.calls).hasSize(1);
            assertThat(store.calls.get(0)).contains("Post", "Post:" + post.id);
        }
    }

    @Test
    void install_twiceWithSameSettings_fails() throws Exception {
        try (TestDatabase database = TestDatabase.h2();
                Larder larder = Larder.builder().build()) {
            var settings = LarderHibernate.settings(larder);
            try (var first = new HibernatePersistenceConfiguration("one").managedClasses(Post.class,
                    Tag.class).properties(database.settings()).properties(settings)
                    .createEntityManagerFactory()) {
                assertThatThrownBy(() -> new HibernatePersistenceConfiguration("two")
                        .managedClasses(Post.class, Tag.class).properties(database.settings())
                        .properties(settings).createEntityManagerFactory())
                        .hasStackTraceContaining("already bound");
            }
        }
    }

    @Test
    void invalidatesTags_namingUnknownAssociation_failsAtStartup() throws Exception {
        try (TestDatabase database = TestDatabase.h2();
                Larder larder = Larder.builder().build()) {
            assertThatThrownBy(() -> {
                try (EntityManager unused = new HibernatePersistenceConfiguration("bad")
                        .managedClasses(Misdeclared.class).properties(database.settings())
                        .properties(LarderHibernate.settings(larder))
                        .createEntityManagerFactory().createEntityManager()) {
                    // not reached
                }
            }).hasStackTraceContaining("names association 'nope'");
        }
    }
}
