package io.larder.blog.sidebar;

import io.larder.blog.comment.Comment;
import io.larder.blog.comment.RecentComment;
import io.larder.blog.db.Database;
import io.larder.blog.post.PostLink;
import io.larder.blog.post.PostTranslation;
import io.larder.blog.tag.TagCount;
import java.util.List;

/** {@link SidebarQueries} through Hibernate: JPQL aggregates, one EntityManager per call. */
public final class OrmSidebarQueries implements SidebarQueries {
    private final Database db;

    /** Queries on {@code db}. */
    public OrmSidebarQueries(Database db) {
        this.db = db;
    }

    @Override
    public Sidebar sidebar(String lang) {
        return db.inTransaction(em -> {
            List<TagCount> tags = em.createQuery("select tg.name, tg.slug, count(t)"
                    + " from PostTranslation t join t.post p join p.tags tg"
                    + " where t.lang = :lang and p.published = true group by tg.name, tg.slug",
                    Object[].class).setParameter("lang", lang).getResultList().stream()
                    .map(r -> new TagCount((String) r[0], (String) r[1], (Long) r[2]))
                    .sorted(Ordering.TAGS).toList();
            List<ArchiveMonth> archive = em.createQuery("select year(p.publishedAt),"
                    + " month(p.publishedAt), count(t) from PostTranslation t join t.post p"
                    + " where t.lang = :lang and p.published = true"
                    + " group by year(p.publishedAt), month(p.publishedAt)", Object[].class)
                    .setParameter("lang", lang).getResultList().stream()
                    .map(r -> new ArchiveMonth(((Number) r[0]).intValue(),
                            ((Number) r[1]).intValue(), (Long) r[2]))
                    .sorted(Ordering.MONTHS).toList();
            List<RecentComment> recent = em.createQuery("select c from Comment c"
                    + " join fetch c.translation t join fetch t.post p where t.lang = :lang"
                    + " and c.approved = true and p.published = true"
                    + " order by c.createdAt desc, c.id desc", Comment.class)
                    .setParameter("lang", lang).setMaxResults(Ordering.RECENT).getResultList()
                    .stream().map(c -> new RecentComment(c.getTranslation().getPost().getId(),
                            c.getAuthorName(), RecentComment.excerpt(c.getBody()),
                            c.getTranslation().getTitle(), c.getTranslation().getSlug()))
                    .toList();
            List<PostLink> popular = em.createQuery("select t from PostTranslation t"
                    + " join fetch t.post p where t.lang = :lang and p.published = true"
                    + " order by p.views desc, p.id desc", PostTranslation.class)
                    .setParameter("lang", lang).setMaxResults(Ordering.POPULAR).getResultList()
                    .stream().map(t -> new PostLink(t.getPost().getId(), t.getTitle(), t.getSlug()))
                    .toList();
            return new Sidebar(tags, archive, recent, popular);
        });
    }
}
