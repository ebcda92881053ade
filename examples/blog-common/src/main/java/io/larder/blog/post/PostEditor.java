package io.larder.blog.post;

import io.larder.blog.author.Author;
import io.larder.blog.db.Database;
import io.larder.blog.tag.Tag;
import io.larder.blog.web.Langs;
import io.larder.blog.web.NotFoundException;
import jakarta.persistence.EntityManager;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The admin's changes to posts, through Hibernate entities only: what they make stale in the
 * cache follows from the committed changes (see {@code cache.EntityTags}), not from code here.
 */
public final class PostEditor {
    private final Database db;

    /** An editor of {@code db}'s posts. */
    public PostEditor(Database db) {
        this.db = db;
    }

    /**
     * A post's text in one language, as the edit form shows it.
     *
     * @param postId the post
     * @param lang the language
     * @param title the title, empty for a new translation
     * @param summary the Markdown summary
     * @param body the Markdown body
     * @param slug the URL name, empty for a new translation
     * @param published whether the post is shown
     */
    public record Draft(long postId, String lang, String title, String summary, String body,
            String slug, boolean published) { }

    /**
     * A post in the admin's list.
     *
     * @param id the post
     * @param title its title in its first language
     * @param langs its languages
     * @param published whether it is shown
     * @param date its publication date
     */
    public record Row(long id, String title, List<String> langs, boolean published, String date) { }

    /** The {@code limit} newest posts, published or not. */
    public List<Row> latest(int limit) {
        return db.inTransaction(em -> em.createQuery("select p from Post p"
                + " order by p.publishedAt desc, p.id desc", Post.class).setMaxResults(limit)
                .getResultList().stream().map(p -> {
                    List<PostTranslation> ts = p.getTranslations().stream()
                            .sorted((a, b) -> Langs.ALL.indexOf(a.getLang())
                                    - Langs.ALL.indexOf(b.getLang())).toList();
                    return new Row(p.getId(), ts.isEmpty() ? "" : ts.get(0).getTitle(),
                            ts.stream().map(PostTranslation::getLang).toList(), p.isPublished(),
                            p.getPublishedAt().toLocalDate().toString());
                }).toList());
    }

    /** The text of post {@code postId} in {@code lang}, empty if not yet translated. */
    public Draft draft(long postId, String lang) {
        return db.inTransaction(em -> {
            Post p = find(em, postId);
            return translation(em, p, lang)
                    .map(t -> new Draft(postId, lang, t.getTitle(), t.getSummary(), t.getBody(),
                            t.getSlug(), p.isPublished()))
                    .orElse(new Draft(postId, lang, "", "", "", "", p.isPublished()));
        });
    }

    /**
     * Creates an unpublished post by {@code authorId} with its first translation and the tags of
     * {@code tagSlugs}; its id.
     *
     * @throws UnknownTag if a slug names no tag (nothing is created)
     */
    public long create(long authorId, String lang, String title, String summary, String body,
            Collection<String> tagSlugs) {
        return db.inTransaction(em -> {
            Post p = new Post();
            p.setAuthor(em.getReference(Author.class, authorId));
            p.setPublished(false);
            p.setPublishedAt(LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS));
            p.getTags().addAll(tags(em, tagSlugs));
            em.persist(p);
            PostTranslation t = new PostTranslation();
            t.setPost(p);
            t.setLang(lang);
            t.setSlug(slug(title, p.getId()));
            t.setTitle(title);
            t.setSummary(summary);
            t.setBody(body);
            em.persist(t);
            return p.getId();
        });
    }

    /** Saves the text of post {@code postId} in {@code lang}, adding the translation if new. */
    public void save(long postId, String lang, String title, String summary, String body) {
        db.inTransaction(em -> {
            Post p = find(em, postId);
            Optional<PostTranslation> existing = translation(em, p, lang);
            PostTranslation t = existing.orElseGet(PostTranslation::new);
            if (existing.isEmpty()) {
                t.setPost(p);
                t.setLang(lang);
                t.setSlug(slug(title, postId));
            }
            t.setTitle(title);
            t.setSummary(summary);
            t.setBody(body);
            if (existing.isEmpty()) {
                em.persist(t);
            }
            return null;
        });
    }

    /** Publishes or hides post {@code postId}. */
    public void setPublished(long postId, boolean published) {
        db.inTransaction(em -> {
            find(em, postId).setPublished(published);
            return null;
        });
    }

    /** The tags of {@code slugs}. @throws UnknownTag for the first slug that names none */
    private static List<Tag> tags(EntityManager em, Collection<String> slugs) {
        if (slugs.isEmpty()) {
            return List.of();
        }
        List<Tag> tags = em.createQuery("select t from Tag t where t.slug in :slugs", Tag.class)
                .setParameter("slugs", slugs).getResultList();
        Set<String> found = tags.stream().map(Tag::getSlug).collect(Collectors.toSet());
        for (String slug : slugs) {
            if (!found.contains(slug)) {
                throw new UnknownTag(slug);
            }
        }
        return tags;
    }

    private static Post find(EntityManager em, long postId) {
        Post p = em.find(Post.class, postId);
        if (p == null) {
            throw new NotFoundException("no post " + postId);
        }
        return p;
    }

    private static Optional<PostTranslation> translation(EntityManager em, Post p, String lang) {
        return em.createQuery("select t from PostTranslation t"
                + " where t.post = :p and t.lang = :lang",
                PostTranslation.class).setParameter("p", p).setParameter("lang", lang)
                .getResultStream().findFirst();
    }

    private static String slug(String title, long id) {
        String base = title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        if (base.length() > 100) {
            base = base.substring(0, 100);
        }
        return (base.isEmpty() ? "post" : base) + "-" + id;
    }

    /** A post names a tag that does not exist; the message names it. */
    public static final class UnknownTag extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnknownTag(String slug) {
            super("unknown tag '" + (slug.length() > 64 ? slug.substring(0, 64) + "..." : slug)
                    + "'", null, false, false);
        }
    }
}
