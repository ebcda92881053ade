package io.larder.http;

import io.larder.Invalidation;
import io.larder.Key;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pages a page cache warms, and the daemon threads that warm them: every page when the queue
 * {@link #start starts}, and a page again right after an invalidation touches it (its key, its
 * region, or a tag it was built from), with at most {@code concurrency} at once and at most
 * {@code perSecond} starts a second, so that warming never starves visitors. A page waits in the
 * queue at most once however many invalidations touch it meanwhile, so the queue never holds
 * more tasks than there are pages.
 *
 * <p>An integration API for web front doors (the Javalin and servlet page caches): the front
 * door names its pages with {@link #add} and says how one is warmed (rendered and stored, in
 * its framework) with a {@link Warming}; this class owns the queue, the threads, the counts and
 * {@link #awaitIdle}.
 *
 * @param <P> what the front door needs to warm one page (its request, its handler)
 */
public final class WarmQueue<P> {
    private static final Logger LOG = LoggerFactory.getLogger(WarmQueue.class);

    /** How a front door warms one page. */
    @FunctionalInterface
    public interface Warming<P> {
        /**
         * Warms {@code page}, stored under {@code key}, unless it is stored and fresh.
         *
         * @return {@code null} if the page is stored, or why it is not (a failure, logged as
         *     one line); an exception is a failure too, logged with its stack
         */
        String warm(Key key, P page) throws Exception;
    }

    /** A page to warm, with the tags that tell which invalidations touch it. */
    private record Target<P>(P page, Set<String> tags) { }

    private final Warming<P> warming;
    private final ConcurrentMap<Key, Target<P>> targets = new ConcurrentHashMap<>();
    private final Set<Key> queued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong nextStart = new AtomicLong(System.nanoTime());
    private final AtomicLong warmed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final long intervalNanos;
    private final ThreadPoolExecutor executor;
    private volatile boolean running;

    /**
     * A queue that warms with {@code concurrency} threads named {@code threadName-1, -2, ...},
     * starting at most {@code perSecond} pages a second (any rate when it is infinite).
     */
    public WarmQueue(String threadName, int concurrency, double perSecond, Warming<P> warming) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be positive, was " + concurrency);
        }
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("perSecond must be positive, was " + perSecond);
        }
        this.warming = warming;
        this.intervalNanos = (long) (1e9 / perSecond);
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(concurrency, concurrency, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, threadName + '-' + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Names a page to warm, carrying {@code tags} (its page's and its region's); a page added
     * again under the same key replaces the first. Call it before {@link #start}.
     */
    public void add(Key key, P page, Collection<String> tags) {
        Set<String> all = ConcurrentHashMap.newKeySet();
        all.addAll(tags);
        targets.put(key, new Target<>(page, all));
    }

    /** How many pages were added. */
    public int size() {
        return targets.size();
    }

    /** Queues every page added, and re-warms pages after invalidations from now on. */
    public void start() {
        running = true;
        targets.keySet().forEach(this::enqueue);
    }

    /** Whether the queue was started and not stopped: warming in progress may go on. */
    public boolean running() {
        return running;
    }

    /** Stops warming: interrupts the pages being warmed and drops those waiting. */
    public void stop() {
        running = false;
        executor.shutdownNow().forEach(dropped -> done());
    }

    /**
     * Records the tags a render of {@code key} picked up (what it read, and what it named), to
     * know which invalidations touch the page; nothing if {@code key} is not a page to warm.
     */
    public void learn(Key key, Collection<String> read, Collection<String> named) {
        Target<P> target = targets.get(key);
        if (target != null) {
            target.tags.addAll(read);
            target.tags.addAll(named);
        }
    }

    /**
     * Queues the pages {@code invalidation} touches, once each (pass it to
     * {@link io.larder.Larder#onInvalidation}); nothing before {@link #start} or after
     * {@link #stop}.
     */
    public void onInvalidation(Invalidation invalidation) {
        if (!running) {
            return;
        }
        targets.forEach((key, target) -> {
            boolean touched = invalidation.kind() == Invalidation.Kind.KEY
                    ? invalidation.name().equals(key.encode())
                    : invalidation.touches(key.region(), target.tags);
            if (touched) {
                enqueue(key);
            }
        });
    }

    private void enqueue(Key key) {
        if (!queued.add(key)) {
            return;
        }
        pending.incrementAndGet();
        try {
            executor.execute(() -> warm(key));
        } catch (RuntimeException e) { // stopped
            queued.remove(key);
            done();
        }
    }

    private void warm(Key key) {
        try {
            queued.remove(key);
            awaitTurn();
            Target<P> target = targets.get(key);
            if (running && target != null) {
                String refused = warming.warm(key, target.page);
                if (refused == null) {
                    warmed.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    if (running) {
                        LOG.warn("not warming {}: {}", key, refused);
                    }
                }
            }
        } catch (Exception e) {
            failed.incrementAndGet();
            if (running) {
                LOG.warn("warming {} failed", key, e);
            }
        } finally {
            done();
        }
    }

    /** Waits for this task's slot so that tasks start at most {@code perSecond} times a second. */
    private void awaitTurn() {
        if (intervalNanos == 0) {
            return;
        }
        long now = System.nanoTime();
        long slot = nextStart.getAndAccumulate(now, (next, n) -> Math.max(next, n) + intervalNanos);
        long start = Math.max(slot, now);
        while (running && System.nanoTime() < start) {
            LockSupport.parkNanos(start - System.nanoTime());
        }
    }

    private void done() {
        if (pending.decrementAndGet() == 0) {
            synchronized (pending) {
                pending.notifyAll();
            }
        }
    }

    /** Waits until no page is queued or being warmed; false if {@code timeout} passed first. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (pending) {
            while (pending.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(pending, left);
            }
        }
        return true;
    }

    /**
     * The queue's counts at one moment.
     *
     * @param pages the pages it warms ({@link #size})
     * @param warmed how many times a page was warmed ({@link #warmed})
     * @param failed how many times warming a page failed or was refused ({@link #failed})
     * @param waiting the pages queued or being warmed now
     */
    public record Stats(int pages, long warmed, long failed, int waiting) { }

    /** Its counts now (for a dashboard or metrics). */
    public Stats stats() {
        return new Stats(targets.size(), warmed.get(), failed.get(), Math.max(0, pending.get()));
    }

    /** How many times a page was warmed (rendered and stored, or found stored and fresh). */
    public long warmed() {
        return warmed.get();
    }

    /** How many times warming a page failed or was refused. */
    public long failed() {
        return failed.get();
    }
}
