package io.larder.blog.post;

import io.larder.blog.comment.Comment;
import io.larder.blog.comment.CommentView;
import io.larder.blog.db.Database;
import io.larder.blog.tag.Tag;
import io.larder.blog.tag.TagRef;
import io.larder.blog.web.Dates;
import io.larder.blog.web.Markdown;
import io.larder.blog.web.NotFoundException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@link PostQueries} through Hibernate: JPQL, lazy associations, one EntityManager per call.
 */
public final class OrmPostQueries implements PostQueries {
    private static final String LISTED = "select t from PostTranslation t join fetch t.post p"
            + " join fetch p.author ";
    private static final String ORDER = " order by p.publishedAt desc, p.id desc";

    private final Database db;

    /** Queries on {@code db}. */
    public OrmPostQueries(Database db) {
        this.db = db;
    }

    @Override
    public PostPage home(String lang, int page) {
        return read(em -> {
            long total = em.createQuery("select count(t) from PostTranslation t"
                    + " where t.lang = :lang and t.post.published = true", Long.class)
                    .setParameter("lang", lang).getSingleResult();
            int pages = Listing.checkPage(total, page);
            TypedQuery<PostTranslation> q = em.createQuery(LISTED
                    + "where t.lang = :lang and p.published = true" + ORDER, PostTranslation.class)
                    .setParameter("lang", lang);
            return new PostPage("", summaries(em, page(q, page)), page, pages);
        });
    }

    @Override
    public PostPage byTag(String lang, String tagSlug, int page) {
        return read(em -> {
            List<Tag> tags = em.createQuery("select tg from Tag tg where tg.slug = :slug",
                    Tag.class)
                    .setParameter("slug", tagSlug).getResultList();
            if (tags.isEmpty()) {
                throw new NotFoundException("no tag " + tagSlug);
            }
            Tag tag = tags.get(0);
            long total = em.createQuery("select count(t) from PostTranslation t join t.post p"
                    + " join p.tags tg where tg = :tag and t.lang = :lang and p.published = true",
                    Long.class).setParameter("tag", tag).setParameter("lang", lang)
                    .getSingleResult();
            int pages = Listing.checkPage(total, page);
            TypedQuery<PostTranslation> q = em.createQuery(LISTED + "join p.tags tg where tg = :tag"
                    + " and t.lang = :lang and p.published = true" + ORDER, PostTranslation.class)
                    .setParameter("tag", tag).setParameter("lang", lang);
            return new PostPage(tag.getName(), summaries(em, page(q, page)), page, pages);
        });
    }

    @Override
    public PostPage byMonth(String lang, YearMonth month, int page) {
        return read(em -> {
            LocalDateTime from = month.atDay(1).atStartOfDay();
            LocalDateTime to = month.plusMonths(1).atDay(1).atStartOfDay();
            long total = em.createQuery("select count(t) from PostTranslation t join t.post p"
                    + " where t.lang = :lang and p.published = true and p.publishedAt >= :from"
                    + " and p.publishedAt < :to", Long.class).setParameter("lang", lang)
                    .setParameter("from", from).setParameter("to", to).getSingleResult();
            if (total == 0) {
                throw new NotFoundException("no posts in " + month);
            }
            int pages = Listing.checkPage(total, page);
            TypedQuery<PostTranslation> q = em.createQuery(LISTED + "where t.lang = :lang"
                    + " and p.published = true and p.publishedAt >= :from and p.publishedAt < :to"
                    + ORDER, PostTranslation.class).setParameter("lang", lang)
                    .setParameter("from", from).setParameter("to", to);
            return new PostPage(month.toString(), summaries(em, page(q, page)), page, pages);
        });
    }

    @Override
    public PostDetail post(String lang, String slug) {
        return read(em -> {
            List<PostTranslation> found = em.createQuery(LISTED + "where t.lang = :lang"
                    + " and t.slug = :slug and p.published = true", PostTranslation.class)
                    .setParameter("lang", lang).setParameter("slug", slug).getResultList();
            if (found.isEmpty()) {
                throw new NotFoundException("no post " + slug);
            }
            PostTranslation t = found.get(0);
            Post p = t.getPost();
            List<CommentView> comments = em.createQuery("select c from Comment c"
                    + " where c.translation = :t and c.approved = true order by c.createdAt, c.id",
                    Comment.class).setParameter("t", t).getResultList().stream()
                    .map(c -> new CommentView(c.getAuthorName(), Dates.minute(c.getCreatedAt()),
                            c.getBody()))
                    .toList();
            return new PostDetail(p.getId(), t.getTitle(), t.getSlug(),
                    p.getAuthor().getDisplayName(), Dates.day(p.getPublishedAt()),
                    Markdown.render(t.getBody()), tags(p), comments, related(em, t));
        });
    }

    private List<PostLink> related(EntityManager em, PostTranslation t) {
        Post p = t.getPost();
        if (p.getTags().isEmpty()) {
            return List.of();
        }
        List<Long> ids = em.createQuery("select t2.id from PostTranslation t2 join t2.post p2"
                + " join p2.tags tg where tg in :tags and p2.id <> :pid and p2.published = true"
                + " and t2.lang = :lang group by t2.id, p2.publishedAt, p2.id"
                + " order by count(tg) desc, p2.publishedAt desc, p2.id desc", Long.class)
                .setParameter("tags", p.getTags()).setParameter("pid", p.getId())
                .setParameter("lang", t.getLang()).setMaxResults(5).getResultList();
        return ids.stream().map(id -> em.find(PostTranslation.class, id))
                .map(r -> new PostLink(r.getPost().getId(), r.getTitle(), r.getSlug()))
                .toList();
    }

    private List<PostSummary> summaries(EntityManager em, List<PostTranslation> translations) {
        Map<Long, Long> counts = new HashMap<>();
        if (!translations.isEmpty()) {
            em.createQuery("select c.translation.id, count(c) from Comment c"
                    + " where c.translation in :ts and c.approved = true group by c.translation.id",
                    Object[].class).setParameter("ts", translations).getResultList()
                    .forEach(row -> counts.put((Long) row[0], (Long) row[1]));
        }
        return translations.stream().map(t -> {
            Post p = t.getPost();
            return new PostSummary(p.getId(), t.getTitle(), t.getSlug(),
                    p.getAuthor().getDisplayName(), Dates.day(p.getPublishedAt()),
                    Markdown.render(t.getSummary()), tags(p), counts.getOrDefault(t.getId(), 0L));
        }).toList();
    }

    static List<TagRef> tags(Post p) {
        return p.getTags().stream().map(tg -> new TagRef(tg.getName(), tg.getSlug()))
                .sorted(Listing.TAG_ORDER).toList();
    }

    private static List<PostTranslation> page(TypedQuery<PostTranslation> q, int page) {
        return q.setFirstResult((page - 1) * PostPage.SIZE).setMaxResults(PostPage.SIZE)
                .getResultList();
    }

    private <T> T read(Function<EntityManager, T> work) {
        return db.inTransaction(work);
    }
}
