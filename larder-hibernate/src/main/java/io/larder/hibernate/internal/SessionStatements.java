package io.larder.hibernate.internal;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.SessionEventListener;

/**
 * One session's writing statements (bulk and native ones included) in its running transaction;
 * after a commit it sends their type tags together with the entity changes, in one invalidation.
 * Hibernate creates one per session (setting {@code hibernate.session.events.auto}); not API.
 */
public final class SessionStatements implements SessionEventListener {
    private static final long serialVersionUID = 1L;
    /** The statement being prepared on this thread, set by the inspector just before. */
    private static final ThreadLocal<Batch> STATEMENT = new ThreadLocal<>();
    /** The entity changes of the transaction that just committed on this thread. */
    private static final ThreadLocal<Batch> COMMITTED = new ThreadLocal<>();

    private transient Installation installation;
    private final Set<String> tags = new LinkedHashSet<>();

    private record Batch(Installation installation, Collection<String> tags) { }

    /** Called by Hibernate for each new session. */
    public SessionStatements() {
    }

    /** Hands a writing statement's tags ({@code null}: not a writing one) to the next listener. */
    static void statement(Installation installation, List<String> tags) {
        if (installation == null) {
            STATEMENT.remove();
        } else {
            STATEMENT.set(new Batch(installation, tags));
        }
    }

    /**
     * Hands a committed transaction's entity tags to this session's listener, which Hibernate
     * calls next, in the same completion, on this thread.
     */
    static void completed(Installation installation, Collection<String> tags) {
        COMMITTED.set(new Batch(installation, tags));
    }

    @Override
    public void jdbcPrepareStatementEnd() {
        Batch statement = STATEMENT.get();
        if (statement != null) {
            STATEMENT.remove();
            installation = statement.installation;
            tags.addAll(statement.tags);
        }
    }

    @Override
    public void transactionCompletion(boolean successful) {
        Batch committed = COMMITTED.get();
        COMMITTED.remove();
        Set<String> all = new LinkedHashSet<>();
        Installation target = installation;
        if (successful) {
            all.addAll(tags);
            if (committed != null) {
                all.addAll(committed.tags);
                target = committed.installation;
            }
        }
        tags.clear();
        if (target != null) {
            target.send(all);
        }
    }

    @Override
    public void end() {
        tags.clear();
    }
}
