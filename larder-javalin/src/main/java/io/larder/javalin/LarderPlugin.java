package io.larder.javalin;

import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.servlet.SubmitOrder;
import io.javalin.http.servlet.Task;
import io.javalin.plugin.Plugin;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.larder.Key;
import io.larder.Larder;
import io.larder.http.TagHeader;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import kotlin.Unit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Larder for Javalin: whole-page caching per route, warming, a {@code Server-Timing} header on
 * every response, and per-request timings for metrics.
 *
 * <pre>{@code
 * LarderPlugin larderPlugin = new LarderPlugin(cfg -> cfg.larder(larder).languages("en", "de")
 *         .anonymousWhen(ctx -> ctx.cookie("session") == null));
 * Javalin app = Javalin.create(config -> {
 *     config.registerPlugin(larderPlugin);
 *     larderPlugin.cachedGet(config.routes, "/", Page.ttl(Duration.ofMinutes(5))
 *             .staleFor(Duration.ofHours(1)).tags("posts").query("page").warm("/"), home::show);
 * }).start(7070);
 * }</pre>
 *
 * <p>A page is produced once per key however many visitors miss it at once; a stale page is
 * served at once while one background re-render runs. Re-renders and warming pass a request
 * for the page (no cookies, only the key's query and language) to this server in memory, through
 * Jetty's {@code LocalConnector}, so they need no visitor's request and no network. Warming runs
 * when the server has started; by
 * default {@code start()} returns once the warm pages are stored (see {@link
 * Config#warmInBackground()}).
 *
 * <p>On every route it also makes HEAD mirror GET, sends byte and text bodies as the
 * representation the request selects (compression by the app's {@code CompressionStrategy},
 * an entity tag per content coding, {@code Vary}, {@code Content-Length}), and adds
 * {@code Server-Timing} to Jetty's own error answers.
 */
public final class LarderPlugin extends Plugin<LarderPlugin.Config> {
    static final String TRACE = "io.larder.trace";
    private static final String LANGUAGE = "io.larder.language";

    private final PluginSettings settings;
    private final Renderer renderer;
    private final Warmer warmer;
    private volatile Server server;
    private volatile boolean initialized;
    private volatile Representations representations;
    private volatile PageFront front;

    /** A plugin configured by {@code config}; bad settings fail here. */
    public LarderPlugin(Consumer<Config> config) {
        super(config, new Config());
        this.settings = pluginConfig.settings();
        this.renderer = new Renderer(settings.renderTimeout());
        this.warmer = new Warmer(this, settings.warmConcurrency(), settings.warmPerSecond());
        settings.larder().onInvalidation(warmer.queue()::onInvalidation);
    }

    /**
     * Wraps {@code handler} in the page cache with {@code page}'s settings; register the result
     * on a GET route. Other methods and non-anonymous requests reach {@code handler} directly.
     */
    public Handler page(Page page, Handler handler) {
        PageHandler wrapped = new PageHandler(this, Objects.requireNonNull(page, "page"),
                Objects.requireNonNull(handler, "handler"));
        warmer.register(wrapped);
        return wrapped;
    }

    /**
     * Registers {@code handler} behind the page cache for GET and HEAD on {@code path} (a HEAD
     * gets the GET's status and headers without a body; a 405's {@code Allow} names both).
     */
    public void cachedGet(JavalinDefaultRoutingApi routes, String path, Page page,
            Handler handler) {
        Handler wrapped = page(page, handler);
        routes.get(path, wrapped);
        routes.head(path, wrapped);
    }

    /**
     * The request's language, negotiated from {@code Accept-Language} among the configured
     * languages (the first one by default), or {@code null} if none are configured. Page handlers
     * must take their language from here: it is part of the page's key.
     */
    public String language(Context ctx) {
        if (settings.languages().isEmpty()) {
            return null;
        }
        String cached = ctx.attribute(LANGUAGE);
        if (cached == null) {
            cached = Languages.negotiate(ctx.header("Accept-Language"), settings.languages());
            ctx.attribute(LANGUAGE, cached);
        }
        return cached;
    }

    /** Waits until no page is queued or being warmed; false if {@code timeout} passed first. */
    public boolean awaitWarm(Duration timeout) throws InterruptedException {
        return warmer.queue().awaitIdle(timeout);
    }

    @Override
    public String name() {
        return "larder";
    }

    @Override
    public void onInitialize(JavalinState state) {
        initialized = true;
        representations = new Representations(state.http.compressionStrategy,
                state.http.generateEtags);
        RequestEnd ends = new RequestEnd(settings, representations, renderer);
        state.jetty.modifyServer(this::modify);
        state.jetty.modifyServletContextHandler(handler -> handler.addFilter(
                new RequestFilter(state.internalRouter), "/*",
                EnumSet.of(DispatcherType.REQUEST)));
        // Last of all, after every after-handler: the body's representation, then the timing.
        state.servletRequestLifecycle.add((submit, servlet, ctx, uri) -> submit.invoke(
                SubmitOrder.LAST, new Task(false, () -> {
                    ends.finish(ctx);
                    return Unit.INSTANCE;
                })));
        state.events.serverStarting(() -> {
            renderer.attach(server);
            OneReader.install(server);
        });
        state.events.serverStarted(this::started);
        state.events.serverStopping(warmer.queue()::stop);
    }

    private void modify(Server s) {
        this.server = s;
        if (settings.fastPath()) {
            // Javalin puts its servlet context inside the innermost wrapper it finds.
            front = new PageFront(this);
            if (s.getHandler() != null) {
                front.setHandler(s.getHandler());
            }
            s.setHandler(front);
        }
        if (settings.serverTiming()) {
            Request.Handler errors = s.getErrorHandler();
            s.setErrorHandler(new TimedErrorHandler(errors != null ? errors : new ErrorHandler()));
        }
    }

    private void started() throws InterruptedException {
        warmer.start();
        if (!settings.warmInBackground() && !warmer.queue().awaitIdle(settings.warmTimeout())) {
            org.slf4j.LoggerFactory.getLogger(LarderPlugin.class).warn(
                    "warming did not finish within {}; it goes on in the background",
                    settings.warmTimeout());
        }
    }

    PluginSettings settings() {
        if (!initialized) {
            throw new IllegalStateException("a cached page's LarderPlugin is not registered:"
                    + " config.registerPlugin(larderPlugin)");
        }
        return settings;
    }

    Renderer renderer() {
        return renderer;
    }

    Warmer warmer() {
        return warmer;
    }

    Representations representations() {
        return representations;
    }

    /** The fast path in front of Javalin, or {@code null} when it is off or not yet started. */
    PageFront front() {
        return front;
    }

    /** The plugin's settings; only {@link #larder(Larder)} is required. */
    public static final class Config {
        private Larder larder;
        private String region = "page";
        private Predicate<Context> anonymous =
                ctx -> ctx.header("Cookie") == null && ctx.header("Authorization") == null;
        private boolean anonymousSet;
        private Boolean fastPath;
        private List<String> languages = List.of();
        private boolean serverTiming = true;
        private int warmConcurrency = 2;
        private double warmPerSecond = 20;
        private boolean warmInBackground;
        private Duration warmTimeout = Duration.ofMinutes(2);
        private Duration renderTimeout = Duration.ofSeconds(30);
        private String cacheControl = "public, max-age=0, must-revalidate";
        private TagHeader tagHeader;
        private int warmUpRequests = 2_000;
        private Duration warmUpTime = Duration.ofSeconds(2);
        private final List<Consumer<RequestTiming>> listeners = new ArrayList<>();

        Config() {
        }

        /** The cache pages live in (required). */
        public Config larder(Larder larder) {
            this.larder = Objects.requireNonNull(larder, "larder");
            return this;
        }

        /** The region pages are stored in (its TTL and stale window apply); default "page". */
        public Config region(String region) {
            this.region = Key.checkRegion(region);
            return this;
        }

        /**
         * Which requests may get and make cached pages; default: those without any cookie and
         * without {@code Authorization}. Others always run the handler.
         */
        public Config anonymousWhen(Predicate<Context> anonymous) {
            this.anonymous = Objects.requireNonNull(anonymous, "anonymous");
            this.anonymousSet = true;
            return this;
        }

        /**
         * Whether stored pages are answered by a Jetty handler in front of Javalin (before
         * routing, the servlet API and every before-handler), from fields and bodies prepared once
         * per page. It answers only GET and HEAD requests without {@code Cookie},
         * {@code Authorization} and {@code Proxy-Authorization}, for a URL and language the page
         * cache already served on the ordinary path; turning it on with {@link #anonymousWhen}
         * set declares that every such request is anonymous (it cannot run that predicate, which
         * takes Javalin's context). Default: on unless {@code anonymousWhen} is set.
         */
        public Config fastPath(boolean on) {
            this.fastPath = on;
            return this;
        }

        /** The site's languages, the default first; part of every page's key. Default: none. */
        public Config languages(String... languages) {
            for (String language : languages) {
                if (language == null || !language.matches("[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")) {
                    throw new IllegalArgumentException("languages must be language tags such as"
                            + " 'en' or 'de-CH', was '" + language + "'");
                }
            }
            this.languages = List.copyOf(Arrays.asList(languages));
            return this;
        }

        /** Whether responses carry {@code Server-Timing}; default true. */
        public Config serverTiming(boolean on) {
            this.serverTiming = on;
            return this;
        }

        /** At most {@code concurrency} pages warmed at once, at most {@code perSecond} a second. */
        public Config warming(int concurrency, double perSecond) {
            if (concurrency < 1 || concurrency > 64) {
                throw new IllegalArgumentException("warming concurrency must be 1-64, was "
                        + concurrency);
            }
            if (!(perSecond > 0)) {
                throw new IllegalArgumentException("warming perSecond must be positive, was "
                        + perSecond);
            }
            this.warmConcurrency = concurrency;
            this.warmPerSecond = perSecond;
            return this;
        }

        /**
         * Let {@code start()} return before the start-up warming ends; visitors that arrive before
         * a page is warm render it (once per key). Default: {@code start()} waits.
         */
        public Config warmInBackground() {
            this.warmInBackground = true;
            return this;
        }

        /**
         * After start-up warming, the fast path answers the warmed pages {@code requests} times
         * in all (shared among them; in memory, and up to 200 over the server's own plain HTTP
         * connector), the ones in memory for at most {@code atMost} (each page at least once):
         * so that each page's bodies per coding are prepared and the JVM has run and compiled
         * the hit path, a new connection's included, before the first visitor. They are not
         * reported to {@link #onRequest} listeners (the dashboard's timings, metrics), but they
         * are lookups: they count as hits in the region's {@code larder.stats()}. Default 2,000
         * within 2 s; 0 turns it off (each warmed page is still visited once, in memory, so
         * that the fast path knows it).
         */
        public Config warmUpRequests(int requests, Duration atMost) {
            if (requests < 0) {
                throw new IllegalArgumentException("warmUpRequests must be >= 0, was " + requests);
            }
            this.warmUpTime = positive("warmUpRequests' atMost", atMost);
            this.warmUpRequests = requests;
            return this;
        }

        /** How long {@code start()} waits for warming at most; default 2 minutes. */
        public Config warmTimeout(Duration timeout) {
            this.warmTimeout = positive("warmTimeout", timeout);
            return this;
        }

        /** How long one re-render request may take; default 30 seconds. */
        public Config renderTimeout(Duration timeout) {
            this.renderTimeout = positive("renderTimeout", timeout);
            return this;
        }

        /**
         * The {@code Cache-Control} sent with pages served from the page cache, which tells
         * browsers and shared caches in front what they may do with them; default
         * {@code public, max-age=0, must-revalidate} (store, but ask each time: the {@code ETag}
         * makes that a 304). An empty value sends none. A handler's own {@code Cache-Control}
         * is stored with its page and wins.
         */
        public Config cacheControl(String value) {
            Objects.requireNonNull(value, "cacheControl");
            if (value.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
                throw new IllegalArgumentException("cacheControl must be a header value without"
                        + " control characters, was '" + value + "'");
            }
            this.cacheControl = value.strip();
            return this;
        }

        /**
         * Sends the tags each cached page was built from in {@code header} ({@link
         * TagHeader#xkey()} for Varnish, {@link TagHeader#surrogateKey()} for a CDN), so that
         * {@link io.larder.http.HttpPurge} purges it there; default none (tags name the data).
         */
        public Config tagHeader(TagHeader header) {
            this.tagHeader = Objects.requireNonNull(header, "header");
            return this;
        }

        /**
         * Calls {@code listener} after every request (for example {@link LarderMetrics}), on the
         * thread that answered it: keep it quick (count, sample, hand off). For a page the fast
         * path holds, that is the thread that read the request, often Jetty's selector, which
         * other connections wait on meanwhile.
         */
        public Config onRequest(Consumer<RequestTiming> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        PluginSettings settings() {
            if (larder == null) {
                throw new IllegalStateException("LarderPlugin needs a Larder: cfg.larder(larder)");
            }
            return new PluginSettings(larder, region, anonymous, languages, serverTiming,
                    warmConcurrency, warmPerSecond, warmInBackground, warmTimeout, renderTimeout,
                    List.copyOf(listeners), cacheControl,
                    fastPath != null ? fastPath : !anonymousSet, tagHeader, warmUpRequests,
                    warmUpTime);
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }
    }
}
