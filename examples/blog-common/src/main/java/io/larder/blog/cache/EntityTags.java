package io.larder.blog.cache;

import io.larder.Larder;
import io.larder.blog.comment.Comment;
import io.larder.blog.post.Post;
import io.larder.blog.post.PostTranslation;
import io.larder.hibernate.Change;
import io.larder.hibernate.LarderHibernate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a committed change of each entity invalidates, in the {@link CacheTags} names that cached
 * entries carry: the blog's only invalidation rules. larder-hibernate applies them after every
 * commit of the factory built with {@link #settings}, so that the admin's handlers only change
 * entities. Entries are tagged by what they show (not by the tables read: loads are not tagged),
 * so that an edit reaches the pages showing that post in that language and no others.
 */
public final class EntityTags {
    private EntityTags() {
    }

    /** The Hibernate settings that install these rules for {@code larder}. */
    public static Map<String, Object> settings(Larder larder) {
        return LarderHibernate.builder(larder)
                // Entries carry CacheTags names (TaggedQueries, Pages), in both query modes; the
                // type tags that loads would add would make any edit a miss for every page.
                .tagLoads(false)
                .tags(PostTranslation.class, EntityTags::ofTranslation)
                .tags(Post.class, EntityTags::ofPost)
                .tags(Comment.class, EntityTags::ofComment)
                .settings();
    }

    /**
     * A translation's text changed: the entries showing it. Added or removed on a published
     * post: also the lists of its language.
     */
    static List<String> ofTranslation(Change change, PostTranslation t) {
        Post p = t.getPost();
        if (change != Change.UPDATE && p.isPublished()) {
            return CacheTags.ofListed(p.getId(), List.of(t.getLang()), p.getPublishedAt(),
                    slugs(p));
        }
        return List.of(CacheTags.post(p.getId(), t.getLang()));
    }

    /**
     * A post was published or hidden (or its tags changed): it enters or leaves the lists of
     * each of its languages, and the column's counts and comments. A new hidden post: nothing.
     */
    static List<String> ofPost(Change change, Post p) {
        if (change != Change.UPDATE && !p.isPublished()) {
            return List.of();
        }
        List<PostTranslation> translations = p.getTranslations(); // null on a new Post
        if (translations == null || translations.isEmpty()) {
            return List.of();
        }
        return CacheTags.ofListed(p.getId(),
                translations.stream().map(PostTranslation::getLang).toList(), p.getPublishedAt(),
                slugs(p));
    }

    /** A comment was approved (or hidden): the count on its post, and the recent comments. */
    static List<String> ofComment(Change change, Comment c) {
        PostTranslation t = c.getTranslation();
        if ((change != Change.UPDATE && !c.isApproved()) || !t.getPost().isPublished()) {
            return List.of();
        }
        return List.of(CacheTags.post(t.getPost().getId(), t.getLang()),
                CacheTags.sidebarComments(t.getLang()));
    }

    private static List<String> slugs(Post p) {
        List<String> slugs = new ArrayList<>();
        p.getTags().forEach(tag -> slugs.add(tag.getSlug()));
        return slugs;
    }
}
