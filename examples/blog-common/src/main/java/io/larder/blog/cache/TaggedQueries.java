package io.larder.blog.cache;

import io.larder.Larder;
import io.larder.blog.post.PostDetail;
import io.larder.blog.post.PostPage;
import io.larder.blog.post.PostQueries;
import io.larder.blog.sidebar.Sidebar;
import io.larder.blog.sidebar.SidebarQueries;
import java.time.YearMonth;

/**
 * Tags the cache load under way (a query result) with what each result shows, so that the
 * invalidations of {@link EntityTags} reach exactly the entries an edit affects, whether the
 * result was read through Hibernate or plain JDBC.
 */
final class TaggedQueries implements PostQueries, SidebarQueries {
    private final PostQueries posts;
    private final SidebarQueries sidebar;

    TaggedQueries(PostQueries posts, SidebarQueries sidebar) {
        this.posts = posts;
        this.sidebar = sidebar;
    }

    @Override
    public PostPage home(String lang, int page) {
        PostPage result = posts.home(lang, page);
        Larder.tagCurrentLoad(CacheTags.ofHome(lang, result));
        return result;
    }

    @Override
    public PostPage byTag(String lang, String tagSlug, int page) {
        PostPage result = posts.byTag(lang, tagSlug, page);
        Larder.tagCurrentLoad(CacheTags.ofTag(lang, tagSlug, result));
        return result;
    }

    @Override
    public PostPage byMonth(String lang, YearMonth month, int page) {
        PostPage result = posts.byMonth(lang, month, page);
        Larder.tagCurrentLoad(CacheTags.ofMonth(lang, month, result));
        return result;
    }

    @Override
    public PostDetail post(String lang, String slug) {
        PostDetail result = posts.post(lang, slug);
        Larder.tagCurrentLoad(CacheTags.ofPost(lang, result));
        return result;
    }

    @Override
    public Sidebar sidebar(String lang) {
        Sidebar result = sidebar.sidebar(lang);
        Larder.tagCurrentLoad(CacheTags.ofSidebar(lang, result));
        return result;
    }
}
