package io.larder.hibernate.internal;

import io.larder.Larder;
import io.larder.hibernate.Change;
import io.larder.hibernate.InvalidatesTags;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.sql.SQLException;
import java.time.Duration;
import org.hibernate.HibernateException;
import org.hibernate.SessionFactory;
import org.hibernate.SessionFactoryObserver;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.SessionEventSettings;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.engine.spi.TransactionCompletionCallbacks;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.metamodel.mapping.EntityMappingType;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.proxy.HibernateProxy;
import org.hibernate.proxy.LazyInitializer;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Larder installed on one session factory: which tags a change invalidates, the changes of each
 * session's running transaction, recording them in the invalidation log just before it commits,
 * and sending them after it commits. Not part of the API.
 */
public final class Installation {
    private static final Logger LOG = LoggerFactory.getLogger(Installation.class);

    private final Larder larder;
    private final Map<Class<?>, BiFunction<Change, Object, ? extends Collection<String>>> mappings;
    private final StatementTags statementTags = new StatementTags(this);
    /** Weak keys: a session closed in the middle of a transaction does not keep its changes. */
    private final Map<SharedSessionContractImplementor, Pending> pending =
            Collections.synchronizedMap(new WeakHashMap<>());
    private final ConcurrentMap<String, EntityRules> rules = new ConcurrentHashMap<>();
    private volatile boolean statementsTracked;
    /** Whether entities and tables read tag the running load. */
    final boolean tagLoads;
    private volatile SessionFactoryImplementor factory;
    private volatile Tables tables;
    private final Log log;
    /** The follower of the invalidation log, once the factory is built; null without a log. */
    private volatile Follower follower;

    /**
     * How the invalidation log is kept: followed every {@code poll}, rows kept for
     * {@code retention}.
     */
    public record Log(Duration poll, Duration retention) { }

    /**
     * An installation for {@code larder}; {@code statements} when the session factory is built
     * with its statement inspector and session listener; {@code tagLoads} to tag loads;
     * {@code log} to record and follow the invalidation log (null: not).
     */
    public Installation(Larder larder,
            Map<Class<?>, BiFunction<Change, Object, ? extends Collection<String>>> mappings,
            boolean statements, boolean tagLoads, Log log) {
        this.larder = larder;
        this.tagLoads = tagLoads;
        this.mappings = Map.copyOf(new LinkedHashMap<>(mappings));
        this.statementsTracked = statements;
        this.log = log;
    }

    /** The inspector that sees every SQL statement of the factory's sessions. */
    public StatementInspector statementInspector() {
        return statementTags;
    }

    /** Registers the listeners on {@code sessionFactory}; once. */
    public void bind(SessionFactory sessionFactory) {
        SessionFactoryImplementor implementor =
                sessionFactory.unwrap(SessionFactoryImplementor.class);
        bind(implementor, implementor.getServiceRegistry().getService(EventListenerRegistry.class));
        implementor.addObserver(observer());
        prepare();
    }

    /** Registers the listeners while the session factory is built (from the integrator). */
    void bind(SessionFactoryImplementor sessionFactory, EventListenerRegistry registry) {
        synchronized (this) {
            if (factory != null) {
                throw new IllegalStateException("this Larder installation is already bound to a "
                        + "session factory; use LarderHibernate.settings(larder) once per factory");
            }
            factory = sessionFactory;
        }
        Object listener = sessionFactory.getProperties()
                .get(SessionEventSettings.AUTO_SESSION_EVENTS_LISTENER);
        if (statementsTracked
                && !SessionStatements.class.getName().equals(String.valueOf(listener))) {
            statementsTracked = false;
            LOG.warn("{} was overridden: bulk statements will not invalidate Larder tags",
                    SessionEventSettings.AUTO_SESSION_EVENTS_LISTENER);
        }
        EntityEvents events = new EntityEvents(this);
        registry.appendListeners(EventType.POST_INSERT, events);
        registry.appendListeners(EventType.POST_UPDATE, events);
        registry.appendListeners(EventType.POST_UPSERT, events);
        registry.appendListeners(EventType.POST_DELETE, events);
        registry.appendListeners(EventType.POST_COLLECTION_RECREATE, events);
        registry.appendListeners(EventType.POST_COLLECTION_UPDATE, events);
        registry.appendListeners(EventType.POST_COLLECTION_REMOVE, events);
        registry.appendListeners(EventType.POST_LOAD, events);
        registry.appendListeners(EventType.FLUSH, events);
    }

    /**
     * A session factory observer that checks the mappings and starts following the log once
     * the factory is built, and stops following when it closes.
     */
    SessionFactoryObserver observer() {
        return new SessionFactoryObserver() {
            @Override
            public void sessionFactoryCreated(SessionFactory sessionFactory) {
                prepare();
            }

            @Override
            public void sessionFactoryClosed(SessionFactory sessionFactory) {
                Follower started = follower;
                follower = null;
                if (started != null) {
                    started.release();
                }
            }
        };
    }

    /**
     * Reads every entity's rules and the tables, so that a bad mapping fails at start-up; creates
     * the invalidation log's tables if missing and catches the store up with the log.
     */
    private void prepare() {
        factory.getMappingMetamodel().forEachEntityDescriptor(this::rules);
        tables();
        if (log != null && follower == null) {
            ConnectionProvider provider =
                    factory.getServiceRegistry().getService(ConnectionProvider.class);
            if (provider == null) {
                throw new IllegalStateException("the Larder invalidation log needs the session"
                        + " factory's ConnectionProvider (a multi-tenant factory has none):"
                        + " turn it off with LarderHibernate.builder(larder).invalidationLog"
                        + "(false), and follow it with InvalidationLog.follow");
            }
            try {
                Object schema = factory.getProperties().get(AvailableSettings.DEFAULT_SCHEMA);
                follower = Follower.attach(larder, Connections.of(provider),
                        new LogTable(schema == null ? null : schema.toString()), log.poll(),
                        log.retention(), true);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create or read the Larder invalidation"
                        + " log (tables " + LogTable.LOG + ", " + LogTable.META + "): " + e, e);
            }
        }
    }

    // ---- what a change invalidates

    /** The rules of {@code persister}'s entity, read once. */
    EntityRules rules(EntityPersister persister) {
        return rules.computeIfAbsent(persister.getEntityName(), name -> EntityRules.of(persister,
                mappings));
    }

    /** The tags of an entity read: its name and its name with its id. */
    List<String> loadTags(EntityPersister persister, Object id) {
        String name = persister.getJpaEntityName();
        String idTag = EntityRules.idTag(name, id);
        return idTag == null ? List.of(name) : List.of(name, idTag);
    }

    /** Records the change of one entity in {@code session}'s transaction. */
    void entityChanged(SharedSessionContractImplementor session, Change change,
            EntityPersister persister, Object entity, Object id, Object[] state,
            Object[] oldState) {
        EntityRules entityRules = rules(persister);
        Set<String> tags = new LinkedHashSet<>();
        entityRules.addOwnTags(tags, id);
        try {
            for (int index : entityRules.associations()) {
                addTarget(tags, session, state, index);
                addTarget(tags, session, oldState, index);
            }
        } catch (RuntimeException e) {
            // Never fail the application's write; its own tags are still invalidated.
            LOG.error("Larder could not read the associations of {} {}", entityRules, id, e);
        }
        add(session, tags, entityRules, change, entity);
    }

    /** Records the change of a collection of the entity {@code ownerName} in the transaction. */
    void collectionChanged(SharedSessionContractImplementor session, String ownerName,
            Object ownerId, Object owner) {
        if (ownerName == null) {
            return;
        }
        EntityRules ownerRules =
                rules(factory.getMappingMetamodel().getEntityDescriptor(ownerName));
        Set<String> tags = new LinkedHashSet<>();
        ownerRules.addOwnTags(tags, ownerId);
        add(session, tags, ownerRules, Change.UPDATE, owner);
    }

    private void addTarget(Set<String> tags, SharedSessionContractImplementor session,
            Object[] state, int index) {
        if (state == null || state[index] == null) {
            return;
        }
        Object target = state[index];
        EntityPersister persister;
        Object id;
        if (target instanceof HibernateProxy proxy) {
            LazyInitializer lazy = proxy.getHibernateLazyInitializer();
            persister = factory.getMappingMetamodel().getEntityDescriptor(lazy.getEntityName());
            id = lazy.getInternalIdentifier();
        } else {
            persister = session.getEntityPersister(null, target);
            id = persister.getIdentifier(target, session);
        }
        for (String name : rules(persister).typeNames()) {
            String idTag = EntityRules.idTag(name, id);
            if (idTag != null) {
                tags.add(idTag);
            }
        }
    }

    // ---- collecting per transaction, sending after commit

    /**
     * Records {@code tags}, and the change for the application's tag functions, in the session's
     * transaction; without a transaction, sends them at once.
     */
    private void add(SharedSessionContractImplementor session, Set<String> tags,
            EntityRules entityRules, Change change, Object entity) {
        boolean mapped = entity != null && entityRules.mapped();
        if (!session.isTransactionInProgress()) {
            // No transaction: the statement was committed as it ran.
            if (mapped) {
                entityRules.addMappedTags(tags, change, entity);
            }
            send(tags, recordNow(tags));
            return;
        }
        Pending transaction = pending(session);
        transaction.tags.addAll(tags);
        if (mapped) {
            transaction.mapped.add(new Pending.Mapped(entityRules, change, entity));
        }
    }

    /** The changes of {@code session}'s running transaction, registered for its completion. */
    private Pending pending(SharedSessionContractImplementor session) {
        return pending.computeIfAbsent(session, s -> {
            Pending created = new Pending(this);
            s.getTransactionCompletionCallbacks().registerCallback(
                    (TransactionCompletionCallbacks.BeforeCompletionCallback) created);
            s.getTransactionCompletionCallbacks().registerCallback(
                    (TransactionCompletionCallbacks.AfterCompletionCallback) created);
            return created;
        });
    }

    /**
     * A session flushed: if bulk or native statements wrote tables on this thread within a
     * transaction, makes sure its completion records them (a transaction with no entity change
     * has no other completion callback).
     */
    void flushed(SharedSessionContractImplementor session) {
        if (follower != null && session.isTransactionInProgress()
                && !SessionStatements.writtenOnThisThread().isEmpty()) {
            pending(session);
        }
    }

    /**
     * Records {@code tags} in the invalidation log in the transaction of {@code session}, just
     * before it commits; a failure fails the commit (a commit is never without its record).
     *
     * @return the log row's id, or 0 without a log
     */
    long record(SharedSessionContractImplementor session, Collection<String> tags) {
        Follower log = follower;
        if (log == null || tags.isEmpty()) {
            return 0;
        }
        long id = session.doReturningWork(connection -> log.table().record(connection, tags));
        log.expect(id);
        return id;
    }

    /** Records {@code tags} in the log in a transaction of its own (a change without one). */
    private long recordNow(Collection<String> tags) {
        Follower log = follower;
        if (log == null || tags.isEmpty()) {
            return 0;
        }
        try {
            return log.recordNow(tags);
        } catch (SQLException | RuntimeException e) {
            LOG.error("Larder could not record {} in the invalidation log: other nodes learn"
                    + " of it only when their entries expire", tags, e);
            return 0;
        }
    }

    /**
     * Called when {@code session}'s transaction ended: sends its tags if it committed, and tells
     * the log's follower whether its row was applied.
     */
    void completed(SharedSessionContractImplementor session, Pending done, boolean committed) {
        pending.remove(session, done);
        if (!committed) {
            resolved(done.logId, false, false);
            return;
        }
        if (statementsTracked) {
            // The session's statement listener runs next on this thread and sends both sets once.
            SessionStatements.completed(this, done.tags, done.logId);
        } else {
            send(done.tags, done.logId);
        }
    }

    /**
     * Invalidates {@code tags} in one call; a failure is logged, never thrown into Hibernate.
     * Tells the follower whether log row {@code logId} (0: none) is now applied to the store.
     */
    void send(Collection<String> tags, long logId) {
        boolean applied = true;
        if (!tags.isEmpty()) {
            long failures = larder.invalidationErrors();
            try {
                larder.invalidateTags(List.copyOf(tags));
            } catch (RuntimeException e) {
                applied = false;
                LOG.error("Larder could not invalidate {}", tags, e);
            }
            applied &= larder.invalidationErrors() == failures;
        }
        resolved(logId, true, applied);
    }

    private void resolved(long logId, boolean committed, boolean applied) {
        Follower log = follower;
        if (logId > 0 && log != null) {
            log.resolved(logId, committed, applied);
        }
    }

    // ---- tables, for statements

    /** Type tags by lower-case table name, or {@code null} before the factory is bound. */
    Tables tables() {
        Tables known = tables;
        if (known == null && factory != null) {
            known = Tables.of(factory.getMappingMetamodel(), this);
            tables = known;
        }
        return known;
    }

    /** The entity names of {@code persister} and of the entities it extends. */
    static List<String> typeNames(EntityPersister persister) {
        List<String> names = new ArrayList<>();
        for (EntityMappingType type = persister; type != null; type = type.getSuperMappingType()) {
            names.add(type.getEntityPersister().getJpaEntityName());
        }
        return names;
    }

    /** The fixed tags and association names that {@code @InvalidatesTags} declares on a type. */
    static List<String> declared(Class<?> type, boolean associations) {
        InvalidatesTags annotation =
                type == null ? null : type.getAnnotation(InvalidatesTags.class);
        if (annotation == null) {
            return List.of();
        }
        return Arrays.asList(associations ? annotation.associations() : annotation.value());
    }
}
