package io.larder.blog.web;

import io.javalin.http.Context;
import io.larder.blog.admin.Sessions;
import io.larder.pebble.LarderExtension;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders a public page: header (with the signed-in user, if any), main column, right column.
 * The template's {@code {% cache %}} blocks cache only when fragment caching is on.
 */
public final class Layout {
    private final Views views;
    private final Sessions sessions;
    private final boolean fragments;

    /** A layout rendering with {@code views}, users from {@code sessions}. */
    public Layout(Views views, Sessions sessions, boolean fragments) {
        this.views = views;
        this.sessions = sessions;
        this.fragments = fragments;
    }

    /** Renders {@code page} into {@code ctx}; pages for a signed-in user are marked private. */
    public void render(Context ctx, PublicPage page) {
        Map<String, Object> model = new HashMap<>();
        model.put(LarderExtension.ENABLED_VARIABLE, fragments);
        model.put("p", page);
        model.put("lang", page.lang());
        model.put("langs", Langs.ALL);
        model.put("page", page.data());
        sessions.current(ctx).ifPresent(user -> {
            model.put("user", user);
            ctx.header("Cache-Control", "private, no-store");
        });
        ctx.html(views.render("layout", model));
    }
}
