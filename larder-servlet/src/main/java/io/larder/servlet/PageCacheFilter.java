package io.larder.servlet;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.http.HttpCaching;
import io.larder.http.TagHeader;
import io.larder.http.WarmQueue;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A whole-page cache in front of any servlet: an anonymous {@code GET} or {@code HEAD} is
 * answered from a {@link Larder}; on a miss the rest of the chain renders the page once for the
 * key (on the requesting thread, others asking for the same key wait for it), and a plain
 * {@code 200} is stored with the tags of every cached value read while it rendered, so
 * invalidating a query's tag invalidates the pages built from it.
 *
 * <pre>{@code
 * PageCacheFilter pages = PageCacheFilter.builder(larder)
 *         .ttl(Duration.ofMinutes(5)).staleFor(Duration.ofHours(1))
 *         .tags("pages").query("page").warm(() -> List.of("/", "/?page=2")).build();
 * context.addFilter(pages, "/*", EnumSet.of(DispatcherType.REQUEST));
 * server.start();
 * pages.start(URI.create("http://127.0.0.1:" + port)); // stale pages and warming from now on
 * }</pre>
 *
 * <p>It never serves nor stores a page for a request with a session, a cookie (other than
 * those {@link Builder#ignoreCookies ignored}), {@code Authorization} or a user, and never
 * stores a response that is not a 200, sets a cookie, makes a session or says {@code private} or
 * {@code no-store}: those responses go to their own visitor unchanged. A stored page is sent
 * with its strong {@code ETag} (a 304 when {@code If-None-Match} names it), in Brotli or gzip
 * when the client accepts it (the one it weighs highest, Brotli on a tie; each compressed once,
 * when stored, with its own entity tag, {@code Vary: Accept-Encoding}; Brotli when brotli4j is on
 * the class path, see {@link Builder#brotli}), with {@code Content-Length}, and with the
 * configured {@code Cache-Control} unless the application set its own. A HEAD gets the GET's
 * status and headers.
 *
 * <p>Once {@link #start(URI) started} with the server's own origin, pages can be rendered
 * without a visitor: an expired page inside its stale window is served at once while one
 * background render refreshes it, and the pages named by {@link Builder#warm} are rendered at
 * start and again right after an invalidation touches them. Such a render is a request to that
 * origin carrying only the page's key (path, allowlisted query, keyed headers) and a secret made
 * per process; this filter answers it through the rest of the chain under the same rules, so a
 * refused response is never stored (the stale page stays, the failure is counted in the region's
 * {@code loadFailures} and logged). Before {@code start}, pages are never served stale.
 *
 * <p>Register it for {@code DispatcherType.REQUEST} only and without async support: a page
 * renders synchronously.
 */
public final class PageCacheFilter implements Filter {
    /** Request attribute: the outcome ({@code hit}, {@code miss}, {@code joined}, ...). */
    public static final String OUTCOME = "io.larder.page";

    private final PageLoads loads;
    private final PageVisits visits;
    private final Warmer warmer;
    private volatile String contextPath = "";

    PageCacheFilter(Builder b) {
        List<String> query = List.copyOf(b.query);
        List<KeyedHeader> keyed = List.copyOf(b.keyed);
        PageRules rules = new PageRules(b.ignoredCookies, KeyedHeader.names(keyed));
        this.loads = new PageLoads(b.larder, b.region, b.options(), keyed, query, rules,
                b.tagsFrom, Compression.of(b.gzipMinBytes, b.brotli, b.brotliQuality), b.tagHeader,
                b.renderTimeout);
        this.visits = new PageVisits(query, b.stripOtherQuery, keyed, rules, b.cacheControl, loads);
        this.warmer = new Warmer(loads, b.warm, Warmer.variants(keyed, b.warmHeaders), 2);
        loads.warmer(warmer);
        b.larder.onInvalidation(warmer.queue()::onInvalidation);
    }

    /** A builder for a filter that keeps pages in {@code larder}. */
    public static Builder builder(Larder larder) {
        return new Builder(larder);
    }

    /** Takes the context path that URLs to warm are under. */
    @Override
    public void init(FilterConfig config) {
        contextPath = config.getServletContext().getContextPath();
    }

    /**
     * Starts rendering without visitors: from now on pages are served stale within their stale
     * window while one background render refreshes them, and the pages to warm are rendered
     * (in the background; see {@link #awaitWarm}). Render requests go to {@code origin}, this
     * server as it can reach itself, such as {@code http://127.0.0.1:8080} (no path: the pages'
     * paths include the context path). Call it once the server accepts requests.
     */
    public void start(URI origin) {
        Renderer.checkOrigin(origin);
        if (loads.renderer.started()) {
            throw new IllegalStateException("the page cache was already started");
        }
        loads.renderer.origin(origin);
        warmer.start(contextPath);
    }

    /** Waits until no page is queued or being warmed; false if {@code timeout} passed first. */
    public boolean awaitWarm(Duration timeout) throws InterruptedException {
        return warmer.queue().awaitIdle(timeout);
    }

    /** The warming's counts now: pages, times warmed, failures (each also logged), waiting. */
    public WarmQueue.Stats warming() {
        return warmer.queue().stats();
    }

    /** Stops warming. */
    @Override
    public void destroy() {
        warmer.queue().stop();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request)
                || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        if (loads.renderer.isRenderRequest(request)) {
            loads.answer(request, response, chain);
            return;
        }
        visits.serve(request, response, chain);
    }

    /** Names the tags of a page after it rendered (see {@link Builder#tagsFrom}). */
    @FunctionalInterface
    public interface PageTags {
        /** The tags of the page that {@code request} rendered. */
        Collection<String> tagsFor(HttpServletRequest request);
    }

    /**
     * Builds a {@link PageCacheFilter}; only the {@link Larder} is required. Every setting is
     * checked when it is set, so a bad configuration fails at start-up.
     */
    public static final class Builder {
        private final Larder larder;
        private String region = "page";
        private Duration ttl;
        private final Set<String> tags = new TreeSet<>();
        private PageTags tagsFrom;
        private final Set<String> query = new TreeSet<>();
        private boolean stripOtherQuery = true;
        private final List<KeyedHeader> keyed = new ArrayList<>();
        private final Set<String> ignoredCookies = new TreeSet<>();
        private String cacheControl = "public, max-age=0, must-revalidate";
        private int gzipMinBytes = 1500;
        private boolean brotli = true;
        private int brotliQuality = 11;
        private TagHeader tagHeader;
        private Duration staleFor;
        private final List<Supplier<? extends Collection<String>>> warm = new ArrayList<>();
        private final Map<String, List<String>> warmHeaders = new LinkedHashMap<>();
        private Duration renderTimeout = Duration.ofSeconds(30);

        private Builder(Larder larder) {
            this.larder = Objects.requireNonNull(larder, "larder");
        }

        /** The region pages are stored in (its TTL applies); default {@code "page"}. */
        public Builder region(String region) {
            this.region = Key.checkRegion(region);
            return this;
        }

        /** How long a page is fresh; default: the region's TTL. */
        public Builder ttl(Duration ttl) {
            Options.ttlOf(ttl); // checks it now
            this.ttl = ttl;
            return this;
        }

        /**
         * How long past its TTL a page is still served, at once, while one background render
         * refreshes it (once the filter is {@link PageCacheFilter#start started}); default: the
         * region's stale window.
         */
        public Builder staleFor(Duration staleFor) {
            Objects.requireNonNull(staleFor, "staleFor");
            if (staleFor.isNegative()) {
                throw new IllegalArgumentException("staleFor must not be negative, was "
                        + staleFor);
            }
            this.staleFor = staleFor;
            return this;
        }

        /**
         * Pages to render when the filter {@link PageCacheFilter#start starts} and again right
         * after an invalidation touches them: URLs within the application (path and query as a
         * visitor asks, such as {@code "/en/"} or {@code "/posts?page=2"}; parameters outside
         * {@link #query} are dropped), asked for when the filter starts.
         */
        public Builder warm(Supplier<? extends Collection<String>> urls) {
            warm.add(Objects.requireNonNull(urls, "urls"));
            return this;
        }

        /** As {@link #warm(Supplier)}, for fixed URLs, checked now. */
        public Builder warm(String... urls) {
            List<String> list = List.of(urls);
            list.forEach(HttpCaching::checkPageUrl);
            return warm(() -> list);
        }

        /**
         * Warms every URL once per value of {@code header}, a {@link #vary} header (for example
         * {@code warmVary("Accept-Language", "en", "de")}); with several such headers, once per
         * combination. Without it a URL is warmed without the header.
         */
        public Builder warmVary(String header, String... values) {
            if (!KeyedHeader.names(keyed).contains(header.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("warmVary takes a header set by vary(...)"
                        + " first, was '" + header + "'");
            }
            if (values.length == 0) {
                throw new IllegalArgumentException("warmVary needs at least one value");
            }
            warmHeaders.put(header.toLowerCase(Locale.ROOT), List.of(values));
            return this;
        }

        /** How long a background render may take before it counts as failed; default 30 s. */
        public Builder renderTimeout(Duration timeout) {
            Options.ttlOf(timeout); // positive
            this.renderTimeout = timeout;
            return this;
        }

        /** Tags every page carries (besides those of the cached values read to render it). */
        public Builder tags(String... tags) {
            Options.tags(tags); // checks each now
            this.tags.addAll(Arrays.asList(tags));
            return this;
        }

        /**
         * Tags a page carries depending on its request, named after it rendered (for example
         * {@code "post:" + id} from the path). The application may also name tags while it
         * renders with {@link Larder#tagCurrentLoad}.
         */
        public Builder tagsFrom(PageTags tagsFrom) {
            if (this.tagsFrom != null) {
                throw new IllegalStateException("tagsFrom was already set");
            }
            this.tagsFrom = Objects.requireNonNull(tagsFrom, "tagsFrom");
            return this;
        }

        /** Query parameters that select content: part of the key, seen by the render. */
        public Builder query(String... names) {
            for (String name : names) {
                if (name == null || name.isEmpty()) {
                    throw new IllegalArgumentException("query parameter names must not be empty");
                }
                query.add(name);
            }
            return this;
        }

        /**
         * What a request with other query parameters gets: by default ({@code true}) the page
         * of its allowlisted ones, rendered without the others (tracking and junk parameters
         * make no new entries); with {@code false} it bypasses the cache.
         */
        public Builder stripOtherQuery(boolean strip) {
            this.stripOtherQuery = strip;
            return this;
        }

        /**
         * A request header whose value selects content ({@code Accept-Language}): part of every
         * page's key and of every page's {@code Vary}.
         */
        public Builder vary(String header) {
            return vary(header, UnaryOperator.identity());
        }

        /**
         * As {@link #vary(String)}, keyed by what {@code normalise} makes of the header's value
         * (or of {@code null} when it is absent), so that equivalent values share one page: for
         * example the supported language {@code Accept-Language} negotiates to.
         */
        public Builder vary(String header, UnaryOperator<String> normalise) {
            keyed.add(new KeyedHeader(header, normalise));
            return this;
        }

        /**
         * Cookies that do not make a request personal (consent, analytics): a request whose
         * cookies are all among them is answered from the cache, and its render sees no cookie.
         */
        public Builder ignoreCookies(String... names) {
            ignoredCookies.addAll(Arrays.asList(names));
            return this;
        }

        /**
         * The {@code Cache-Control} of served pages that do not set their own; default
         * {@code "public, max-age=0, must-revalidate"} (HTTP caches may keep a page but ask
         * again each time, with {@code If-None-Match}); empty for none.
         */
        public Builder cacheControl(String value) {
            Objects.requireNonNull(value, "cacheControl");
            if (value.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
                throw new IllegalArgumentException("cacheControl must be a header value without"
                        + " control characters, was '" + value + "'");
            }
            this.cacheControl = value.strip();
            return this;
        }

        /** The smallest body stored with compressed forms (gzip, Brotli); default 1500 bytes. */
        public Builder gzipMinBytes(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("gzipMinBytes must not be negative, was "
                        + bytes);
            }
            this.gzipMinBytes = bytes;
            return this;
        }

        /**
         * Whether pages are stored in Brotli too; default {@code true}, which takes effect when
         * brotli4j ({@code com.aayushatharva.brotli4j:brotli4j}, an optional dependency) is on the
         * class path and its native library loads; otherwise pages are stored in gzip only, as
         * the log says once at INFO.
         */
        public Builder brotli(boolean brotli) {
            this.brotli = brotli;
            return this;
        }

        /**
         * The Brotli quality, 0 (fastest) to 11 (smallest); default 11: a page is compressed once,
         * when it is stored, then sent many times. Lower it where the first render of a page must
         * be as fast as it can be.
         */
        public Builder brotliQuality(int quality) {
            if (quality < 0 || quality > 11) {
                throw new IllegalArgumentException("brotliQuality must be 0 to 11, was "
                        + quality);
            }
            this.brotliQuality = quality;
            return this;
        }

        /**
         * Sends the tags each page was built from in {@code header} ({@link TagHeader#xkey()},
         * {@link TagHeader#surrogateKey()}) for {@link io.larder.http.HttpPurge}; default none.
         */
        public Builder tagHeader(TagHeader header) {
            this.tagHeader = Objects.requireNonNull(header, "header");
            return this;
        }

        /** The filter. */
        public PageCacheFilter build() {
            return new PageCacheFilter(this);
        }

        private Options options() {
            Options o = Options.tags(tags.toArray(String[]::new));
            o = staleFor == null ? o : o.staleFor(staleFor);
            return ttl == null ? o : o.ttl(ttl);
        }
    }
}
