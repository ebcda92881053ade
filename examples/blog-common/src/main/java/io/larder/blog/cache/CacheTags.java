package io.larder.blog.cache;

import io.larder.blog.comment.RecentComment;
import io.larder.blog.post.PostDetail;
import io.larder.blog.post.PostLink;
import io.larder.blog.post.PostPage;
import io.larder.blog.post.PostSummary;
import io.larder.blog.sidebar.Sidebar;
import io.larder.blog.tag.TagRef;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The names of the tags cached entries carry, in one place: what an entry shows decides its
 * tags, and {@link EntityTags} maps committed entity changes to the same names.
 */
public final class CacheTags {
    private CacheTags() {
    }

    /** Everything showing post {@code id}'s translation in {@code lang} (title, counts). */
    public static String post(long id, String lang) {
        return "post:" + id + ":" + lang;
    }

    /** Which posts the home list of {@code lang} holds. */
    public static String homeList(String lang) {
        return "list:home:" + lang;
    }

    /** Which posts the list of tag {@code slug} holds in {@code lang} (and related posts). */
    public static String tagList(String slug, String lang) {
        return "list:tag:" + slug + ":" + lang;
    }

    /** Which posts the archive of {@code month} holds in {@code lang}. */
    public static String monthList(YearMonth month, String lang) {
        return "list:month:" + month + ":" + lang;
    }

    /** The column's counts (tags, months, popular posts) in {@code lang}. */
    public static String sidebarCounts(String lang) {
        return "side:counts:" + lang;
    }

    /** The column's recent comments in {@code lang}. */
    public static String sidebarComments(String lang) {
        return "side:comments:" + lang;
    }

    /**
     * What a post published at {@code publishedAt} with these tags changes when it enters or
     * leaves the lists of {@code langs}: itself, every list it belongs to, the column's counts
     * and its comments among the recent ones.
     */
    public static List<String> ofListed(long postId, Collection<String> langs,
            LocalDateTime publishedAt, Collection<String> tagSlugs) {
        List<String> tags = new ArrayList<>();
        for (String lang : langs) {
            tags.add(post(postId, lang));
            tags.add(homeList(lang));
            tags.add(monthList(YearMonth.from(publishedAt), lang));
            for (String slug : tagSlugs) {
                tags.add(tagList(slug, lang));
            }
            tags.add(sidebarCounts(lang));
            tags.add(sidebarComments(lang));
        }
        return tags;
    }

    /** The tags of an entry showing this. */
    public static String[] ofHome(String lang, PostPage page) {
        return withPosts(page, lang, homeList(lang));
    }

    /** The tags of an entry showing this. */
    public static String[] ofTag(String lang, String slug, PostPage page) {
        return withPosts(page, lang, tagList(slug, lang));
    }

    /** The tags of an entry showing this. */
    public static String[] ofMonth(String lang, YearMonth month, PostPage page) {
        return withPosts(page, lang, monthList(month, lang));
    }

    /** The tags of an entry showing this. */
    public static String[] ofPost(String lang, PostDetail post) {
        List<String> tags = new ArrayList<>();
        tags.add(post(post.id(), lang));
        for (TagRef tag : post.tags()) {
            tags.add(tagList(tag.slug(), lang));
        }
        for (PostLink related : post.related()) {
            tags.add(post(related.id(), lang));
        }
        return tags.toArray(String[]::new);
    }

    /** The tags of an entry showing this. */
    public static String[] ofSidebar(String lang, Sidebar sidebar) {
        List<String> tags = new ArrayList<>();
        tags.add(sidebarCounts(lang));
        tags.add(sidebarComments(lang));
        for (RecentComment c : sidebar.recentComments()) {
            tags.add(post(c.postId(), lang));
        }
        for (PostLink p : sidebar.popular()) {
            tags.add(post(p.id(), lang));
        }
        return tags.toArray(String[]::new);
    }

    private static String[] withPosts(PostPage page, String lang, String list) {
        List<String> tags = new ArrayList<>();
        tags.add(list);
        for (PostSummary p : page.posts()) {
            tags.add(post(p.id(), lang));
        }
        return tags.toArray(String[]::new);
    }
}
