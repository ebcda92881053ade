package io.larder;

import io.larder.spi.Store;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the cross-process leases of running loads alive: every third of a lease it extends each
 * one by a whole lease ({@link Store.Lease#renew}). A lease therefore only has to outlast a
 * pause, not a load: a loader that dies, or a lock that nobody holds (its grant lost on the way
 * back), blocks the other processes for one short lease, while a long load keeps its key. One
 * daemon thread per keeper, started by the first lease it keeps.
 */
final class LeaseKeeper implements AutoCloseable {
    private final Duration lease;
    private ScheduledExecutorService timer;
    private boolean closed;

    /** A keeper whose renewals extend a lease by {@code lease}. */
    LeaseKeeper(Duration lease) {
        this.lease = lease;
    }

    /**
     * Renews {@code grant} until the returned handle is closed (close it before the grant).
     *
     * @param failed told of a renewal the store failed (the lease then runs out by itself)
     */
    AutoCloseable keep(Store.Lease grant, Consumer<RuntimeException> failed) {
        long period = Math.max(1, lease.toMillis() / 3);
        ScheduledFuture<?> renewal = timer().scheduleAtFixedRate(() -> renew(grant, failed),
                period, period, TimeUnit.MILLISECONDS);
        return () -> renewal.cancel(false);
    }

    private void renew(Store.Lease grant, Consumer<RuntimeException> failed) {
        try {
            grant.renew(lease);
        } catch (RuntimeException e) {
            failed.accept(e);
        }
    }

    private synchronized ScheduledExecutorService timer() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "larder-lease-keeper");
                thread.setDaemon(true);
                return thread;
            });
        }
        return timer;
    }

    /** Stops renewing; leases still held run out by themselves. */
    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
