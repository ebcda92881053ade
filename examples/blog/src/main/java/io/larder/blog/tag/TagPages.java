package io.larder.blog.tag;

import io.javalin.http.Context;
import io.larder.blog.web.Pages;
import io.larder.blog.web.Layout;
import io.larder.blog.web.Params;
import io.larder.blog.web.Routes;

/** The public tag pages: the posts of one tag in one language. */
public final class TagPages {
    private final Pages pages;
    private final Layout layout;

    /** Pages from {@code pages}, laid out by {@code layout}. */
    public TagPages(Pages pages, Layout layout) {
        this.pages = pages;
        this.layout = layout;
    }

    /** Registers the routes. */
    public void routes(Routes routes) {
        routes.page("/{lang}/tag/{slug}", this::tag);
        routes.page("/{lang}/tag/{slug}/page/{n}", this::tag);
    }

    private void tag(Context ctx) {
        String lang = Params.lang(ctx);
        String slug = Params.slug(ctx, "slug");
        int page = Params.page(ctx);
        layout.render(ctx, pages.tag(lang, slug, page));
    }
}
