package io.larder.blog.cache;

import io.larder.Larder;
import io.larder.blog.post.PostQueries;
import io.larder.blog.sidebar.SidebarQueries;
import io.larder.blog.web.Pages;

/** What the blog caches, chosen at start. Every mode renders the same HTML. */
public enum CacheMode {
    /** Nothing: every request queries and renders. */
    OFF,
    /** Query results (the post lists and the column's aggregates), as records. */
    QUERY,
    /** Rendered fragments (the post list or post, and the column). */
    FRAGMENT,
    /** Whole pages for anonymous visitors (larder-javalin's page cache, or larder-servlet's). */
    PAGE;

    /**
     * The public pages in this mode: on plain queries (off), on query-cached ones (query), or
     * on pages whose data reads tag the fragment or page being cached with what they show.
     */
    public Pages pages(Larder larder, PostQueries posts, SidebarQueries sidebar) {
        return switch (this) {
            case OFF -> new Pages(posts, sidebar, false);
            case QUERY -> {
                CachedQueries cached = new CachedQueries(larder, new TaggedQueries(posts, sidebar));
                yield new Pages(cached, cached, false);
            }
            case FRAGMENT, PAGE -> new Pages(posts, sidebar, true);
        };
    }
}
