package io.larder.blog.cache;

/** What the blog caches, chosen at start. Every mode renders the same HTML. */
public enum CacheMode {
    /** Nothing: every request queries and renders. */
    OFF,
    /** Query results (the post lists and the column's aggregates), as records. */
    QUERY,
    /** Rendered fragments (the post list or post, and the column). */
    FRAGMENT,
    /** Whole pages for anonymous visitors (needs larder-javalin). */
    PAGE
}
