package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One post as visitors see it (its page, the home page, one of its tag pages) and as the admin
 * edits it: the reliability tests edit its English title and count the pages that still show
 * the old one.
 */
final class BlogEdits {
    private static final Pattern POST = Pattern.compile("href=\"/en/post/([a-z0-9-]+)\"");
    private static final Pattern TAG = Pattern.compile("href=\"(/en/tag/[a-z0-9-]+)\"");

    final long id;
    final List<String> pages;

    private BlogEdits(long id, List<String> pages) {
        this.id = id;
        this.pages = pages;
    }

    /** The first post listed on {@code server}'s English home page. */
    static BlogEdits firstPost(BlogServer server) {
        Http visitor = new Http(server.url());
        String home = visitor.html("/en/");
        Matcher post = POST.matcher(home);
        assertThat(post.find()).as("a post on the home page").isTrue();
        String slug = post.group(1);
        String page = visitor.html("/en/post/" + slug);
        Matcher tag = TAG.matcher(page);
        assertThat(tag.find()).as("a tag on %s", slug).isTrue();
        long id = Long.parseLong(slug.substring(slug.lastIndexOf('-') + 1));
        return new BlogEdits(id, List.of("/en/", "/en/post/" + slug, tag.group(1)));
    }

    /** Reads every page twice on {@code server}, so that each is cached there. */
    void readAll(BlogServer server) {
        Http visitor = new Http(server.url());
        for (String page : pages) {
            visitor.html(page);
            visitor.html(page);
        }
    }

    /** Edits the English title through {@code server}'s admin; the new title. */
    String edit(BlogServer server, String title) {
        Http admin = new Http(server.url());
        String csrf = admin.login();
        assertThat(admin.post("/admin/posts/" + id + "/en", Map.of("csrf", csrf, "title", title,
                "summary", "Edited *summary*", "body", "Edited body")).statusCode())
                .as("the admin's save").isEqualTo(303);
        return title;
    }

    /** The pages of {@code server} that do not show {@code title}. */
    List<String> stale(BlogServer server, String title) {
        Http visitor = new Http(server.url());
        List<String> stale = new ArrayList<>();
        for (String page : pages) {
            if (!visitor.html(page).contains(title)) {
                stale.add(page);
            }
        }
        return stale;
    }
}
