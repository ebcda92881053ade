package io.larder.servlet;

import io.larder.Key;
import io.larder.Larder;
import io.larder.LoadException;
import io.larder.Loaded;
import io.larder.Lookup;
import io.larder.Options;
import io.larder.Source;
import io.larder.TagCapture;
import io.larder.http.HttpCaching;
import io.larder.http.TagHeader;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
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
 *         .ttl(Duration.ofMinutes(5)).tags("pages").query("page").build();
 * context.addFilter(pages, "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p>It never serves nor stores a page for a request with a session, a cookie (other than
 * those {@link Builder#ignoreCookies ignored}), {@code Authorization} or a user, and never
 * stores a response that is not a 200, sets a cookie, makes a session or says {@code private} or
 * {@code no-store}: those responses go to their own visitor unchanged. A stored page is sent
 * with its strong {@code ETag} (a 304 when {@code If-None-Match} names it), in gzip when the
 * client accepts it (compressed once, when stored, with its own entity tag, {@code Vary:
 * Accept-Encoding}), with {@code Content-Length}, and with the configured {@code Cache-Control}
 * unless the application set its own. A HEAD gets the GET's status and headers.
 *
 * <p>Register it for {@code DispatcherType.REQUEST} only and without async support: a page
 * renders synchronously. Pages are not served stale: an expired page is rendered again by the
 * first visitor who asks (single-flight), since a servlet request cannot be replayed on a
 * background thread.
 */
public final class PageCacheFilter implements Filter {
    /** Request attribute: the outcome ({@code hit}, {@code miss}, {@code joined}, ...). */
    public static final String OUTCOME = "io.larder.page";

    private final Larder larder;
    private final String region;
    private final Options options;
    private final List<String> query;
    private final boolean stripOtherQuery;
    private final List<KeyedHeader> keyed;
    private final PageRules rules;
    private final PageTags tags;
    private final String cacheControl;
    private final int gzipMinBytes;
    private final TagHeader tagHeader;

    PageCacheFilter(Builder b) {
        this.larder = b.larder;
        this.region = b.region;
        this.options = b.options();
        this.query = List.copyOf(b.query);
        this.stripOtherQuery = b.stripOtherQuery;
        this.keyed = List.copyOf(b.keyed);
        this.rules = new PageRules(b.ignoredCookies, b.keyedNames());
        this.tags = b.tagsFrom;
        this.cacheControl = b.cacheControl;
        this.gzipMinBytes = b.gzipMinBytes;
        this.tagHeader = b.tagHeader;
    }

    /** A builder for a filter that keeps pages in {@code larder}. */
    public static Builder builder(Larder larder) {
        return new Builder(larder);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request)
                || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        Map<String, String[]> params = null;
        String bypass = rules.bypass(request);
        if (bypass == null) {
            params = RenderRequest.allowlisted(request, query);
            if (params.size() < request.getParameterMap().size() && !stripOtherQuery) {
                bypass = "a query parameter outside the allowlist";
            }
        }
        if (bypass != null) {
            request.setAttribute(OUTCOME, "bypass");
            chain.doFilter(request, response);
            return;
        }
        RenderRequest render = new RenderRequest(request, stripOtherQuery ? params : null);
        Key key = key(request, params);
        CapturingResponse[] refused = {null};
        Source<CachedResponse> source = new Source<>() {
            @Override
            public Loaded<CachedResponse> load() throws Exception {
                CapturingResponse captured = new CapturingResponse(response, charset(request));
                try (TagCapture capture = TagCapture.begin()) {
                    chain.doFilter(render, captured);
                    if (rules.refusal(request, response, captured) != null) {
                        refused[0] = captured;
                        return Loaded.uncached(null);
                    }
                    if (tags != null) {
                        Collection<String> named = tags.tagsFor(request);
                        if (named != null && !named.isEmpty()) {
                            Larder.tagCurrentLoad(named.toArray(String[]::new));
                        }
                    }
                    return Loaded.of(PageRules.page(captured, gzipMinBytes, tagHeader == null
                            ? null : Map.entry(tagHeader.name(), tagHeader.value(larder.region(
                                    region), options.tags(), capture.named(),
                                    capture.read().keySet()))));
                }
            }

            @Override
            public Loaded<CachedResponse> refresh() {
                return Loaded.uncached(null); // no request to render with; never stale anyway
            }
        };
        Lookup<CachedResponse> found;
        try {
            found = larder.lookup(key, CachedResponse.class, options, source);
        } catch (LoadException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw cause instanceof ServletException s ? s : new ServletException(cause);
        }
        if (found.value() == null) {
            request.setAttribute(OUTCOME, "uncacheable");
            if (refused[0] != null) {
                refused[0].replay();
            }
            return;
        }
        request.setAttribute(OUTCOME, found.outcome().traceName());
        serve(request, response, found.value());
    }

    /** The page's key: path, keyed request headers, then allowlisted parameters. */
    private Key key(HttpServletRequest request, Map<String, String[]> params) {
        List<Object> parts = new ArrayList<>(1 + keyed.size() + params.size());
        parts.add(HttpCaching.canonicalPath(request.getRequestURI()));
        for (KeyedHeader header : keyed) {
            parts.add(header.value(request));
        }
        params.forEach((name, values) -> {
            for (String value : values) {
                parts.add(name + '=' + value);
            }
        });
        return Key.of(region, parts.toArray());
    }

    /** Sends {@code page} as the representation the request selects, or a 304. */
    private void serve(HttpServletRequest request, HttpServletResponse response,
            CachedResponse page) throws IOException {
        response.setStatus(200);
        if (page.contentType() != null) {
            response.setContentType(page.contentType());
        }
        page.headers().forEach(response::setHeader);
        if (!cacheControl.isEmpty() && !page.headers().keySet().stream()
                .anyMatch("Cache-Control"::equalsIgnoreCase)) {
            response.setHeader("Cache-Control", cacheControl);
        }
        String vary = response.getHeader("Vary");
        for (KeyedHeader header : keyed) {
            vary = HttpCaching.vary(vary, header.name());
        }
        if (PageRules.compressible(page.contentType())) {
            vary = HttpCaching.vary(vary, "Accept-Encoding");
        }
        if (vary != null) {
            response.setHeader("Vary", vary);
        }
        boolean gzip = page.gzip() != null
                && HttpCaching.weight(request.getHeader("Accept-Encoding"), "gzip") > 0;
        String etag = gzip ? HttpCaching.tagged(page.etag(), "gzip") : page.etag();
        response.setHeader("ETag", etag);
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null && HttpCaching.matches(ifNoneMatch, etag)) {
            response.setStatus(304);
            return;
        }
        byte[] body = gzip ? page.gzip() : page.body();
        if (gzip) {
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }

    /** The charset a render's writer uses when the application names none (the spec's). */
    private static String charset(HttpServletRequest request) {
        String configured = request.getServletContext().getResponseCharacterEncoding();
        return configured != null ? configured : StandardCharsets.ISO_8859_1.name();
    }

    /** A request header that is part of every page's key, as its normaliser makes it. */
    private record KeyedHeader(String name, UnaryOperator<String> normalise) {
        String value(HttpServletRequest request) {
            return normalise.apply(request.getHeader(name));
        }
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
        private TagHeader tagHeader;

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
            if (header == null || !header.matches("[A-Za-z0-9-]{1,64}")
                    || header.equalsIgnoreCase("Cookie")
                    || header.equalsIgnoreCase("Authorization")) {
                throw new IllegalArgumentException("vary takes a header name other than Cookie"
                        + " and Authorization, was '" + header + "'");
            }
            keyed.add(new KeyedHeader(header, Objects.requireNonNull(normalise, "normalise")));
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

        /** The smallest body stored with a gzip form; default 1500 bytes. */
        public Builder gzipMinBytes(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("gzipMinBytes must not be negative, was "
                        + bytes);
            }
            this.gzipMinBytes = bytes;
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
            // Never stale: a stale page would need a background render (see the class doc).
            Options o = Options.tags(tags.toArray(String[]::new)).staleFor(Duration.ZERO);
            return ttl == null ? o : o.ttl(ttl);
        }

        private Set<String> keyedNames() {
            Set<String> names = new HashSet<>();
            keyed.forEach(k -> names.add(k.name().toLowerCase(Locale.ROOT)));
            return names;
        }
    }
}
