package io.larder.spring;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * Runs an invalidation when the transaction the calling thread is in commits (not at all when it
 * rolls back), or at once when the thread is in none or Spring's transaction support is absent.
 * Invalidated before the commit, a tag would let a reader between the two load the old rows and
 * cache them under the new generation: stale until it expires.
 */
final class AfterCommit {
    private static final boolean TRANSACTIONS = ClassUtils.isPresent(
            "org.springframework.transaction.support.TransactionSynchronizationManager",
            AfterCommit.class.getClassLoader());

    private AfterCommit() {
    }

    /** Runs {@code action} after the current transaction commits, or now if there is none. */
    static void run(Runnable action) {
        if (!TRANSACTIONS || !Synchronization.defer(action)) {
            action.run();
        }
    }

    /** Kept apart so that nothing of spring-tx is loaded where it is absent. */
    private static final class Synchronization {
        static boolean defer(Runnable action) {
            if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                return false;
            }
            TransactionSynchronizationManager.registerSynchronization(
                    new TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            action.run();
                        }
                    });
            return true;
        }
    }
}
