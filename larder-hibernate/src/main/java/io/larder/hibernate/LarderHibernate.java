package io.larder.hibernate;

import io.larder.Larder;
import io.larder.hibernate.internal.Installation;
import io.larder.hibernate.internal.SessionStatements;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.JdbcSettings;
import org.hibernate.cfg.SessionEventSettings;

/**
 * Connects a {@link Larder} to Hibernate ORM: committed changes of entities and collections, and
 * bulk or native {@code insert}/{@code update}/{@code delete} statements, invalidate tags once
 * per transaction after it commits, and are recorded in the {@link InvalidationLog} in that same
 * transaction, so that every store gets them even if this process dies right after the commit;
 * entities and tables read inside a {@code larder.get(...)} loader tag the cached value. An
 * entity {@code Post} with id 42 has the tags {@code Post} and {@code Post:42} (its JPA entity
 * name); {@link InvalidatesTags} and {@link Builder#tags(Class, Function)} add more.
 *
 * <pre>{@code
 * HibernatePersistenceConfiguration config = new HibernatePersistenceConfiguration("blog")
 *         .managedClasses(Post.class, Comment.class)
 *         .properties(LarderHibernate.settings(larder)); // the one call
 * }</pre>
 */
public final class LarderHibernate {
    /** The setting that carries the installation to the session factory. */
    public static final String SETTING = "io.larder.hibernate";

    private LarderHibernate() {
    }

    /**
     * The Hibernate or JPA settings that install Larder on the session factory built with them:
     * entity, collection and bulk-statement invalidation, the invalidation log (its tables are
     * created if missing; the store catches up with it when the factory starts) and load
     * tagging. They set Hibernate's statement inspector and automatic session listener, which
     * must not be set otherwise.
     */
    public static Map<String, Object> settings(Larder larder) {
        return builder(larder).settings();
    }

    /**
     * Installs on a session factory that is already built: entity and collection changes and
     * entity loads; bulk statements and the tables a select reads are seen only through
     * {@link #settings(Larder)}.
     */
    public static void install(SessionFactory sessionFactory, Larder larder) {
        builder(larder).install(sessionFactory);
    }

    /** A builder, to add tags by function before installing. */
    public static Builder builder(Larder larder) {
        return new Builder(larder);
    }

    /** Collects the installation's options; each method may be called once per type. */
    public static final class Builder {
        private final Larder larder;
        private final Map<Class<?>, BiFunction<Change, Object, ? extends Collection<String>>>
                mappings = new LinkedHashMap<>();
        private boolean tagLoads = true;
        private boolean log = true;
        private Duration logPolling = Duration.ofSeconds(1);
        private Duration logRetention = Duration.ofDays(1);

        private Builder(Larder larder) {
            this.larder = Objects.requireNonNull(larder, "larder");
        }

        /**
         * Tags that a committed change of an entity of {@code type} (or a subtype) invalidates
         * besides its own: {@code .tags(Comment.class, c -> List.of("Post:" + c.getPostId()))}.
         * Same as {@link #tags(Class, BiFunction)} for a function that ignores the kind of change.
         */
        public <T> Builder tags(Class<T> type,
                Function<? super T, ? extends Collection<String>> tags) {
            Objects.requireNonNull(tags, "tags");
            return tags(type, (Change change, T entity) -> tags.apply(entity));
        }

        /**
         * Tags that a committed change of an entity of {@code type} (or a subtype) invalidates
         * besides its own, by kind of change:
         * {@code .tags(Post.class, (change, p) -> change == Change.UPDATE ? ... : ...)}.
         * The function runs in the writing session just before its transaction commits (after
         * the last flush), once per change, and sees the entity as it is then: it may read lazy
         * associations (each a select in that transaction). Outside a transaction it runs as
         * the change is written. It never runs for a transaction that rolls back.
         */
        @SuppressWarnings("unchecked")
        public <T> Builder tags(Class<T> type,
                BiFunction<Change, ? super T, ? extends Collection<String>> tags) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(tags, "tags");
            if (mappings.containsKey(type)) {
                throw new IllegalStateException("tags for " + type.getName() + " were already set");
            }
            mappings.put(type, (BiFunction<Change, Object, ? extends Collection<String>>) tags);
            return this;
        }

        /**
         * Whether loads tag their cached value with the entities and tables they read (default
         * {@code true}); turn off where every cached entry declares its own tags.
         */
        public Builder tagLoads(boolean tagLoads) {
            this.tagLoads = tagLoads;
            return this;
        }

        /**
         * Whether each committing transaction records its tags in the {@link InvalidationLog}
         * (one lock and one insert, in the transaction) and the store follows the log (default
         * {@code true}). Without it, an invalidation is lost if the process dies between the
         * commit and its after-commit callback, or if the store is not reachable then.
         */
        public Builder invalidationLog(boolean log) {
            this.log = log;
            return this;
        }

        /**
         * How often the store reads the log for other processes' commits (default 1 s): the
         * longest that another node's commit goes unseen where the stores are not shared.
         */
        public Builder logPolling(Duration every) {
            this.logPolling = InvalidationLog.positive("logPolling", every);
            return this;
        }

        /**
         * How long log rows are kept (default 1 day): a store that was away for longer is
         * invalidated as a whole when it comes back.
         */
        public Builder logRetention(Duration retention) {
            this.logRetention = InvalidationLog.positive("logRetention", retention);
            return this;
        }

        private Installation.Log log() {
            return log ? new Installation.Log(logPolling, logRetention) : null;
        }

        /** The settings to build a session factory with; see {@link LarderHibernate#settings}. */
        public Map<String, Object> settings() {
            Installation installation = new Installation(larder, mappings, true, tagLoads, log());
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put(SETTING, installation);
            settings.put(JdbcSettings.STATEMENT_INSPECTOR, installation.statementInspector());
            settings.put(SessionEventSettings.AUTO_SESSION_EVENTS_LISTENER,
                    SessionStatements.class.getName());
            return settings;
        }

        /** Installs on a built session factory; see {@link LarderHibernate#install}. */
        public void install(SessionFactory sessionFactory) {
            new Installation(larder, mappings, false, tagLoads, log()).bind(sessionFactory);
        }
    }
}
