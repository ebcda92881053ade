package io.larder.springblog;

import io.larder.blog.cache.CacheMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Spring blogs started for a test, each on a free port, on one database. */
final class Blogs implements AutoCloseable {
    static final String PASSWORD = "test-admin-password";

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

    @Override
    public void close() {
        started.forEach(ConfigurableApplicationContext::close);
    }
}
