package io.larder.blog.comment;

import io.larder.blog.db.Database;
import io.larder.blog.web.NotFoundException;
import java.util.List;

/**
 * The admin's approval of comments, through Hibernate entities only: the counts and lists it
 * changes follow from the committed change (see {@code cache.EntityTags}).
 */
public final class CommentModeration {
    private final Database db;

    /** Moderation of {@code db}'s comments. */
    public CommentModeration(Database db) {
        this.db = db;
    }

    /**
     * A comment waiting for approval.
     *
     * @param id the comment
     * @param author the commenter
     * @param body the text
     * @param postTitle the commented post's title
     * @param lang the language
     */
    public record Pending(long id, String author, String body, String postTitle, String lang) { }

    /** The {@code limit} oldest comments waiting for approval. */
    public List<Pending> pending(int limit) {
        return db.inTransaction(em -> em.createQuery("select c from Comment c"
                + " join fetch c.translation t where c.approved = false order by c.createdAt, c.id",
                Comment.class).setMaxResults(limit).getResultList().stream()
                .map(c -> new Pending(c.getId(), c.getAuthorName(), c.getBody(),
                        c.getTranslation().getTitle(), c.getTranslation().getLang()))
                .toList());
    }

    /** Approves comment {@code id}. */
    public void approve(long id) {
        db.inTransaction(em -> {
            Comment c = em.find(Comment.class, id);
            if (c == null) {
                throw new NotFoundException("no comment " + id);
            }
            c.setApproved(true);
            return null;
        });
    }
}
