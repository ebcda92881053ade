package io.larder.springblog;

import io.larder.blog.cache.CacheMode;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The blog's settings under {@code blog.*}: the cache mode and the first start's seed. */
@ConfigurationProperties(prefix = "blog")
public class BlogProperties {
    /** What is cached: off, query, fragment or page (page also sets larder.web.page.enabled). */
    private CacheMode cache = CacheMode.PAGE;
    private final Seed seed = new Seed();

    public CacheMode getCache() {
        return cache;
    }

    public void setCache(CacheMode cache) {
        this.cache = cache;
    }

    public Seed getSeed() {
        return seed;
    }

    /** The data written at the first start (an empty database). */
    public static class Seed {
        /** Posts, each in one to four languages. */
        private int posts = 3000;
        /** Comments over all translations. */
        private int comments = 30_000;
        /** The admin's password; random (printed once) when not set. */
        private String adminPassword;

        public int getPosts() {
            return posts;
        }

        public void setPosts(int posts) {
            this.posts = posts;
        }

        public int getComments() {
            return comments;
        }

        public void setComments(int comments) {
            this.comments = comments;
        }

        public String getAdminPassword() {
            return adminPassword;
        }

        public void setAdminPassword(String adminPassword) {
            this.adminPassword = adminPassword;
        }
    }
}
