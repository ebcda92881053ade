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
import org.hibernate.SessionFactory;
import org.hibernate.SessionFactoryObserver;
import org.hibernate.cfg.SessionEventSettings;
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
 * session's running transaction, and sending them after it commits. Not part of the API.
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

    /**
     * An installation for {@code larder}; {@code statements} when the session factory is built
     * with its statement inspector and session listener; {@code tagLoads} to tag loads.
     */
    public Installation(Larder larder,
            Map<Class<?>, BiFunction<Change, Object, ? extends Collection<String>>> mappings,
            boolean statements, boolean tagLoads) {
        this.larder = larder;
        this.tagLoads = tagLoads;
        this.mappings = Map.copyOf(new LinkedHashMap<>(mappings));
        this.statementsTracked = statements;
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
    }

    /** A session factory observer that checks the mappings once the factory is built. */
    SessionFactoryObserver observer() {
        return new SessionFactoryObserver() {
            @Override
            public void sessionFactoryCreated(SessionFactory sessionFactory) {
                prepare();
            }
        };
    }

    /** Reads every entity's rules and the tables, so that a bad mapping fails at start-up. */
    private void prepare() {
        factory.getMappingMetamodel().forEachEntityDescriptor(this::rules);
        tables();
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
            send(tags);
            return;
        }
        Pending transaction = pending.computeIfAbsent(session, s -> {
            Pending created = new Pending(this);
            s.getTransactionCompletionCallbacks().registerCallback(
                    (TransactionCompletionCallbacks.BeforeCompletionCallback) created);
            s.getTransactionCompletionCallbacks().registerCallback(
                    (TransactionCompletionCallbacks.AfterCompletionCallback) created);
            return created;
        });
        transaction.tags.addAll(tags);
        if (mapped) {
            transaction.mapped.add(new Pending.Mapped(entityRules, change, entity));
        }
    }

    /** Called when {@code session}'s transaction ended: sends its tags if it committed. */
    void completed(SharedSessionContractImplementor session, Pending done, boolean committed) {
        pending.remove(session, done);
        if (!committed) {
            return;
        }
        if (statementsTracked) {
            // The session's statement listener runs next on this thread and sends both sets once.
            SessionStatements.completed(this, done.tags);
        } else {
            send(done.tags);
        }
    }

    /** Invalidates {@code tags} in one call; a failure is logged, never thrown into Hibernate. */
    void send(Collection<String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        try {
            larder.invalidateTags(List.copyOf(tags));
        } catch (RuntimeException e) {
            LOG.error("Larder could not invalidate {}", tags, e);
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
