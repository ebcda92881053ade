package io.larder.blog.web;

import io.javalin.http.Context;
import io.larder.blog.admin.Sessions;
import java.util.HashMap;
import java.util.Map;

/** Puts a page together: header (with the signed-in user, if any), main column, right column. */
public final class Layout {
    private final Views views;
    private final Sessions sessions;

    /** A layout rendering with {@code views}, reading users from {@code sessions}. */
    public Layout(Views views, Sessions sessions) {
        this.views = views;
        this.sessions = sessions;
    }

    /** Renders the page into {@code ctx}; pages for a signed-in user are marked private. */
    public void render(Context ctx, String lang, Fragment main, String sidebar) {
        Map<String, Object> model = new HashMap<>();
        model.put("lang", lang);
        model.put("langs", Langs.ALL);
        model.put("title", main.title());
        model.put("main", main.html());
        model.put("sidebar", sidebar);
        sessions.current(ctx).ifPresent(user -> {
            model.put("user", user);
            ctx.header("Cache-Control", "private, no-store");
        });
        ctx.html(views.render("layout", model));
    }
}
