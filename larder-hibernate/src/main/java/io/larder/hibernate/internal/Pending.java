package io.larder.hibernate.internal;

import java.util.LinkedHashSet;
import java.util.Set;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.engine.spi.TransactionCompletionCallbacks;

/** The tags that one session's running transaction changed, sent after it commits. */
final class Pending implements TransactionCompletionCallbacks.AfterCompletionCallback {
    private final Installation installation;
    final Set<String> tags = new LinkedHashSet<>();

    Pending(Installation installation) {
        this.installation = installation;
    }

    @Override
    public void doAfterTransactionCompletion(boolean success,
            SharedSessionContractImplementor session) {
        installation.completed(session, this, success);
    }
}
