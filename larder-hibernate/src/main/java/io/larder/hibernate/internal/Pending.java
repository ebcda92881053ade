package io.larder.hibernate.internal;

import io.larder.hibernate.Change;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.engine.spi.TransactionCompletionCallbacks;

/**
 * The tags that one session's running transaction changed, recorded in the invalidation log just
 * before it commits (with the tags of the bulk statements it ran) and sent after it commits. The
 * application's tag functions run just before the commit, after the last flush, when the session
 * may still load what they read.
 */
final class Pending implements TransactionCompletionCallbacks.BeforeCompletionCallback,
        TransactionCompletionCallbacks.AfterCompletionCallback {
    private final Installation installation;
    final Set<String> tags = new LinkedHashSet<>();
    final List<Mapped> mapped = new ArrayList<>();
    /** The log row recorded for this transaction, or 0. */
    long logId;

    /** A change whose tag functions have not run yet. */
    record Mapped(EntityRules rules, Change change, Object entity) { }

    Pending(Installation installation) {
        this.installation = installation;
    }

    @Override
    public void doBeforeTransactionCompletion(SharedSessionContractImplementor session) {
        for (Mapped change : mapped) {
            change.rules().addMappedTags(tags, change.change(), change.entity());
        }
        mapped.clear();
        Set<String> recorded = new LinkedHashSet<>(tags);
        recorded.addAll(SessionStatements.writtenOnThisThread());
        logId = installation.record(session, recorded);
    }

    @Override
    public void doAfterTransactionCompletion(boolean success,
            SharedSessionContractImplementor session) {
        installation.completed(session, this, success);
    }
}
