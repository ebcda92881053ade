package io.larder.blog.cache;

import io.larder.Key;
import io.larder.Larder;
import io.larder.TypeRef;
import io.larder.blog.post.PostDetail;
import io.larder.blog.post.PostPage;
import io.larder.blog.post.PostQueries;
import io.larder.blog.sidebar.Sidebar;
import io.larder.blog.sidebar.SidebarQueries;
import java.time.YearMonth;

/**
 * The query-result cache: each page's post list, post and column are cached as records, keyed by
 * the validated request parts only. Loaders run the underlying queries, which open their own
 * connection, so a background refresh never touches a request's.
 */
final class CachedQueries implements PostQueries, SidebarQueries {
    private static final TypeRef<PostPage> PAGE = TypeRef.of(PostPage.class);

    private final Larder larder;
    private final TaggedQueries queries;

    CachedQueries(Larder larder, TaggedQueries queries) {
        this.larder = larder;
        this.queries = queries;
    }

    @Override
    public PostPage home(String lang, int page) {
        return larder.get(Key.of("home-posts", lang, page), PAGE, () -> queries.home(lang, page));
    }

    @Override
    public PostPage byTag(String lang, String tagSlug, int page) {
        return larder.get(Key.of("tag-posts", lang, tagSlug, page), PAGE,
                () -> queries.byTag(lang, tagSlug, page));
    }

    @Override
    public PostPage byMonth(String lang, YearMonth month, int page) {
        return larder.get(Key.of("month-posts", lang, month, page), PAGE,
                () -> queries.byMonth(lang, month, page));
    }

    @Override
    public PostDetail post(String lang, String slug) {
        return larder.get(Key.of("post", lang, slug), PostDetail.class,
                () -> queries.post(lang, slug));
    }

    @Override
    public Sidebar sidebar(String lang) {
        return larder.get(Key.of("sidebar", lang), Sidebar.class, () -> queries.sidebar(lang));
    }
}
