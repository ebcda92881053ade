package io.larder.hibernate.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.SessionEventListener;

/**
 * One session's writing statements (bulk and native ones included) in its running transaction;
 * just before the commit their tags are recorded in the invalidation log with the entity
 * changes (a listener knows no session: the transactions completing on a thread take the tags of
 * every listener with unsent ones on that thread, which over-records only where one thread
 * interleaves sessions); after a commit it sends them together with the entity changes, in one
 * invalidation. Hibernate creates one per session (setting {@code hibernate.session.events.auto});
 * not API.
 */
public final class SessionStatements implements SessionEventListener {
    private static final long serialVersionUID = 1L;
    /** The statement being prepared on this thread, set by the inspector just before. */
    private static final ThreadLocal<Batch> STATEMENT = new ThreadLocal<>();
    /** The entity changes of the transaction that just committed on this thread. */
    private static final ThreadLocal<Batch> COMMITTED = new ThreadLocal<>();
    /** The listeners on this thread that hold tags of statements not sent yet. */
    private static final ThreadLocal<Set<SessionStatements>> WRITING =
            ThreadLocal.withInitial(() -> Collections.newSetFromMap(new IdentityHashMap<>()));

    private transient Installation installation;
    private final Set<String> tags = new LinkedHashSet<>();

    private record Batch(Installation installation, Collection<String> tags, long logId) { }

    /** Called by Hibernate for each new session. */
    public SessionStatements() {
    }

    /** Hands a writing statement's tags ({@code null}: not a writing one) to the next listener. */
    static void statement(Installation installation, List<String> tags) {
        if (installation == null) {
            STATEMENT.remove();
        } else {
            STATEMENT.set(new Batch(installation, tags, 0));
        }
    }

    /**
     * Hands a committed transaction's entity tags (and its log row, 0 if none) to this session's
     * listener, which Hibernate calls next, in the same completion, on this thread.
     */
    static void completed(Installation installation, Collection<String> tags, long logId) {
        COMMITTED.set(new Batch(installation, tags, logId));
    }

    /** The tags of the statements that wrote on this thread and are not sent yet. */
    static Set<String> writtenOnThisThread() {
        Set<SessionStatements> writing = WRITING.get();
        if (writing.isEmpty()) {
            return Set.of();
        }
        Set<String> all = new LinkedHashSet<>();
        for (SessionStatements listener : writing) {
            all.addAll(listener.tags);
        }
        return all;
    }

    @Override
    public void jdbcPrepareStatementEnd() {
        Batch statement = STATEMENT.get();
        if (statement != null) {
            STATEMENT.remove();
            installation = statement.installation;
            tags.addAll(statement.tags);
            WRITING.get().add(this);
        }
    }

    @Override
    public void transactionCompletion(boolean successful) {
        Batch committed = COMMITTED.get();
        COMMITTED.remove();
        Set<String> all = new LinkedHashSet<>();
        Installation target = installation;
        long logId = 0;
        if (successful) {
            all.addAll(tags);
            if (committed != null) {
                all.addAll(committed.tags);
                target = committed.installation;
                logId = committed.logId;
            }
        }
        clear();
        if (target != null) {
            target.send(all, logId);
        }
    }

    @Override
    public void end() {
        clear();
    }

    private void clear() {
        tags.clear();
        WRITING.get().remove(this);
    }
}
