package io.larder.javalin;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.Outcome;
import io.larder.Snapshot;
import io.larder.Source;
import io.larder.http.ServerTiming;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The page cache's fast path: a Jetty handler in front of Javalin's that answers a fresh or stale
 * cached page before routing, the servlet API and Javalin's context exist, from a {@link
 * PreparedPage} (status, fields and bodies per coding made once per stored page; a 304 from the
 * entity tag without touching the body).
 *
 * <p>It answers only a GET or HEAD without {@code Cookie}, {@code Authorization},
 * {@code Proxy-Authorization} or path parameters ({@code ;jsessionid}), not a render (which must
 * reach the route's handler, see {@link Renderer}), and only for a request
 * target (path and query exactly as sent) and negotiated language that the page cache has already
 * served from a stored page on the ordinary path: there the route, its query allowlist and the
 * privacy rules decided the page's key, and the front learns "this target in this language is
 * that key" ({@link #learn}). Everything else, and every miss, goes on to Javalin unchanged: the
 * ordinary path renders, refuses or bypasses as it always does. At most {@value #MAX_TARGETS}
 * targets are learned, so junk URLs cannot grow it without bound.
 *
 * <p>A page the store vouches for (from memory; the file store by one {@code stat} of its file)
 * is answered without reading the store again ({@link Larder#hitAgain}), on the thread that
 * parsed the request: the front is non-blocking, so Jetty does not hand each request to its pool
 * before calling it; everything else (a page the store has, Javalin) is handed to the pool here.
 * That is twice as fast as a front on the pool thread. It relies on {@link OneReader}: without it,
 * Jetty 12.1.14 parsed a keep-alive request twice now and then after a malformed request on
 * another connection, and a hand-off like this one widens that window (bench/README.md, "Jetty
 * reads a request twice").
 */
final class PageFront extends Handler.Wrapper {
    /** Request attribute: the target and language of a request the front could not answer. */
    static final String CANDIDATE = "io.larder.front";
    static final int MAX_TARGETS = 10_000;
    private static final int MAX_MEMO = 256;

    /** What the front saw of a request it passed on; {@link #learn} takes it back. */
    record Candidate(String target, int language) {
        /**
         * Whether this is what the front saw of {@code request} (its target as sent): the
         * ordinary path learns only a request's own target for the page it served it.
         */
        boolean isOf(HttpServletRequest request) {
            return target.equals(targetOf(request.getRequestURI(), request.getQueryString()));
        }
    }

    /** The request target as the front keys it: path and query exactly as sent. */
    static String targetOf(String path, String query) {
        return query == null ? path : path + '?' + query;
    }

    /** The page last read for a slot, and its prepared form. */
    record Held(Snapshot<CachedPage> snapshot, PreparedPage prepared) {
    }

    /** A learned target: the page's key and how to refresh it, and the page last read. */
    static final class Slot {
        final Key key;
        final Options options;
        final Source<CachedPage> source;
        final String route;
        volatile Held held;

        Slot(Key key, Options options, Source<CachedPage> source, String route) {
            this.key = key;
            this.options = options;
            this.source = source;
            this.route = route;
        }
    }

    private final LarderPlugin plugin;
    private final List<String> languages;
    private final Map<String, Slot>[] slots;
    private final AtomicInteger targets = new AtomicInteger();
    private final Map<String, Integer> languageOf = new ConcurrentHashMap<>();
    private final Map<String, Integer> codingOf = new ConcurrentHashMap<>();
    private final LongAdder answered = new LongAdder();
    private final String cacheMetric;
    private final Larder larder;

    @SuppressWarnings("unchecked")
    PageFront(LarderPlugin plugin) {
        this.plugin = plugin;
        PluginSettings s = plugin.settings();
        this.languages = s.languagesOrNone();
        this.slots = new Map[languages.size()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new ConcurrentHashMap<>();
        }
        this.cacheMetric = "cache." + s.region();
        this.larder = s.larder();
    }

    /**
     * Non-blocking: Jetty calls {@link #handle} on the thread that parsed the request (no hand-off
     * to its pool first); a held page is answered there, everything else is handed to the pool.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    /**
     * Answers a page the store vouches for at once ({@link Larder#hitAgain}: no read); hands
     * anything else to Jetty's pool, where a page the store has is answered ({@link
     * Larder#lookupStored}) or the request goes on to Javalin.
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        if (plugin.renderer().isRender(request) || !eligible(request)) {
            onPool(request, callback, () -> passOn(request, response, callback));
            return true;
        }
        HttpURI uri = request.getHttpURI();
        String target = targetOf(uri.getPath(), uri.getQuery());
        int language = language(request.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE));
        Slot slot = slots[language].get(target);
        if (slot != null) {
            Held held = slot.held;
            if (held != null && larder.hitAgain(held.snapshot())) {
                send(request, response, callback, slot, held.prepared(), Outcome.HIT, start);
                return true;
            }
        }
        onPool(request, callback, () -> {
            if (slot == null || !answerStored(request, response, callback, slot, start)) {
                request.setAttribute(CANDIDATE, new Candidate(target, language));
                passOn(request, response, callback);
            }
        });
        return true;
    }

    /** Runs {@code work} on Jetty's pool; a failure fails the request (Jetty answers 500). */
    private static void onPool(Request request, Callback callback, Runnable work) {
        try {
            request.getComponents().getExecutor().execute(() -> {
                try {
                    work.run();
                } catch (Throwable x) {
                    callback.failed(x);
                }
            });
        } catch (RejectedExecutionException x) {
            callback.failed(x);
        }
    }

    /** Javalin's handling of the request; a 404 where nothing took it, as Jetty's server does. */
    private void passOn(Request request, Response response, Callback callback) {
        try {
            if (!super.handle(request, response, callback)) {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            }
        } catch (Exception x) {
            callback.failed(x);
        }
    }

    /** Whether the front may answer {@code request}: an anonymous GET or HEAD. */
    private boolean eligible(Request request) {
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            return false;
        }
        HttpURI uri = request.getHttpURI();
        String path = uri.getPath();
        return !personal(request.getHeaders()) && path != null && path.indexOf(';') < 0
                && !uri.hasViolations();
    }

    /**
     * Answers the slot's page if the store has a usable one (counted, traced and, stale,
     * refreshed by the cache's lookup), keeping it for {@link Larder#hitAgain}.
     */
    private boolean answerStored(Request request, Response response, Callback callback,
            Slot slot, long start) {
        Snapshot<CachedPage> found = larder.lookupStored(slot.key, CachedPage.class,
                slot.options, slot.source);
        if (found == null || found.value() == null) {
            return false;
        }
        Held held = slot.held;
        PreparedPage prepared = held != null && held.prepared().isOf(found.value())
                ? held.prepared()
                : PreparedPage.of(found.value(), plugin.settings(), plugin.representations());
        slot.held = new Held(found, prepared);
        send(request, response, callback, slot, prepared, found.outcome(), start);
        return true;
    }

    /** Writes the prepared page as the request's representation, or a 304. */
    private void send(Request request, Response response, Callback callback, Slot slot,
            PreparedPage prepared, Outcome outcome, long start) {
        HttpFields headers = request.getHeaders();
        PreparedPage.Variant variant = prepared.variant(coding(
                headers.get(HttpHeader.ACCEPT_ENCODING)));
        String ifNoneMatch = headers.get(HttpHeader.IF_NONE_MATCH);
        boolean notModified = ifNoneMatch != null
                && Representations.matches(ifNoneMatch, variant.etag());
        HttpFields.Mutable out = response.getHeaders();
        for (HttpField field : prepared.fields()) {
            out.add(field);
        }
        out.add(variant.etagField());
        if (notModified) {
            response.setStatus(304);
        } else {
            response.setStatus(200);
            if (variant.encoding() != null) {
                out.add(variant.encoding());
            }
            out.add(variant.length());
        }
        PluginSettings s = plugin.settings();
        long nanos = System.nanoTime() - start;
        if (s.serverTiming()) {
            out.add("Server-Timing", ServerTiming.hit(cacheMetric, outcome.traceName(), nanos));
        }
        answered.increment();
        String method = request.getMethod(); // the request is not to be used once written
        boolean head = HttpMethod.HEAD.is(method);
        // Asked before the write: a warm-up's socket is forgotten once its answer is read.
        boolean report = !s.listeners().isEmpty() && !plugin.renderer().isVisit(request);
        response.write(true, head || notModified ? BufferUtil.EMPTY_BUFFER : variant.slice(),
                callback);
        if (report) {
            RequestTiming timing = new RequestTiming(slot.route, method,
                    notModified ? 304 : 200, outcome.traceName(), nanos, List.of());
            List<Consumer<RequestTiming>> listeners = s.listeners();
            for (int i = 0, n = listeners.size(); i < n; i++) { // no iterator per hit
                listeners.get(i).accept(timing);
            }
        }
    }

    /**
     * Whether the request carries a cookie or credentials; one pass over its fields by index (an
     * iterator per {@code contains} was a third of a hit's garbage).
     */
    private static boolean personal(HttpFields headers) {
        for (int i = 0, n = headers.size(); i < n; i++) {
            HttpField field = headers.getField(i);
            HttpHeader header = field.getHeader();
            if (header == HttpHeader.COOKIE || header == HttpHeader.AUTHORIZATION
                    || header == HttpHeader.PROXY_AUTHORIZATION) {
                return true;
            }
        }
        return false;
    }

    /**
     * Learns that {@code candidate}'s target in its language is {@code key}'s page, served on the
     * ordinary path; {@code source} refreshes it when it goes stale.
     */
    void learn(Candidate candidate, Key key, Options options, Source<CachedPage> source,
            String route) {
        Map<String, Slot> map = slots[candidate.language()];
        if (map.containsKey(candidate.target()) || targets.get() >= MAX_TARGETS) {
            return;
        }
        if (map.putIfAbsent(candidate.target(), new Slot(key, options, source, route)) == null) {
            targets.incrementAndGet();
        }
    }

    /** Whether the page of {@code target} in {@code language} is answered here already. */
    boolean knows(String target, String language) {
        int index = languages.indexOf(language);
        return index >= 0 && slots[index].containsKey(target);
    }

    /** Whether the page of {@code target} in {@code language} is learned and prepared. */
    boolean prepared(String target, String language) {
        int index = languages.indexOf(language);
        Slot slot = index < 0 ? null : slots[index].get(target);
        return slot != null && slot.held != null;
    }

    /** The language {@code candidate} was seen with, for checks by the ordinary path. */
    String language(Candidate candidate) {
        return languages.get(candidate.language());
    }

    /** How many requests the front answered. */
    long answered() {
        return answered.sum();
    }

    private int language(String acceptLanguage) {
        if (languages.size() == 1 || acceptLanguage == null) {
            return 0;
        }
        Integer memo = languageOf.get(acceptLanguage);
        if (memo != null) {
            return memo;
        }
        int index = languages.indexOf(Languages.negotiate(acceptLanguage, languages));
        if (languageOf.size() < MAX_MEMO) {
            languageOf.put(acceptLanguage, index);
        }
        return index;
    }

    private int coding(String acceptEncoding) {
        if (acceptEncoding == null) {
            return -1;
        }
        Integer memo = codingOf.get(acceptEncoding);
        if (memo != null) {
            return memo;
        }
        int index = plugin.representations().coding(acceptEncoding);
        if (codingOf.size() < MAX_MEMO) {
            codingOf.put(acceptEncoding, index);
        }
        return index;
    }
}
