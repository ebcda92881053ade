package io.larder.javalin;

import io.javalin.http.Context;
import io.larder.Options;
import io.larder.http.HttpCaching;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How one route's pages are cached: TTL, stale window, tags, the query parameters that select
 * content, and the URLs to warm. Immutable; each method returns a copy.
 *
 * <pre>{@code
 * Page.ttl(Duration.ofMinutes(5)).staleFor(Duration.ofHours(1))
 *     .tags("posts").query("page")
 *     .tagsFrom(ctx -> List.of("post:" + ctx.pathParam("id")))
 *     .warm(() -> List.of("/", "/?page=2"))
 * }</pre>
 *
 * <p>A page's content must depend only on its path, its allowlisted query parameters and the
 * negotiated language: other parameters (tracking, junk) never create entries and are not seen
 * when the page is re-rendered.
 */
public final class Page {
    private final Duration ttl;
    private final Duration staleFor;
    private final Set<String> tags;
    private final List<String> query;
    private final Function<Context, Collection<String>> tagsFrom;
    private final List<Supplier<? extends Collection<String>>> warm;
    private final Options options;

    private Page(Duration ttl, Duration staleFor, Set<String> tags, List<String> query,
            Function<Context, Collection<String>> tagsFrom,
            List<Supplier<? extends Collection<String>>> warm) {
        this.ttl = ttl;
        this.staleFor = staleFor;
        this.tags = tags;
        this.query = query;
        this.tagsFrom = tagsFrom;
        this.warm = warm;
        Options o = Options.tags(tags.toArray(String[]::new));
        if (ttl != null) {
            o = o.ttl(ttl);
        }
        if (staleFor != null) {
            o = o.staleFor(staleFor);
        }
        this.options = o;
    }

    /** Pages fresh for {@code ttl}, with the region's stale window unless one is set. */
    public static Page ttl(Duration ttl) {
        return new Page(positive("ttl", ttl), null, Set.of(), List.of(), null, List.of());
    }

    /** Pages with the page region's TTL and stale window. */
    public static Page regionDefaults() {
        return new Page(null, null, Set.of(), List.of(), null, List.of());
    }

    /** A copy whose pages are served stale for {@code staleFor} past their TTL while refreshing. */
    public Page staleFor(Duration staleFor) {
        Objects.requireNonNull(staleFor, "staleFor");
        if (staleFor.isNegative()) {
            throw new IllegalArgumentException("staleFor must not be negative, was " + staleFor);
        }
        return new Page(ttl, staleFor, tags, query, tagsFrom, warm);
    }

    /** A copy whose pages carry these tags too. */
    public Page tags(String... more) {
        Set<String> all = new TreeSet<>(tags);
        all.addAll(Arrays.asList(more));
        Options.tags(all.toArray(String[]::new)); // validates each tag now, not on a request
        return new Page(ttl, staleFor, Set.copyOf(all), query, tagsFrom, warm);
    }

    /**
     * A copy whose pages also carry the tags {@code tagsFrom} returns for the request, called
     * after the handler ran (for example {@code "post:" + ctx.pathParam("id")}).
     */
    public Page tagsFrom(Function<Context, Collection<String>> tagsFrom) {
        if (this.tagsFrom != null) {
            throw new IllegalStateException("tagsFrom was already set");
        }
        return new Page(ttl, staleFor, tags, query, Objects.requireNonNull(tagsFrom, "tagsFrom"),
                warm);
    }

    /** A copy where these query parameters select content (part of the key); others are ignored. */
    public Page query(String... names) {
        Set<String> all = new TreeSet<>(query);
        for (String name : names) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("query parameter names must not be empty");
            }
            all.add(name);
        }
        return new Page(ttl, staleFor, tags, List.copyOf(all), tagsFrom, warm);
    }

    /**
     * A copy that warms these URLs (path and query, as a visitor requests them) at start-up and
     * after an invalidation touches them, in every configured language.
     */
    public Page warm(String... urls) {
        List<String> list = List.of(urls);
        list.forEach(HttpCaching::checkPageUrl);
        return warm(() -> list);
    }

    /**
     * A copy that warms the URLs {@code urls} returns; it is asked at start-up, so the list may
     * come from the database (every post, every tag).
     */
    public Page warm(Supplier<? extends Collection<String>> urls) {
        List<Supplier<? extends Collection<String>>> all = new ArrayList<>(warm);
        all.add(Objects.requireNonNull(urls, "urls"));
        return new Page(ttl, staleFor, tags, query, tagsFrom, List.copyOf(all));
    }

    /** The allowlisted query parameters, sorted. */
    List<String> queryAllowlist() {
        return query;
    }

    Set<String> tags() {
        return tags;
    }

    Collection<String> tagsFor(Context ctx) {
        return tagsFrom == null ? List.of() : tagsFrom.apply(ctx);
    }

    List<Supplier<? extends Collection<String>>> warmSources() {
        return warm;
    }

    Options options() {
        return options;
    }

    private static Duration positive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
        return d;
    }
}
