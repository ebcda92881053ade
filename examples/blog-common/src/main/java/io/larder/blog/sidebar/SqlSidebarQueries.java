package io.larder.blog.sidebar;

import io.larder.blog.comment.RecentComment;
import io.larder.blog.db.Database;
import io.larder.blog.db.Jdbc;
import io.larder.blog.post.PostLink;
import io.larder.blog.tag.TagCount;
import java.util.ArrayList;
import java.util.List;

/** {@link SidebarQueries} through plain JDBC. */
public final class SqlSidebarQueries implements SidebarQueries {
    private final Database db;

    /** Queries on {@code db}. */
    public SqlSidebarQueries(Database db) {
        this.db = db;
    }

    @Override
    public Sidebar sidebar(String lang) {
        return Jdbc.read(db, c -> {
            List<TagCount> tags = new ArrayList<>(Jdbc.rows(c, "SELECT tg.name, tg.slug, COUNT(*)"
                    + " FROM post_translation t JOIN post p ON p.id = t.post_id"
                    + " JOIN post_tag pt ON pt.post_id = p.id JOIN tag tg ON tg.id = pt.tag_id"
                    + " WHERE t.lang = ? AND p.published = TRUE GROUP BY tg.name, tg.slug",
                    rs -> new TagCount(rs.getString(1), rs.getString(2), rs.getLong(3)), lang));
            tags.sort(Ordering.TAGS);
            List<ArchiveMonth> archive = new ArrayList<>(Jdbc.rows(c,
                    "SELECT EXTRACT(YEAR FROM p.published_at) y,"
                    + " EXTRACT(MONTH FROM p.published_at) m, COUNT(*)"
                    + " FROM post_translation t JOIN post p ON p.id = t.post_id"
                    + " WHERE t.lang = ? AND p.published = TRUE GROUP BY y, m",
                    rs -> new ArchiveMonth(rs.getInt(1), rs.getInt(2), rs.getLong(3)), lang));
            archive.sort(Ordering.MONTHS);
            List<RecentComment> recent = Jdbc.rows(c, "SELECT p.id, c.author_name, c.body,"
                    + " t.title, t.slug FROM comment c"
                    + " JOIN post_translation t ON t.id = c.translation_id"
                    + " JOIN post p ON p.id = t.post_id WHERE t.lang = ? AND c.approved = TRUE"
                    + " AND p.published = TRUE ORDER BY c.created_at DESC, c.id DESC LIMIT ?",
                    rs -> new RecentComment(rs.getLong(1), rs.getString(2),
                            RecentComment.excerpt(rs.getString(3)), rs.getString(4),
                            rs.getString(5)), lang, Ordering.RECENT);
            List<PostLink> popular = Jdbc.rows(c, "SELECT p.id, t.title, t.slug"
                    + " FROM post_translation t JOIN post p ON p.id = t.post_id"
                    + " WHERE t.lang = ? AND p.published = TRUE ORDER BY p.views DESC, p.id DESC"
                    + " LIMIT ?", rs -> new PostLink(rs.getLong(1), rs.getString(2),
                            rs.getString(3)), lang, Ordering.POPULAR);
            return new Sidebar(List.copyOf(tags), List.copyOf(archive), recent, popular);
        });
    }
}
