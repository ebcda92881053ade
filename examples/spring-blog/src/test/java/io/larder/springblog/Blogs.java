package io.larder.springblog;

import io.larder.blog.cache.CacheMode;
import io.larder.blog.post.PostQueries;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Spring blogs started for a test, each on a free port, on one database. */
final class Blogs implements AutoCloseable {
    static final String PASSWORD = "test-admin-password";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final List<ConfigurableApplicationContext> started = new ArrayList<>();

    /** A blog in {@code mode} on {@code url}, seeded small if the database is empty. */
    ConfigurableApplicationContext start(CacheMode mode, String url, String... more) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--blog.cache=" + mode.name().toLowerCase(Locale.ROOT),
                "--spring.datasource.url=" + url, "--blog.seed.posts=60",
                "--blog.seed.comments=300", "--blog.seed.admin-password=" + PASSWORD,
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(more));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SpringBlog.class)
                .run(args.toArray(String[]::new));
        started.add(context);
        return context;
    }

    /** A browser on {@code context}'s server. */
    static Browser browser(ConfigurableApplicationContext context) {
        return new Browser("http://127.0.0.1:"
                + context.getEnvironment().getProperty("local.server.port"));
    }

    /**
     * Signs in to {@code app} as the admin and saves the post at {@code postPath}
     * ({@code /en/post/<slug>}) with {@code title} and a body with {@code <em>body</em>}.
     */
    static void edit(ConfigurableApplicationContext app, String postPath, String title) {
        String lang = postPath.substring(1, 3);
        long id = app.getBean(PostQueries.class)
                .post(lang, postPath.substring("/xx/post/".length())).id();
        Browser admin = browser(app).signIn(PASSWORD);
        String form = admin.html("/admin/posts/" + id + "/" + lang);
        Matcher csrf = CSRF.matcher(form);
        if (!csrf.find()) {
            throw new AssertionError("no CSRF token in the edit form: " + form);
        }
        HttpResponse<String> saved = admin.post("/admin/posts/" + id + "/" + lang, Map.of(
                "csrf", csrf.group(1), "title", title, "summary", "A new summary.",
                "body", "New *body*."));
        if (saved.statusCode() != 302) {
            throw new AssertionError("save gave " + saved.statusCode() + ": " + saved.body());
        }
    }

    @Override
    public void close() {
        started.forEach(ConfigurableApplicationContext::close);
    }
}
