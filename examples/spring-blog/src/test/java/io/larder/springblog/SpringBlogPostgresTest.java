package io.larder.springblog;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.blog.cache.CacheMode;
import io.larder.testing.Services;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring blog on PostgreSQL (127.0.0.1:5432, db {@code test}, a fresh schema dropped at the
 * end), chosen by URL only: Flyway migrates, the seed fills, the page cache serves mode off's
 * bytes, and an edit is on the next request. Unreachable: fails when CI=true, else skips.
 */
class SpringBlogPostgresTest {
    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=3";
    private static final Pattern POST = Pattern.compile("href=\"(/en/post/[^\"]+)\"");

    @Test
    void onPostgres_pageModeServesModeOffsBytes_andAnEditIsOnTheNextRequest() throws Exception {
        Services.requirePostgres();
        byte[] bytes = new byte[6];
        new Random().nextBytes(bytes);
        String schema = "spring_blog_" + HexFormat.of().formatHex(bytes);
        String url = PG + "&currentSchema=" + schema;
        try (Blogs blogs = new Blogs()) {
            String[] pg = {"--spring.datasource.username=postgres",
                "--spring.flyway.schemas=" + schema, "--spring.flyway.create-schemas=true"};
            ConfigurableApplicationContext off = blogs.start(CacheMode.OFF, url, pg);
            ConfigurableApplicationContext page = blogs.start(CacheMode.PAGE, url, pg);
            Browser plain = Blogs.browser(off);
            Browser cached = Blogs.browser(page);
            String home = plain.html("/en/");
            Matcher post = POST.matcher(home);
            assertThat(post.find()).isTrue();
            for (String path : new String[] {"/en/", "/de/page/2", post.group(1)}) {
                String expected = plain.html(path);
                assertThat(cached.html(path)).as(path).isEqualTo(expected);
                assertThat(cached.html(path)).as(path).isEqualTo(expected);
            }
            String title = "Edited on PostgreSQL " + System.nanoTime();
            Blogs.edit(page, post.group(1), title);
            assertThat(cached.html(post.group(1))).contains(title);
            assertThat(cached.html("/en/")).contains(title);
        } finally {
            try (Connection c = DriverManager.getConnection(PG, "postgres", "");
                 Statement s = c.createStatement()) {
                s.executeUpdate("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
