package io.larder.blog.post;

import io.larder.blog.comment.CommentView;
import io.larder.blog.db.Database;
import io.larder.blog.db.Jdbc;
import io.larder.blog.tag.TagRef;
import io.larder.blog.web.Dates;
import io.larder.blog.web.Markdown;
import io.larder.blog.web.NotFoundException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link PostQueries} through plain JDBC: the same pages, the queries written by hand. */
public final class SqlPostQueries implements PostQueries {
    private static final String LISTED = "SELECT p.id, t.id, t.title, t.slug, a.display_name,"
            + " p.published_at, t.summary FROM post_translation t JOIN post p ON p.id = t.post_id"
            + " JOIN author a ON a.id = p.author_id ";
    private static final String PAGE = " ORDER BY p.published_at DESC, p.id DESC LIMIT ? OFFSET ?";

    private final Database db;

    /** Queries on {@code db}. */
    public SqlPostQueries(Database db) {
        this.db = db;
    }

    @Override
    public PostPage home(String lang, int page) {
        return Jdbc.read(db, c -> {
            long total = Jdbc.count(c, "SELECT COUNT(*) FROM post_translation t JOIN post p"
                    + " ON p.id = t.post_id WHERE t.lang = ? AND p.published = TRUE", lang);
            int pages = Listing.checkPage(total, page);
            return new PostPage("", list(c, LISTED + "WHERE t.lang = ? AND p.published = TRUE"
                    + PAGE, page, lang), page, pages);
        });
    }

    @Override
    public PostPage byTag(String lang, String tagSlug, int page) {
        return Jdbc.read(db, c -> {
            List<Object[]> tag = Jdbc.rows(c, "SELECT id, name FROM tag WHERE slug = ?",
                    rs -> new Object[] {rs.getLong(1), rs.getString(2)}, tagSlug);
            if (tag.isEmpty()) {
                throw new NotFoundException("no tag " + tagSlug);
            }
            long tagId = (Long) tag.get(0)[0];
            String where = "JOIN post_tag pt ON pt.post_id = p.id WHERE pt.tag_id = ?"
                    + " AND t.lang = ? AND p.published = TRUE";
            long total = Jdbc.count(c, "SELECT COUNT(*) FROM post_translation t JOIN post p"
                    + " ON p.id = t.post_id " + where, tagId, lang);
            int pages = Listing.checkPage(total, page);
            return new PostPage((String) tag.get(0)[1], list(c, LISTED + where + PAGE, page,
                    tagId, lang), page, pages);
        });
    }

    @Override
    public PostPage byMonth(String lang, YearMonth month, int page) {
        return Jdbc.read(db, c -> {
            LocalDateTime from = month.atDay(1).atStartOfDay();
            LocalDateTime to = month.plusMonths(1).atDay(1).atStartOfDay();
            String where = "WHERE t.lang = ? AND p.published = TRUE AND p.published_at >= ?"
                    + " AND p.published_at < ?";
            long total = Jdbc.count(c, "SELECT COUNT(*) FROM post_translation t JOIN post p"
                    + " ON p.id = t.post_id " + where, lang, from, to);
            if (total == 0) {
                throw new NotFoundException("no posts in " + month);
            }
            int pages = Listing.checkPage(total, page);
            return new PostPage(month.toString(), list(c, LISTED + where + PAGE, page, lang, from,
                    to), page, pages);
        });
    }

    @Override
    public PostDetail post(String lang, String slug) {
        return Jdbc.read(db, c -> {
            List<Row> found = Jdbc.rows(c, LISTED.replace("t.summary", "t.body")
                    + "WHERE t.lang = ? AND t.slug = ? AND p.published = TRUE", SqlPostQueries::row,
                    lang, slug);
            if (found.isEmpty()) {
                throw new NotFoundException("no post " + slug);
            }
            Row r = found.get(0);
            List<CommentView> comments = Jdbc.rows(c, "SELECT author_name, created_at, body"
                    + " FROM comment WHERE translation_id = ? AND approved = TRUE"
                    + " ORDER BY created_at, id", rs -> new CommentView(rs.getString(1),
                            Dates.minute(rs.getObject(2, LocalDateTime.class)), rs.getString(3)),
                    r.translationId);
            List<PostLink> related = Jdbc.rows(c, "SELECT p.id, t.title, t.slug"
                    + " FROM post_translation t JOIN post p ON p.id = t.post_id"
                    + " JOIN post_tag pt ON pt.post_id = p.id"
                    + " WHERE pt.tag_id IN (SELECT tag_id FROM post_tag WHERE post_id = ?)"
                    + " AND p.id <> ? AND p.published = TRUE AND t.lang = ?"
                    + " GROUP BY p.id, t.title, t.slug, p.published_at"
                    + " ORDER BY COUNT(*) DESC, p.published_at DESC, p.id DESC LIMIT 5",
                    rs -> new PostLink(rs.getLong(1), rs.getString(2), rs.getString(3)),
                    r.postId, r.postId, lang);
            return new PostDetail(r.postId, r.title, r.slug, r.author, Dates.day(r.publishedAt),
                    Markdown.render(r.text), tags(c, List.of(r.postId)).getOrDefault(r.postId,
                            List.of()), comments, related);
        });
    }

    private record Row(long postId, long translationId, String title, String slug, String author,
            LocalDateTime publishedAt, String text) { }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getObject(6, LocalDateTime.class), rs.getString(7));
    }

    private List<PostSummary> list(Connection c, String sql, int page, Object... params)
            throws SQLException {
        Object[] all = new Object[params.length + 2];
        System.arraycopy(params, 0, all, 0, params.length);
        all[params.length] = PostPage.SIZE;
        all[params.length + 1] = (page - 1) * PostPage.SIZE;
        List<Row> rows = Jdbc.rows(c, sql, SqlPostQueries::row, all);
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, List<TagRef>> tags = tags(c, rows.stream().map(Row::postId).toList());
        List<Long> translationIds = rows.stream().map(Row::translationId).toList();
        Map<Long, Long> counts = new HashMap<>();
        Jdbc.rows(c, "SELECT translation_id, COUNT(*) FROM comment WHERE approved = TRUE"
                + " AND translation_id IN (" + Jdbc.marks(translationIds.size()) + ")"
                + " GROUP BY translation_id",
                rs -> counts.put(rs.getLong(1), rs.getLong(2)), translationIds.toArray());
        List<PostSummary> result = new ArrayList<>(rows.size());
        for (Row r : rows) {
            result.add(new PostSummary(r.postId, r.title, r.slug, r.author,
                    Dates.day(r.publishedAt), Markdown.render(r.text),
                    tags.getOrDefault(r.postId, List.of()),
                    counts.getOrDefault(r.translationId, 0L)));
        }
        return result;
    }

    private static Map<Long, List<TagRef>> tags(Connection c, List<Long> postIds)
            throws SQLException {
        Map<Long, List<TagRef>> tags = new HashMap<>();
        Jdbc.rows(c, "SELECT pt.post_id, tg.name, tg.slug FROM post_tag pt"
                + " JOIN tag tg ON tg.id = pt.tag_id WHERE pt.post_id IN ("
                + Jdbc.marks(postIds.size()) + ")",
                rs -> tags.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>())
                        .add(new TagRef(rs.getString(2), rs.getString(3))), postIds.toArray());
        tags.values().forEach(list -> list.sort(Listing.TAG_ORDER));
        return tags;
    }
}
