package io.larder.servlet;

import io.larder.Invalidation;
import io.larder.Key;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders the pages registered for warming when the filter starts, and again right after an
 * invalidation touches one of them (its key, its region, or a tag it was built from), on a few
 * daemon threads so that visitors are never starved. A page is re-warmed once however many
 * invalidations touch it while it waits; a page that is stored and fresh is not rendered.
 */
final class Warmer {
    private static final Logger LOG = LoggerFactory.getLogger(Warmer.class);

    private record Target(PageTarget page, Set<String> tags) { }

    private final PageLoads loads;
    private final List<Supplier<? extends Collection<String>>> sources;
    private final List<List<String>> variants;
    private final ConcurrentMap<Key, Target> targets = new ConcurrentHashMap<>();
    private final Set<Key> queued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong warmed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final ThreadPoolExecutor executor;
    private volatile boolean running;

    /**
     * @param variants the raw values of the keyed headers to warm each URL with, one list per
     *     combination (in the filter's {@code vary} order)
     */
    Warmer(PageLoads loads, List<Supplier<? extends Collection<String>>> sources,
            List<List<String>> variants, int concurrency) {
        this.loads = loads;
        this.sources = List.copyOf(sources);
        this.variants = List.copyOf(variants);
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(concurrency, concurrency, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "larder-page-warm-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * The raw keyed-header values to warm each URL with, one list per combination of the values
     * in {@code warmHeaders} (by lower-case name; a header without values is absent).
     */
    static List<List<String>> variants(List<KeyedHeader> keyed,
            Map<String, List<String>> warmHeaders) {
        List<List<String>> variants = new ArrayList<>();
        variants.add(new ArrayList<>());
        for (KeyedHeader header : keyed) {
            List<String> values = warmHeaders.getOrDefault(
                    header.name().toLowerCase(Locale.ROOT), Collections.singletonList(null));
            List<List<String>> next = new ArrayList<>();
            for (List<String> variant : variants) {
                for (String value : values) {
                    List<String> more = new ArrayList<>(variant);
                    more.add(value);
                    next.add(more);
                }
            }
            variants = next;
        }
        return variants;
    }

    /** Collects the URLs to warm (under {@code contextPath}) and queues them all. */
    void start(String contextPath) {
        running = true;
        Set<String> baseTags = loads.baseTags();
        for (Supplier<? extends Collection<String>> source : sources) {
            for (String url : source.get()) {
                for (List<String> headers : variants) {
                    PageTarget page = PageTarget.parse(contextPath, url, loads.query(),
                            loads.keyed(), headers);
                    Set<String> tags = ConcurrentHashMap.newKeySet();
                    tags.addAll(baseTags);
                    targets.putIfAbsent(page.key(loads.region()), new Target(page, tags));
                }
            }
        }
        targets.keySet().forEach(this::enqueue);
    }

    void stop() {
        running = false;
        executor.shutdownNow();
    }

    /** Records the tags a render of {@code key} picked up, to know which invalidations touch it. */
    void learn(Key key, Rendered rendered) {
        Target target = targets.get(key);
        if (target != null) {
            target.tags.addAll(rendered.read().keySet());
            target.tags.addAll(rendered.named());
        }
    }

    void onInvalidation(Invalidation invalidation) {
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
            Target target = targets.get(key);
            if (running && target != null) {
                loads.warm(key, target.page);
                warmed.incrementAndGet();
            }
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            if (running) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                LOG.warn("not warming {}: {}", key, cause.toString());
            }
        } finally {
            done();
        }
    }

    private void done() {
        if (pending.decrementAndGet() == 0) {
            synchronized (pending) {
                pending.notifyAll();
            }
        }
    }

    /** Waits until no warming is queued or running; false if {@code timeout} passed first. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
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

    long warmed() {
        return warmed.get();
    }

    long failed() {
        return failed.get();
    }
}
