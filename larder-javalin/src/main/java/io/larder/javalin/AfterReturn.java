package io.larder.javalin;

import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.Callback;

/**
 * A request's callback, completed only once the thread handling the request has also left the
 * handlers: as when Jetty calls a handler on the connection's own thread, the connection reads
 * its next request only after that. The servlet layer keeps state per connection (its
 * {@code ServletChannel} is reused by the next request) and still uses it after completing the
 * callback; a handler that hands a request to another thread must not let the next request in
 * before that thread is done, or two requests share it.
 */
final class AfterReturn implements Callback {
    private static final int COMPLETED = 1;
    private static final int RETURNED = 2;

    private final Callback callback;
    private final AtomicInteger state = new AtomicInteger();
    private volatile Throwable failure;

    AfterReturn(Callback callback) {
        this.callback = callback;
    }

    @Override
    public void succeeded() {
        complete(null);
    }

    /** Fails the request, unless it was completed already (then this does nothing). */
    @Override
    public void failed(Throwable x) {
        complete(x);
    }

    /** Called by the handling thread once it has left the handlers. */
    void returned() {
        if (state.getAndUpdate(s -> s | RETURNED) == COMPLETED) {
            finish();
        }
    }

    private void complete(Throwable x) {
        int before;
        do {
            before = state.get();
            if ((before & COMPLETED) != 0) {
                return; // completed once already
            }
            failure = x;
        } while (!state.compareAndSet(before, before | COMPLETED));
        if (before == RETURNED) {
            finish();
        }
    }

    private void finish() {
        Throwable x = failure;
        if (x == null) {
            callback.succeeded();
        } else {
            callback.failed(x);
        }
    }

    @Override
    public InvocationType getInvocationType() {
        return callback.getInvocationType();
    }
}
