package io.larder.hibernate.internal;

import io.larder.Larder;
import io.larder.hibernate.Change;
import org.hibernate.collection.spi.PersistentCollection;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.spi.AbstractCollectionEvent;
import org.hibernate.event.spi.FlushEvent;
import org.hibernate.event.spi.FlushEventListener;
import org.hibernate.event.spi.PostCollectionRecreateEvent;
import org.hibernate.event.spi.PostCollectionRecreateEventListener;
import org.hibernate.event.spi.PostCollectionRemoveEvent;
import org.hibernate.event.spi.PostCollectionRemoveEventListener;
import org.hibernate.event.spi.PostCollectionUpdateEvent;
import org.hibernate.event.spi.PostCollectionUpdateEventListener;
import org.hibernate.event.spi.PostDeleteEvent;
import org.hibernate.event.spi.PostDeleteEventListener;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostInsertEventListener;
import org.hibernate.event.spi.PostLoadEvent;
import org.hibernate.event.spi.PostLoadEventListener;
import org.hibernate.event.spi.PostUpdateEvent;
import org.hibernate.event.spi.PostUpdateEventListener;
import org.hibernate.event.spi.PostUpsertEvent;
import org.hibernate.event.spi.PostUpsertEventListener;
import org.hibernate.persister.entity.EntityPersister;

/**
 * Hibernate's entity and collection events, as they happen in a flush: each change is recorded
 * in its session's transaction (sent after commit); each entity loaded tags the running load; a
 * flush (the one before commit included) makes sure the bulk statements run are recorded.
 */
final class EntityEvents implements PostInsertEventListener, PostUpdateEventListener,
        PostUpsertEventListener, PostDeleteEventListener, PostCollectionRecreateEventListener,
        PostCollectionUpdateEventListener, PostCollectionRemoveEventListener,
        PostLoadEventListener, FlushEventListener {
    private static final long serialVersionUID = 1L;
    private final transient Installation installation;

    EntityEvents(Installation installation) {
        this.installation = installation;
    }

    @Override
    public boolean requiresPostCommitHandling(EntityPersister persister) {
        return false; // changes are collected per transaction and sent by its completion callback
    }

    @Override
    public void onPostInsert(PostInsertEvent event) {
        installation.entityChanged(event.getSession(), Change.INSERT,
                event.getPersister(), event.getEntity(), event.getId(), event.getState(), null);
    }

    @Override
    public void onPostUpdate(PostUpdateEvent event) {
        installation.entityChanged(event.getSession(), Change.UPDATE,
                event.getPersister(), event.getEntity(), event.getId(), event.getState(),
                event.getOldState());
    }

    @Override
    public void onPostUpsert(PostUpsertEvent event) {
        installation.entityChanged(event.getSession(), Change.INSERT,
                event.getPersister(), event.getEntity(), event.getId(), event.getState(), null);
    }

    @Override
    public void onPostDelete(PostDeleteEvent event) {
        installation.entityChanged(event.getSession(), Change.DELETE,
                event.getPersister(), event.getEntity(), event.getId(),
                event.getDeletedState(), null);
    }

    @Override
    public void onPostRecreateCollection(PostCollectionRecreateEvent event) {
        collectionChanged(event);
    }

    @Override
    public void onPostUpdateCollection(PostCollectionUpdateEvent event) {
        collectionChanged(event);
    }

    @Override
    public void onPostRemoveCollection(PostCollectionRemoveEvent event) {
        collectionChanged(event);
    }

    private void collectionChanged(AbstractCollectionEvent event) {
        PersistentCollection<?> collection = event.getCollection();
        SharedSessionContractImplementor session =
                collection == null ? null : collection.getSession();
        if (session == null) {
            // A stateless session's collection events carry no session; its entity event,
            // which names the same owner tags, was recorded in the transaction already.
            return;
        }
        installation.collectionChanged(session, event.getAffectedOwnerEntityName(),
                event.getAffectedOwnerIdOrNull(), event.getAffectedOwnerOrNull());
    }

    @Override
    public void onFlush(FlushEvent event) {
        installation.flushed(event.getSession());
    }

    @Override
    public void onPostLoad(PostLoadEvent event) {
        if (!installation.tagLoads) {
            return;
        }
        Larder.tagCurrentLoad(installation.loadTags(event.getPersister(), event.getId())
                .toArray(String[]::new));
    }
}
