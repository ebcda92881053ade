package io.larder.blog.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.larder.insight.TimedDataSource;
import io.larder.blog.author.Author;
import io.larder.blog.comment.Comment;
import io.larder.blog.post.Post;
import io.larder.blog.post.PostTranslation;
import io.larder.blog.tag.Tag;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.hibernate.jpa.HibernatePersistenceConfiguration;

/**
 * The blog's database: a HikariCP pool, Flyway migrations, and a Hibernate
 * {@link EntityManagerFactory} over the same pool. {@link #sharing} gives another view of the
 * pool with its own factory (the one a server's cache is installed on).
 */
public final class Database implements AutoCloseable {
    /** The pool this database owns, or {@code null} for a view made by {@link #sharing}. */
    private final HikariDataSource pool;
    private final DataSource dataSource;
    private final EntityManagerFactory emf;
    private final String url;
    /** Whether {@link #close} closes {@link #emf} (not when it is the application's). */
    private final boolean ownsEmf;

    private Database(HikariDataSource pool, DataSource dataSource, EntityManagerFactory emf,
            String url, boolean ownsEmf) {
        this.pool = pool;
        this.dataSource = dataSource;
        this.emf = emf;
        this.url = url;
        this.ownsEmf = ownsEmf;
    }

    /**
     * Opens {@code url}, migrates the schema to the current version and starts Hibernate.
     *
     * @param schema the schema to work in (created if missing), or {@code null} for the default
     */
    public static Database open(String url, String user, String password, String schema) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(10);
        config.setPoolName("blog");
        if (schema != null) {
            config.setSchema(schema);
        }
        var flyway = Flyway.configure().dataSource(url, user, password)
                .locations("classpath:db/migration");
        if (schema != null) {
            flyway.schemas(schema).createSchemas(true);
        }
        flyway.load().migrate();
        HikariDataSource ds = new HikariDataSource(config);
        try {
            // Every statement, from Hibernate or plain JDBC, is timed into the request's Trace:
            // the "db" of Server-Timing and the queries the advisor ranks.
            DataSource timed = TimedDataSource.wrap(ds);
            return new Database(ds, timed, factory(timed, Map.of()), url, true);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /**
     * A database over an application's own {@code dataSource} and {@code emf} (Spring Boot's,
     * for example), already migrated; closing it closes neither.
     */
    public static Database over(DataSource dataSource, EntityManagerFactory emf, String url) {
        return new Database(null, dataSource, emf, url, false);
    }

    /**
     * The same pool (and data) with its own entity manager factory, built with these extra
     * Hibernate {@code settings}: several servers on one database, each factory invalidating
     * its own server's cache. Closing the view closes its factory only, not the pool.
     */
    public Database sharing(Map<String, Object> settings) {
        return new Database(null, dataSource, factory(dataSource, settings), url, true);
    }

    private static EntityManagerFactory factory(DataSource dataSource,
            Map<String, Object> settings) {
        HibernatePersistenceConfiguration hc = new HibernatePersistenceConfiguration("blog")
                .managedClasses(Author.class, Post.class, PostTranslation.class, Tag.class,
                        Comment.class);
        hc.property("hibernate.connection.datasource", dataSource);
        hc.property("hibernate.hbm2ddl.auto", "none");
        hc.property("hibernate.show_sql", "false");
        // Off unless asked (--l2): with hibernate-jcache on the class path Hibernate would
        // otherwise turn it on by itself, per factory, and a factory would not see another's
        // commits (the blog runs several on one database).
        hc.property("hibernate.cache.use_second_level_cache", "false");
        hc.properties(settings);
        return hc.createEntityManagerFactory();
    }

    /** The pool, for plain JDBC. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The JDBC URL. */
    public String url() {
        return url;
    }

    /** The entity manager factory. */
    public EntityManagerFactory emf() {
        return emf;
    }

    /** Runs {@code work} in a new EntityManager and transaction, committed if it returns. */
    public <T> T inTransaction(Function<EntityManager, T> work) {
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

    /** A pooled connection; the caller closes it. */
    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Closes the factory, and the pool unless this is a view made by {@link #sharing}. */
    @Override
    public void close() {
        if (ownsEmf) {
            emf.close();
        }
        if (pool != null) {
            pool.close();
        }
    }
}
