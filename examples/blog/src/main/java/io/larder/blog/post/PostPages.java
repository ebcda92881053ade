package io.larder.blog.post;

import io.javalin.http.Context;
import io.larder.blog.web.Pages;
import io.larder.blog.web.Langs;
import io.larder.blog.web.Layout;
import io.larder.blog.web.Params;
import io.larder.blog.web.Routes;

/** The public post pages: home list per language, post, archive by month. */
public final class PostPages {
    private final Pages pages;
    private final Layout layout;

    /** Pages from {@code pages}, laid out by {@code layout}. */
    public PostPages(Pages pages, Layout layout) {
        this.pages = pages;
        this.layout = layout;
    }

    /** Registers the routes. */
    public void routes(Routes routes) {
        // The home of the language the visitor's browser prefers; the answer varies with it.
        routes.plain().get("/", ctx -> ctx.header("Vary", "Accept-Language")
                .redirect("/" + Langs.preferred(ctx.header("Accept-Language")) + "/"));
        routes.page("/{lang}", this::home);
        routes.page("/{lang}/page/{n}", this::home);
        routes.page("/{lang}/post/{slug}", this::post);
        routes.page("/{lang}/archive/{year}/{month}", this::month);
        routes.page("/{lang}/archive/{year}/{month}/page/{n}", this::month);
    }

    private void home(Context ctx) {
        String lang = Params.lang(ctx);
        int page = Params.page(ctx);
        layout.render(ctx, pages.home(lang, page));
    }

    private void post(Context ctx) {
        String lang = Params.lang(ctx);
        String slug = Params.slug(ctx, "slug");
        layout.render(ctx, pages.post(lang, slug));
    }

    private void month(Context ctx) {
        String lang = Params.lang(ctx);
        var month = Params.month(ctx);
        int page = Params.page(ctx);
        layout.render(ctx, pages.month(lang, month, page));
    }
}
