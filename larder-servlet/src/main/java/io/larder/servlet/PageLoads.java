package io.larder.servlet;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Loaded;
import io.larder.Lookup;
import io.larder.Options;
import io.larder.Source;
import io.larder.TagCapture;
import io.larder.http.TagHeader;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the filter's pages are made, owned in one place: a render through the rest of the chain
 * (a visitor's miss, or the answer to a render request), and a render without a visitor through
 * the {@link Renderer} (a stale page's refresh, warming), whose refused or failed result throws,
 * so that the core keeps the stale page, counts the failure and logs it once per burst.
 */
final class PageLoads {
    private final Larder larder;
    private final String region;
    private final Options cold;
    private final Options started;
    private final List<KeyedHeader> keyed;
    private final List<String> query;
    private final PageRules rules;
    private final PageCacheFilter.PageTags tags;
    private final Compression compression;
    private final TagHeader tagHeader;
    final Renderer renderer;
    private volatile Warmer warmer;

    PageLoads(Larder larder, String region, Options options, List<KeyedHeader> keyed,
            List<String> query, PageRules rules, PageCacheFilter.PageTags tags,
            Compression compression, TagHeader tagHeader, Duration renderTimeout) {
        this.larder = larder;
        this.region = region;
        this.started = options;
        // Before start() nothing can render without a visitor: pages are then never stale.
        this.cold = options.staleFor(Duration.ZERO);
        this.keyed = List.copyOf(keyed);
        this.query = List.copyOf(query);
        this.rules = rules;
        this.tags = tags;
        this.compression = compression;
        this.tagHeader = tagHeader;
        this.renderer = new Renderer(renderTimeout);
    }

    void warmer(Warmer warmer) {
        this.warmer = warmer;
    }

    String region() {
        return region;
    }

    List<KeyedHeader> keyed() {
        return keyed;
    }

    List<String> query() {
        return query;
    }

    /** The tags every page carries: the filter's and its region's. */
    Set<String> baseTags() {
        Set<String> all = new HashSet<>(started.tags());
        all.addAll(larder.region(region).tags());
        return all;
    }

    Options options() {
        return renderer.started() ? started : cold;
    }

    /**
     * The page of a visitor's request: on a miss the rest of the chain renders it on this
     * thread, with {@code render} as its request; a refused render is left in {@code refused[0]}
     * for the visitor alone; a stale page is refreshed by a render without the visitor.
     */
    Lookup<CachedResponse> lookup(HttpServletRequest request, HttpServletResponse response,
            FilterChain chain, RenderRequest render, PageTarget target,
            CapturingResponse[] refused) {
        Key key = target.key(region);
        return larder.lookup(key, CachedResponse.class, options(), new Source<>() {
            @Override
            public Loaded<CachedResponse> load() throws Exception {
                CapturingResponse captured = new CapturingResponse(response, charset(request));
                Rendered rendered = renderHere(request, response, chain, render, captured);
                if (rendered.refused() != null) {
                    refused[0] = captured;
                    return Loaded.uncached(null);
                }
                learn(key, rendered); // its tags reached this load by the capture already
                return Loaded.of(rendered.page());
            }

            @Override
            public Loaded<CachedResponse> refresh() throws Exception {
                return elsewhere(key, target, true);
            }
        });
    }

    /** Loads the page of {@code target} by a render without a visitor, unless it is stored. */
    void warm(Key key, PageTarget target) {
        larder.lookup(key, CachedResponse.class, options(),
                () -> elsewhere(key, target, false));
    }

    /**
     * Answers a render request: renders the page here and sends it (or its refusal) as JSON. A
     * refresh renders at {@link Thread#MIN_PRIORITY}: no visitor waits for it (the page is served
     * stale meanwhile), so on a busy machine visitors go first; a warming render keeps its
     * priority, since visitors may wait on its load. Java priorities reach the OS only where the
     * JVM maps them (Linux: {@code -XX:ThreadPriorityPolicy=1
     * -XX:JavaPriority1_To_OSPriority=19}); elsewhere this changes nothing.
     */
    void answer(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        request.setAttribute(PageCacheFilter.OUTCOME, "render");
        Rendered rendered;
        String bypass = rules.bypass(request);
        if (bypass != null) {
            rendered = Rendered.refused(bypass, null);
        } else {
            Map<String, String[]> params = RenderRequest.allowlisted(request, query);
            Key key = PageTarget.of(request, keyed, params).key(region);
            CapturingResponse captured = new CapturingResponse(response, charset(request));
            Thread thread = Thread.currentThread();
            int priority = thread.getPriority();
            if (renderer.isRefresh(request)) {
                thread.setPriority(Thread.MIN_PRIORITY);
            }
            Rendered here;
            try {
                here = renderHere(request, response, chain, new RenderRequest(request, params),
                        captured);
            } finally {
                thread.setPriority(priority);
            }
            rendered = new Rendered(here.page(), here.refused(), here.read(), here.named(),
                    key.encode());
        }
        byte[] body = renderer.encode(rendered);
        response.setStatus(200);
        response.setHeader(Renderer.RENDERED, "1");
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * Renders through the rest of the chain into {@code captured}: the page with its tags, or
     * why the rules refuse it (then {@code captured} holds the response for its own visitor).
     */
    private Rendered renderHere(HttpServletRequest request, HttpServletResponse response,
            FilterChain chain, RenderRequest render, CapturingResponse captured)
            throws IOException, ServletException {
        try (TagCapture capture = TagCapture.begin()) {
            chain.doFilter(render, captured);
            String refusal = rules.refusal(request, response, captured);
            if (refusal != null) {
                return new Rendered(null, refusal, Map.of(), List.of(), null);
            }
            if (tags != null) {
                Collection<String> named = tags.tagsFor(request);
                if (named != null && !named.isEmpty()) {
                    Larder.tagCurrentLoad(named.toArray(String[]::new));
                }
            }
            Map<String, Long> read = capture.read();
            List<String> named = List.copyOf(capture.named());
            CachedResponse page = PageRules.page(captured, compression, tagHeader == null ? null
                    : Map.entry(tagHeader.name(), tagHeader.value(larder.region(region),
                            started.tags(), named, read.keySet())));
            return new Rendered(page, null, read, named, null);
        }
    }

    /**
     * The page of {@code target} rendered without a visitor (by a render request), to keep;
     * throws when the render was refused, failed or made another key's page, so the stale page
     * stays and the core counts and logs the failure.
     */
    private Loaded<CachedResponse> elsewhere(Key key, PageTarget target, boolean refresh)
            throws Exception {
        Rendered rendered = renderer.render(target, keyed, refresh);
        if (rendered.refused() != null) {
            throw new IllegalStateException("not keeping the page " + target.url() + ": "
                    + rendered.refused());
        }
        if (!key.encode().equals(rendered.key())) {
            throw new IllegalStateException("the render of " + target.url() + " made the page"
                    + " of another key (does a vary normaliser not keep its own results?)");
        }
        TagCapture.replay(rendered.read(), rendered.named());
        learn(key, rendered);
        return Loaded.of(rendered.page());
    }

    private void learn(Key key, Rendered rendered) {
        Warmer w = warmer;
        if (w != null) {
            w.learn(key, rendered);
        }
    }

    /** The charset a render's writer uses when the application names none (the spec's). */
    private static String charset(HttpServletRequest request) {
        String configured = request.getServletContext().getResponseCharacterEncoding();
        return configured != null ? configured : StandardCharsets.ISO_8859_1.name();
    }
}
