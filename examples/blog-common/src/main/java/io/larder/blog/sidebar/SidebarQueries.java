package io.larder.blog.sidebar;

/** Reads the right-hand column's aggregates; each call uses its own connection. */
public interface SidebarQueries {
    /** The column for language {@code lang}. */
    Sidebar sidebar(String lang);
}
