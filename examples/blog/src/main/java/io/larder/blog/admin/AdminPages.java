package io.larder.blog.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.larder.blog.author.Author;
import io.larder.blog.comment.CommentModeration;
import io.larder.blog.db.Database;
import io.larder.blog.post.PostEditor;
import io.larder.blog.web.Langs;
import io.larder.blog.web.NotFoundException;
import io.larder.blog.web.Views;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The admin area: login, the list of posts and pending comments, post editing, publishing and
 * comment approval. Every POST must carry the session's CSRF token (the login form: the token of
 * its own cookie); every admin response is private and never cached.
 */
public final class AdminPages {
    private static final String LOGIN_CSRF = "blog_login_csrf";
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");

    private final Database db;
    private final Sessions sessions;
    private final Views views;
    private final PostEditor editor;
    private final CommentModeration moderation;

    /** The admin area over {@code db}. */
    public AdminPages(Database db, Sessions sessions, Views views, PostEditor editor,
            CommentModeration moderation) {
        this.db = db;
        this.sessions = sessions;
        this.views = views;
        this.editor = editor;
        this.moderation = moderation;
    }

    /** Registers the routes (before the public ones, whose first segment is a language). */
    public void routes(RoutesConfig routes) {
        routes.before("/admin*", ctx -> ctx.header("Cache-Control", "private, no-store"));
        routes.get("/admin/login", this::loginForm);
        routes.post("/admin/login", this::login);
        routes.post("/admin/logout", ctx -> {
            requireUser(ctx);
            sessions.logout(ctx);
            ctx.redirect("/en/", HttpStatus.SEE_OTHER);
        });
        routes.get("/admin", ctx -> index(ctx, requireUser(ctx)));
        routes.get("/admin/posts/new", ctx -> render(ctx, "admin/edit", requireUser(ctx),
                Map.of("draft", new PostEditor.Draft(0, "en", "", "", "", "", false),
                        "langs", Langs.ALL, "isNew", true)));
        routes.post("/admin/posts", this::create);
        routes.get("/admin/posts/{id}/{lang}", ctx -> render(ctx, "admin/edit", requireUser(ctx),
                Map.of("draft", editor.draft(id(ctx), Langs.require(ctx.pathParam("lang"))),
                        "langs", Langs.ALL, "isNew", false)));
        // Before "/admin/posts/{id}/{lang}", which would take "published" for a language.
        routes.post("/admin/posts/{id}/published", ctx -> {
            requireUser(ctx);
            long id = id(ctx);
            editor.setPublished(id, bool(ctx, "published"));
            ctx.redirect("/admin", HttpStatus.SEE_OTHER);
        });
        routes.post("/admin/posts/{id}/{lang}", this::save);
        routes.post("/admin/comments/{id}/approve", ctx -> {
            requireUser(ctx);
            moderation.approve(id(ctx));
            ctx.redirect("/admin", HttpStatus.SEE_OTHER);
        });
    }

    private void loginForm(Context ctx) {
        String token = Passwords.token();
        ctx.header("Set-Cookie", LOGIN_CSRF + "=" + token
                + "; Path=/admin/login; HttpOnly; SameSite=Strict");
        ctx.html(views.render("admin/login", Map.of("csrf", token, "error", "")));
    }

    private void login(Context ctx) {
        String cookie = ctx.cookie(LOGIN_CSRF);
        String form = ctx.formParam("csrf");
        if (cookie == null || form == null || !equal(cookie, form)) {
            ctx.status(HttpStatus.FORBIDDEN).result("Forbidden: bad or missing CSRF token");
            return;
        }
        String username = String.valueOf(ctx.formParam("username"));
        String password = String.valueOf(ctx.formParam("password"));
        Author author = db.inTransaction(em -> em.createQuery(
                "select a from Author a where a.username = :u", Author.class)
                .setParameter("u", username).getResultStream().findFirst().orElse(null));
        if (author == null || !Passwords.verify(password.toCharArray(), author.getPasswordHash())) {
            ctx.status(HttpStatus.UNAUTHORIZED);
            ctx.html(views.render("admin/login", Map.of("csrf", cookie,
                    "error", "Wrong user name or password.")));
            return;
        }
        sessions.login(ctx, author.getId(), author.getDisplayName());
        ctx.redirect("/admin", HttpStatus.SEE_OTHER);
    }

    private void index(Context ctx, Sessions.Session user) {
        render(ctx, "admin/index", user, Map.of("posts", editor.latest(30),
                "pending", moderation.pending(30)));
    }

    private void create(Context ctx) {
        Sessions.Session user = requireUser(ctx);
        String lang = Langs.require(ctx.formParam("lang"));
        List<String> tags = ctx.formParams("tags");
        long id;
        try {
            id = editor.create(user.authorId(), lang, field(ctx, "title", 1, 200),
                    field(ctx, "summary", 0, 4000), field(ctx, "body", 0, 100_000), tags);
        } catch (PostEditor.UnknownTag e) {
            throw new BadForm(e.getMessage());
        }
        ctx.redirect("/admin/posts/" + id + "/" + lang, HttpStatus.SEE_OTHER);
    }

    private void save(Context ctx) {
        requireUser(ctx);
        long id = id(ctx);
        String lang = Langs.require(ctx.pathParam("lang"));
        editor.save(id, lang, field(ctx, "title", 1, 200), field(ctx, "summary", 0, 4000),
                field(ctx, "body", 0, 100_000));
        ctx.redirect("/admin/posts/" + id + "/" + lang, HttpStatus.SEE_OTHER);
    }

    /** The signed-in user; redirects anonymous visitors to the login; checks CSRF on POST. */
    private Sessions.Session requireUser(Context ctx) {
        Sessions.Session user = sessions.current(ctx).orElse(null);
        if (user == null) {
            ctx.redirect("/admin/login", HttpStatus.SEE_OTHER);
            throw new Redirected();
        }
        if (ctx.method().name().equals("POST")) {
            String form = ctx.formParam("csrf");
            if (form == null || !equal(form, user.csrf())) {
                throw new Forbidden();
            }
        }
        return user;
    }

    private void render(Context ctx, String template, Sessions.Session user,
            Map<String, Object> values) {
        Map<String, Object> model = new HashMap<>(values);
        model.put("user", user);
        ctx.html(views.render(template, model));
    }

    private static long id(Context ctx) {
        String id = ctx.pathParam("id");
        if (!ID.matcher(id).matches()) {
            throw new NotFoundException("bad id");
        }
        return Long.parseLong(id);
    }

    private static String field(Context ctx, String name, int min, int max) {
        String value = ctx.formParam(name);
        value = value == null ? "" : value.strip();
        if (value.length() < min || value.length() > max) {
            throw new BadForm(name + " must have " + min + " to " + max + " characters");
        }
        return value;
    }

    /** A form's {@code true} or {@code false}; anything else (or nothing) is a bad form. */
    private static boolean bool(Context ctx, String name) {
        String value = ctx.formParam(name);
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean(value);
        }
        throw new BadForm(name + " must be true or false");
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8));
    }

    /** The response is already a redirect: stop handling. */
    public static final class Redirected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Redirected() {
            super(null, null, false, false);
        }
    }

    /** A POST without the session's CSRF token: answered with 403. */
    public static final class Forbidden extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Forbidden() {
            super("bad or missing CSRF token", null, false, false);
        }
    }

    /** A form value out of bounds: answered with 400 and the message. */
    public static final class BadForm extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadForm(String message) {
            super(message, null, false, false);
        }
    }
}
