package io.larder.javalin;

import io.larder.Key;
import io.larder.Lookup;
import io.larder.Options;
import io.larder.Source;
import io.larder.http.ServerTiming;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
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

    /** A learned target: the page's key and how to refresh it, and its prepared form. */
    static final class Slot {
        final Key key;
        final Options options;
        final Source<CachedPage> source;
        final String route;
        volatile PreparedPage prepared;

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

    @SuppressWarnings("unchecked")
    PageFront(LarderPlugin plugin) {
        this.plugin = plugin;
        LarderPlugin.Settings s = plugin.settings();
        this.languages = s.languagesOrNone();
        this.slots = new Map[languages.size()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new ConcurrentHashMap<>();
        }
        this.cacheMetric = "cache." + s.region();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
            throws Exception {
        long start = System.nanoTime();
        return answer(request, response, callback, start)
                || super.handle(request, response, callback);
    }

    private boolean answer(Request request, Response response, Callback callback, long start) {
        String method = request.getMethod();
        boolean head = HttpMethod.HEAD.is(method);
        if (!head && !HttpMethod.GET.is(method)) {
            return false;
        }
        HttpFields headers = request.getHeaders();
        HttpURI uri = request.getHttpURI();
        String path = uri.getPath();
        if (personal(headers) || path == null || path.indexOf(';') >= 0 || uri.hasViolations()
                || plugin.renderer().isRender(request)) {
            return false;
        }
        String target = targetOf(path, uri.getQuery());
        int language = language(headers.get(HttpHeader.ACCEPT_LANGUAGE));
        Slot slot = slots[language].get(target);
        Lookup<CachedPage> found = slot == null ? null : lookup(slot);
        if (found == null) {
            request.setAttribute(CANDIDATE, new Candidate(target, language));
            return false;
        }
        PreparedPage prepared = slot.prepared;
        if (prepared == null || !prepared.isOf(found.value())) {
            prepared = PreparedPage.of(found.value(), plugin.settings(),
                    plugin.representations());
            slot.prepared = prepared;
        }
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
        String outcome = found.outcome().traceName();
        LarderPlugin.Settings s = plugin.settings();
        long nanos = System.nanoTime() - start;
        if (s.serverTiming()) {
            out.add("Server-Timing", ServerTiming.hit(cacheMetric, outcome,
                    nanos));
        }
        answered.increment();
        // Asked before the write: a warm-up's socket is forgotten once its answer is read.
        boolean report = !s.listeners().isEmpty() && !plugin.renderer().isVisit(request);
        response.write(true, head || notModified ? BufferUtil.EMPTY_BUFFER : variant.slice(),
                callback);
        if (report) {
            RequestTiming timing = new RequestTiming(slot.route, method,
                    notModified ? 304 : 200, outcome, nanos, List.of());
            for (Consumer<RequestTiming> listener : s.listeners()) {
                listener.accept(timing);
            }
        }
        return true;
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
     * The slot's page if one is stored, as the cache's lookup counts, traces and refreshes it;
     * {@code null} if nothing usable is stored (the ordinary path then counts the miss and
     * renders with the visitor's request).
     */
    private Lookup<CachedPage> lookup(Slot slot) {
        Lookup<CachedPage> found = plugin.settings().larder().lookupStored(slot.key,
                CachedPage.class, slot.options, slot.source);
        return found == null || found.value() == null ? null : found;
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
        return slot != null && slot.prepared != null;
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
