package io.larder.javalin;

import io.larder.Key;
import io.larder.http.WarmQueue;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Renders the pages registered for warming at start-up and again right after an invalidation
 * touches them, through the core's {@link WarmQueue} (a few threads at a bounded rate, so that it
 * never starves visitors; a page is re-warmed once however many invalidations touch it while it
 * waits). What is Javalin's own is how a page is warmed: by its route's handler, then visited.
 *
 * <p>At start-up each warmed page is then visited in memory, as an anonymous visitor would ask
 * for it: once, so that the {@link PageFront fast path} learns it, then a bounded number of times
 * more ({@link LarderPlugin.Config#warmUpRequests}), answered by the fast path, so that its
 * prepared form and bodies per coding exist and the JVM has run (and compiled) the hit path
 * before the first real visitor.
 */
final class Warmer {
    /** The {@code Accept-Encoding}s the warm-up visits take turns with (none, a browser's). */
    private static final String[] ENCODINGS = {null, "gzip, deflate, br, zstd", "gzip"};
    /** Warm-up requests over the network connector: per page, in all, per connection. */
    private static final int SOCKET_REQUESTS_PER_PAGE = 50;
    private static final int SOCKET_REQUESTS = 200;
    private static final int REQUESTS_PER_CONNECTION = 10;

    /** A page to warm: {@code url} as the app named it, in {@code request}'s language. */
    private record Target(PageHandler handler, String url, PageRequest request) {
    }

    private final LarderPlugin plugin;
    private final WarmQueue<Target> queue;
    private final List<PageHandler> handlers = new CopyOnWriteArrayList<>();
    private final AtomicLong visits = new AtomicLong();
    private final Set<Key> warmedUp = ConcurrentHashMap.newKeySet();
    private volatile int warmUpPerPage;
    private volatile long warmUpNanos;
    /** When the warm-up requests stop: set by the first of them; 0 before. */
    private final AtomicLong warmUpDeadline = new AtomicLong();
    private final AtomicInteger socketRequestsLeft = new AtomicInteger(SOCKET_REQUESTS);

    Warmer(LarderPlugin plugin, int concurrency, double perSecond) {
        this.plugin = plugin;
        this.queue = new WarmQueue<>("larder-warm", concurrency, perSecond, this::warm);
    }

    void register(PageHandler handler) {
        if (!handler.page.warmSources().isEmpty()) {
            handlers.add(handler);
        }
    }

    /** Collects the URLs to warm and queues them all. */
    void start() {
        PluginSettings s = plugin.settings();
        String region = s.region();
        Set<String> regionTags = s.larder().region(region).tags();
        for (PageHandler handler : handlers) {
            for (Supplier<? extends Collection<String>> source : handler.page.warmSources()) {
                for (String url : source.get()) {
                    for (String language : s.languagesOrNone()) {
                        PageRequest request = PageRequest.parse(url, handler.page.queryAllowlist(),
                                language);
                        Set<String> tags = new HashSet<>(handler.page.tags());
                        tags.addAll(regionTags);
                        queue.add(request.key(region), new Target(handler, url, request), tags);
                    }
                }
            }
        }
        warmUpPerPage = queue.size() == 0 ? 0
                : (int) Math.ceil((double) s.warmUpRequests() / queue.size());
        warmUpNanos = s.warmUpTime().toNanos();
        queue.start();
    }

    /** Records the tags a render of {@code key} picked up, to know which invalidations touch it. */
    void learn(Key key, Rendered rendered) {
        queue.learn(key, rendered.inherited().keySet(), rendered.named());
    }

    /** The queue: to stop it, await it, and give it the larder's invalidations. */
    WarmQueue<?> queue() {
        return queue;
    }

    /** How many in-memory visits warming made (first visits and warm-up requests). */
    long visits() {
        return visits.get();
    }

    /** Warms one page by its handler, then visits it; why it may not be cached, or null. */
    private String warm(Key key, Target target) throws Exception {
        String refused = target.handler.load(key, target.request);
        if (refused != null) {
            return "the page may not be cached (" + refused + ")";
        }
        firstVisit(target);
        if (warmedUp.add(key)) {
            warmUp(target);
        }
        return null;
    }

    /**
     * Visits a page just warmed as an anonymous visitor would (in memory), so that the fast path
     * answers its first real visitor: the fast path learns a page only from a request the route
     * served, and it then also meets code the JVM has run before.
     */
    private void firstVisit(Target target) throws Exception {
        if (plugin.front() != null && !plugin.front().knows(target.url,
                target.request.language())) {
            plugin.renderer().visit(target.url, target.request.language(), null);
            visits.incrementAndGet();
        }
    }

    /**
     * Once per page, at start-up: asks the fast path for it {@code warmUpPerPage} times more.
     * Up to half of them (at most {@value #SOCKET_REQUESTS_PER_PAGE}, {@value #SOCKET_REQUESTS}
     * for all pages) go over the server's own network connector, {@value
     * #REQUESTS_PER_CONNECTION} per connection ({@link SocketWarmUp}), for the code a visitor's
     * connection adds; the others in memory, taking turns with the {@code Accept-Encoding}s of
     * {@link #ENCODINGS}, until the warm-up time (counted from the first warm-up request of all)
     * is over. The first, in memory and made even when the time is over, prepares the page's
     * header fields and its body per coding (else the first visitor's hit would compress it);
     * the others run the hit path, Jetty's request parsing and response writing included, often
     * enough to be compiled.
     */
    private void warmUp(Target target) throws Exception {
        PageFront front = plugin.front();
        if (front == null || warmUpPerPage == 0
                || !front.knows(target.url, target.request.language())) {
            return;
        }
        warmUpDeadline.compareAndSet(0, System.nanoTime() + warmUpNanos);
        long deadline = warmUpDeadline.get();
        int overSocket = take(Math.min(SOCKET_REQUESTS_PER_PAGE, warmUpPerPage / 2));
        for (int i = 0; i < warmUpPerPage - overSocket && queue.running()
                && (i == 0 || System.nanoTime() < deadline); i++) {
            if (plugin.renderer().visit(target.url, target.request.language(),
                    ENCODINGS[i % ENCODINGS.length]) == null) {
                return;
            }
            visits.incrementAndGet();
        }
        for (int sent = 0; sent < overSocket && queue.running();
                sent += REQUESTS_PER_CONNECTION) {
            int requests = Math.min(REQUESTS_PER_CONNECTION, overSocket - sent);
            if (!plugin.renderer().visitOverSocket(target.url, target.request.language(),
                    requests)) {
                return;
            }
            visits.addAndGet(requests);
        }
    }

    /** Takes up to {@code wanted} of the socket requests left. */
    private int take(int wanted) {
        int left;
        int taken;
        do {
            left = socketRequestsLeft.get();
            taken = Math.min(wanted, left);
        } while (taken > 0 && !socketRequestsLeft.compareAndSet(left, left - taken));
        return Math.max(taken, 0);
    }
}
