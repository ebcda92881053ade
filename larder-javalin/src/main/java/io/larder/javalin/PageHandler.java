package io.larder.javalin;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.servlet.JavalinServletContext;
import io.larder.Key;
import io.larder.Larder;
import io.larder.LoadException;
import io.larder.Loaded;
import io.larder.Lookup;
import io.larder.Source;
import io.larder.TagCapture;
import io.larder.http.TagHeader;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A route's handler behind the page cache. An anonymous GET or HEAD is answered from the cache;
 * on a miss the handler runs once for the key on the requesting thread (the core's
 * {@link Source#load()}) and its response is captured; a stale page is served at once while the
 * core refreshes it in the background ({@link Source#refresh()}) by a render request passed to
 * this server in memory (see {@link Renderer}), since the original request is gone.
 */
final class PageHandler implements Handler {
    static final String OUTCOME = "io.larder.page";
    private static final byte[] EMPTY = new byte[0];
    /** Headers never stored with a page: per response, computed here, or forbidden. */
    private static final Set<String> NOT_STORED = Set.of("content-type", "content-length",
            "date", "server", "etag", "server-timing", "transfer-encoding", "set-cookie",
            "connection", "keep-alive");

    private final LarderPlugin plugin;
    final Page page;
    private final Handler delegate;

    PageHandler(LarderPlugin plugin, Page page, Handler delegate) {
        this.plugin = plugin;
        this.page = page;
        this.delegate = delegate;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        PluginSettings s = plugin.settings();
        if (plugin.renderer().isRenderRequest(ctx)) {
            answerRender(ctx);
            return;
        }
        HandlerType method = ctx.method();
        boolean readOnly = HandlerType.GET.equals(method) || HandlerType.HEAD.equals(method);
        if (!readOnly || !s.anonymous().test(ctx)) {
            ctx.attribute(OUTCOME, "bypass");
            delegate.handle(ctx);
            return;
        }
        PageRequest request = PageRequest.of(ctx, page.queryAllowlist(), plugin.language(ctx));
        Key key = request.key(s.region());
        Lookup<CachedPage> found;
        try {
            found = s.larder().lookup(key, CachedPage.class, page.options(), new Source<>() {
                @Override
                public Loaded<CachedPage> load() throws Exception {
                    return accept(key, renderHere(ctx));
                }

                @Override
                public Loaded<CachedPage> refresh() throws Exception {
                    return accept(key, plugin.renderer().render(request, true));
                }
            });
        } catch (LoadException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        if (found.value() == null) {
            // Rendered here and refused by the cache's rules: the handler's own response stands.
            ctx.attribute(OUTCOME, "uncacheable");
            return;
        }
        ctx.attribute(OUTCOME, found.outcome().traceName());
        PageFront front = plugin.front();
        PageFront.Candidate candidate = ctx.attribute(PageFront.CANDIDATE);
        if (front != null && candidate != null && candidate.isOf(ctx.req())
                && Objects.equals(front.language(candidate), request.language())) {
            front.learn(candidate, key, page.options(), withoutVisitor(key, request),
                    RequestEnd.route(ctx));
        }
        serve(ctx, found.value());
    }

    /**
     * The source of {@code key}'s page where no visitor's request is at hand (the {@link
     * PageFront fast path}): a miss loads nothing (the request goes on to the ordinary path, which
     * renders with it), a stale page is re-rendered as on the ordinary path.
     */
    private Source<CachedPage> withoutVisitor(Key key, PageRequest request) {
        return new Source<>() {
            @Override
            public Loaded<CachedPage> load() {
                return Loaded.uncached(null);
            }

            @Override
            public Loaded<CachedPage> refresh() throws Exception {
                return accept(key, plugin.renderer().render(request, true));
            }
        };
    }

    /**
     * Loads the page of {@code key} by a re-render unless it is cached; used by warming.
     *
     * @return why the page may not be cached, or {@code null} if it is
     */
    String load(Key key, PageRequest request) throws Exception {
        String[] refused = {null};
        Source<CachedPage> render = () -> {
            Rendered rendered = plugin.renderer().render(request, false);
            refused[0] = rendered.uncacheable();
            return accept(key, rendered);
        };
        plugin.settings().larder().lookup(key, CachedPage.class, page.options(), render);
        return refused[0];
    }

    /**
     * The page a render made, kept by the cache; one the rules refuse is {@code null} and this
     * render's alone (a request waiting for the same key renders its own).
     */
    private Loaded<CachedPage> accept(Key key, Rendered rendered) {
        if (rendered.uncacheable() != null) {
            return Loaded.uncached(null);
        }
        TagCapture.replay(rendered.inherited(), rendered.named());
        plugin.warmer().learn(key, rendered);
        return Loaded.of(rendered.page());
    }

    /**
     * Answers a render request (see {@link Renderer}): runs the handler and hands what it made
     * to the waiting render; the response itself carries nothing. A refresh runs the handler at
     * {@link Thread#MIN_PRIORITY}: no visitor waits for it (the page is served stale meanwhile),
     * so on a busy machine the visitors' requests go first and it does not lengthen their tail.
     * A warming render keeps its priority: visitors may be waiting on its load. Java priorities
     * reach the OS only where the JVM maps them (Linux: {@code -XX:ThreadPriorityPolicy=1
     * -XX:JavaPriority1_To_OSPriority=19}; lowering a thread's priority needs no privilege);
     * elsewhere this changes nothing.
     */
    private void answerRender(Context ctx) throws Exception {
        ctx.attribute(OUTCOME, "render");
        Thread thread = Thread.currentThread();
        int priority = thread.getPriority();
        Rendered rendered;
        if (plugin.renderer().isRefresh(ctx)) {
            thread.setPriority(Thread.MIN_PRIORITY);
        }
        try {
            rendered = renderHere(ctx);
        } finally {
            thread.setPriority(priority);
        }
        ctx.res().reset();
        ctx.status(204);
        ctx.result(EMPTY);
        plugin.renderer().answer(ctx, rendered);
    }

    /** Runs the handler on this request and captures its response, with the tags it picked up. */
    private Rendered renderHere(Context ctx) throws Exception {
        HttpServletResponse res = ctx.res();
        Map<String, List<String>> before = headers(res);
        Map<String, Long> read;
        List<String> named;
        try (TagCapture capture = TagCapture.begin()) {
            delegate.handle(ctx);
            Collection<String> tags = page.tagsFor(ctx);
            if (!tags.isEmpty()) {
                Larder.tagCurrentLoad(tags.toArray(String[]::new));
            }
            read = capture.read();
            named = List.copyOf(capture.named());
        }
        byte[] body = body(ctx);
        String refused = refusal(ctx, res);
        if (refused != null) {
            return new Rendered(null, refused, read, named);
        }
        Map<String, String> stored = new LinkedHashMap<>();
        for (String name : res.getHeaderNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            List<String> values = new ArrayList<>(res.getHeaders(name));
            if (!NOT_STORED.contains(lower) && !values.equals(before.get(lower))) {
                stored.put(name, String.join(", ", values));
            }
        }
        TagHeader header = plugin.settings().tagHeader();
        if (header != null) {
            stored.put(header.name(), header.value(plugin.settings().larder().region(
                    plugin.settings().region()), page.tags(), named, read.keySet()));
        }
        CachedPage captured = CachedPage.of(200, res.getContentType(), stored, body);
        return new Rendered(captured, null, read, named);
    }

    private static String refusal(Context ctx, HttpServletResponse res) {
        if (ctx instanceof JavalinServletContext servlet
                && servlet.getUserFutureSupplier$javalin() != null) {
            return "the handler answers asynchronously (ctx.future)";
        }
        if (ctx.statusCode() != 200) {
            return "status " + ctx.statusCode();
        }
        if (!res.getHeaders("Set-Cookie").isEmpty()) {
            return "the response sets a cookie";
        }
        for (String value : res.getHeaders("Cache-Control")) {
            String v = value.toLowerCase(Locale.ROOT);
            if (v.contains("private") || v.contains("no-store")) {
                return "Cache-Control: " + value;
            }
        }
        return null;
    }

    private static byte[] body(Context ctx) throws IOException {
        try (InputStream in = ctx.resultInputStream()) {
            byte[] body = in == null ? EMPTY : in.readAllBytes();
            ctx.result(body);
            return body;
        }
    }

    private static Map<String, List<String>> headers(HttpServletResponse res) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : res.getHeaderNames()) {
            headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(res.getHeaders(name)));
        }
        return headers;
    }

    /**
     * Sends a cached page as the representation the request selects (see {@link
     * Representations}), or a 304 when the client has it, with the configured
     * {@code Cache-Control} unless the handler set its own, and {@code Vary: Accept-Language}
     * when the page's key holds the negotiated language.
     */
    void serve(Context ctx, CachedPage page) {
        PluginSettings s = plugin.settings();
        ctx.status(page.status());
        if (page.contentType() != null) {
            ctx.contentType(page.contentType());
        }
        page.headers().forEach(ctx::header);
        if (!s.cacheControl().isEmpty() && ctx.res().getHeader("Cache-Control") == null) {
            ctx.header("Cache-Control", s.cacheControl());
        }
        if (!s.languages().isEmpty()) {
            Representations.vary(ctx.res(), "Accept-Language");
        }
        plugin.representations().send(ctx, page.body(), page.etag());
    }

    /** Whether an {@code If-None-Match} value names {@code etag} (weak comparison, RFC 9110). */
    static boolean matches(String ifNoneMatch, String etag) {
        return Representations.matches(ifNoneMatch, etag);
    }
}
