package io.larder.blog.web;

import io.larder.blog.post.PostDetail;
import io.larder.blog.post.PostPage;
import io.larder.blog.post.PostQueries;
import io.larder.blog.sidebar.SidebarQueries;
import java.time.YearMonth;
import java.util.Map;

/** {@link Content} that queries (possibly through the query cache) and renders every time. */
public final class RenderedContent implements Content {
    private final PostQueries posts;
    private final SidebarQueries sidebar;
    private final Views views;

    /** Content from {@code posts} and {@code sidebar}, rendered by {@code views}. */
    public RenderedContent(PostQueries posts, SidebarQueries sidebar, Views views) {
        this.posts = posts;
        this.sidebar = sidebar;
        this.views = views;
    }

    @Override
    public Fragment home(String lang, int page) {
        PostPage list = posts.home(lang, page);
        String title = page == 1 ? "Larder Blog" : "Larder Blog · page " + page;
        return list(title, lang, list, "/" + lang + "/", "/" + lang + "/page/");
    }

    @Override
    public Fragment tag(String lang, String slug, int page) {
        PostPage list = posts.byTag(lang, slug, page);
        String first = "/" + lang + "/tag/" + slug;
        return list("#" + list.heading() + " · Larder Blog", lang, list, first, first + "/page/");
    }

    @Override
    public Fragment month(String lang, YearMonth month, int page) {
        PostPage list = posts.byMonth(lang, month, page);
        String first = String.format("/%s/archive/%04d/%02d", lang, month.getYear(),
                month.getMonthValue());
        return list(list.heading() + " · Larder Blog", lang, list, first, first + "/page/");
    }

    @Override
    public Fragment post(String lang, String slug) {
        PostDetail post = posts.post(lang, slug);
        return new Fragment(post.title() + " · Larder Blog",
                views.render("partials/post", Map.of("lang", lang, "post", post)));
    }

    @Override
    public String sidebar(String lang) {
        return views.render("partials/sidebar", Map.of("lang", lang, "side", sidebar.sidebar(lang)));
    }

    private Fragment list(String title, String lang, PostPage list, String first,
            String prefix) {
        return new Fragment(title, views.render("partials/post-list",
                Map.of("lang", lang, "list", list, "first", first, "prefix", prefix)));
    }
}
