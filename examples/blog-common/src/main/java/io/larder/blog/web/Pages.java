package io.larder.blog.web;

import io.larder.Larder;
import io.larder.Trace;
import io.larder.blog.cache.CacheTags;
import io.larder.blog.post.PostDetail;
import io.larder.blog.post.PostPage;
import io.larder.blog.post.PostQueries;
import io.larder.blog.sidebar.Sidebar;
import io.larder.blog.sidebar.SidebarQueries;
import java.time.YearMonth;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds the public pages from the queries (plain, tagged or query-cached, by mode); the data is
 * read when the template asks for it. Each read is timed into the request's {@link Trace} as a
 * {@code "data"} span ({@code posts.home}, {@code sidebar}...): the queries it ran are spans within
 * it, so the advisor charges it only for the ORM's own work around them (session, query
 * translation, building objects, Markdown) instead of the template that asked for the data.
 */
public final class Pages {
    private static final String SITE = "Larder Blog";

    private final PostQueries posts;
    private final SidebarQueries sidebar;
    private final boolean tagLoads;

    /**
     * Pages from {@code posts} and {@code sidebar}; with {@code tagLoads}, every read of a page's
     * data tags the cache load under way (a fragment or a page) with what the data shows.
     */
    public Pages(PostQueries posts, SidebarQueries sidebar, boolean tagLoads) {
        this.posts = posts;
        this.sidebar = sidebar;
        this.tagLoads = tagLoads;
    }

    private LazyPage lazy(String lang, Supplier<String> title, String data, Supplier<?> main,
            Function<Object, String[]> tags) {
        return new LazyPage(title, timed("posts." + data, main), v -> tag(tags.apply(v)),
                timed("sidebar", () -> sidebar.sidebar(lang)),
                v -> tag(CacheTags.ofSidebar(lang, (Sidebar) v)));
    }

    private static <T> Supplier<T> timed(String name, Supplier<T> read) {
        return () -> {
            long start = System.nanoTime();
            T value = read.get();
            Trace.record("data", name, "", System.nanoTime() - start);
            return value;
        };
    }

    private void tag(String[] tags) {
        if (tagLoads) {
            Larder.tagCurrentLoad(tags);
        }
    }

    /** The home list of {@code lang}, page {@code page}. */
    public PublicPage home(String lang, int page) {
        String title = page == 1 ? SITE : Messages.of(lang).text("title.page", page);
        return new PublicPage("home", lang, "", page, "/" + lang + "/", "/" + lang + "/page/",
                lazy(lang, () -> title, "home", () -> posts.home(lang, page),
                        v -> CacheTags.ofHome(lang, (PostPage) v)));
    }

    /** The list of tag {@code slug} in {@code lang}. */
    public PublicPage tag(String lang, String slug, int page) {
        String first = "/" + lang + "/tag/" + slug;
        LazyPage[] self = new LazyPage[1];
        self[0] = lazy(lang, () -> "#" + ((PostPage) self[0].getMain()).heading() + " · " + SITE,
                "byTag", () -> posts.byTag(lang, slug, page),
                v -> CacheTags.ofTag(lang, slug, (PostPage) v));
        return new PublicPage("tag", lang, slug, page, first, first + "/page/", self[0]);
    }

    /** The archive of {@code month} in {@code lang}. */
    public PublicPage month(String lang, YearMonth month, int page) {
        String first = String.format("/%s/archive/%04d/%02d", lang, month.getYear(),
                month.getMonthValue());
        return new PublicPage("month", lang, month.toString(), page, first, first + "/page/",
                lazy(lang, () -> month + " · " + SITE, "byMonth",
                        () -> posts.byMonth(lang, month, page),
                        v -> CacheTags.ofMonth(lang, month, (PostPage) v)));
    }

    /** The post {@code slug} in {@code lang}. */
    public PublicPage post(String lang, String slug) {
        LazyPage[] self = new LazyPage[1];
        self[0] = lazy(lang, () -> ((PostDetail) self[0].getMain()).title() + " · " + SITE,
                "post", () -> posts.post(lang, slug), v -> CacheTags.ofPost(lang, (PostDetail) v));
        return new PublicPage("post", lang, slug, 1, "", "", self[0]);
    }
}
