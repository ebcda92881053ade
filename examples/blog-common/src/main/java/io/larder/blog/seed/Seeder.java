package io.larder.blog.seed;

import io.larder.blog.admin.Passwords;
import io.larder.blog.db.Database;
import io.larder.blog.web.Langs;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Fills the database with a realistic, reproducible blog: authors, tags, posts translated into
 * one to four languages, and comments (most approved). Replaces whatever was there.
 */
public final class Seeder {
    /** The first login's name. */
    public static final String ADMIN = "admin";

    private static final String[] TAGS = {"caching", "java", "performance", "databases",
        "templates", "hibernate", "javalin", "postgres", "h2", "redis", "testing", "design",
        "http", "latency", "memory", "files", "jvm", "sql", "orm", "markdown", "security",
        "deploy", "linux", "tools", "profiling", "concurrency", "json", "web", "css", "travel",
        "books", "music", "food", "notes", "opinion", "release", "howto", "benchmark", "bugs",
        "ideas"};
    private static final String[] AUTHORS = {"Ada Byron", "Grace Hopper", "Edsger Dijkstra",
        "Barbara Liskov", "Donald Knuth", "Margaret Hamilton", "Ken Thompson", "Frances Allen"};
    private static final LocalDateTime EPOCH = LocalDateTime.of(2021, 1, 1, 8, 0);
    private static final int BATCH = 500;

    private final Database db;
    private final PrintStream out;

    /** A seeder writing to {@code db}, showing progress on {@code out}. */
    public Seeder(Database db, PrintStream out) {
        this.db = db;
        this.out = out;
    }

    /** The size of a data set: posts, comments over all translations, and the seed. */
    public record Size(int posts, int comments, long seed) {
        /** The default: a few thousand posts, tens of thousands of comments. */
        public static final Size DEFAULT = new Size(3000, 30_000, 42);

        /** Validates. */
        public Size {
            if (posts < 1 || comments < 0) {
                throw new IllegalArgumentException("posts must be >= 1 and comments >= 0, were "
                        + posts + " and " + comments);
            }
        }
    }

    /** Whether the database holds no authors yet (first start). */
    public boolean isEmpty() throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM author")) {
            rs.next();
            return rs.getLong(1) == 0;
        }
    }

    /** Replaces all data with a data set of {@code size}; {@code adminPassword} is hashed. */
    public void seed(Size size, String adminPassword) throws SQLException {
        Random random = new Random(size.seed());
        TextGenerator text = new TextGenerator(random);
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String table : List.of("comment", "post_tag", "post_translation", "post",
                        "tag", "author")) {
                    s.executeUpdate("DELETE FROM " + table);
                }
            }
            c.commit();
            insertAuthors(c, adminPassword);
            insertTags(c);
            List<long[]> translations = insertPosts(c, size, random, text);
            insertComments(c, size, random, text, translations);
            try (Statement s = c.createStatement()) {
                restart(s, "author", AUTHORS.length + 2);
                restart(s, "tag", TAGS.length + 1);
                restart(s, "post", size.posts() + 1);
                restart(s, "post_translation", translations.size() + 1);
                restart(s, "comment", size.comments() + 1);
            }
            c.commit();
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE"); // fresh planner statistics after the bulk load
            }
            c.commit();
        }
    }

    private static void restart(Statement s, String table, long next) throws SQLException {
        s.executeUpdate("ALTER TABLE " + table + " ALTER COLUMN id RESTART WITH " + next);
    }

    private void insertAuthors(Connection c, String adminPassword) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO author (id, username,"
                + " display_name, password_hash) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, 1);
            ps.setString(2, ADMIN);
            ps.setString(3, "Admin");
            ps.setString(4, Passwords.hash(adminPassword.toCharArray()));
            ps.addBatch();
            for (int i = 0; i < AUTHORS.length; i++) {
                ps.setLong(1, i + 2);
                ps.setString(2, TextGenerator.slug(AUTHORS[i]));
                ps.setString(3, AUTHORS[i]);
                ps.setString(4, "!locked");
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void insertTags(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tag (id, name, slug) VALUES (?, ?, ?)")) {
            for (int i = 0; i < TAGS.length; i++) {
                ps.setLong(1, i + 1);
                ps.setString(2, TAGS[i]);
                ps.setString(3, TAGS[i]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Returns each translation as {id, postId, minutes after EPOCH, language index}. */
    private List<long[]> insertPosts(Connection c, Size size, Random random, TextGenerator text)
            throws SQLException {
        ProgressBar bar = new ProgressBar(out, "posts", size.posts());
        List<long[]> translations = new ArrayList<>();
        long minutesSpan = 5L * 365 * 24 * 60;
        try (PreparedStatement post = c.prepareStatement("INSERT INTO post (id, author_id,"
                + " published, published_at, views) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement tr = c.prepareStatement("INSERT INTO post_translation (id, post_id,"
                + " lang, title, slug, summary, body) VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement tag = c.prepareStatement(
                "INSERT INTO post_tag (post_id, tag_id) VALUES (?, ?)")) {
            for (int id = 1; id <= size.posts(); id++) {
                long minute = (long) id * minutesSpan / size.posts() + random.nextInt(600);
                post.setLong(1, id);
                post.setLong(2, 2 + random.nextInt(AUTHORS.length));
                post.setBoolean(3, random.nextInt(20) != 0);
                post.setObject(4, EPOCH.plusMinutes(minute));
                post.setLong(5, (long) (Math.pow(random.nextDouble(), 4) * 100_000));
                post.addBatch();
                int langs = 1 + random.nextInt(Langs.ALL.size());
                for (int l = 0; l < langs; l++) {
                    String lang = Langs.ALL.get(l);
                    String title = text.title(lang);
                    long trId = translations.size() + 1;
                    tr.setLong(1, trId);
                    tr.setLong(2, id);
                    tr.setString(3, lang);
                    tr.setString(4, title);
                    tr.setString(5, TextGenerator.slug(title) + "-" + id);
                    tr.setString(6, text.summary(lang));
                    tr.setString(7, text.body(lang));
                    tr.addBatch();
                    translations.add(new long[] {trId, id, minute, l});
                }
                int tags = 1 + random.nextInt(4);
                int first = random.nextInt(TAGS.length);
                for (int t = 0; t < tags; t++) {
                    tag.setLong(1, id);
                    tag.setLong(2, 1 + (first + t * 7) % TAGS.length);
                    tag.addBatch();
                }
                if (id % BATCH == 0 || id == size.posts()) {
                    post.executeBatch();
                    tr.executeBatch();
                    tag.executeBatch();
                    c.commit();
                    bar.update(id);
                }
            }
        }
        return translations;
    }

    private void insertComments(Connection c, Size size, Random random, TextGenerator text,
            List<long[]> translations) throws SQLException {
        ProgressBar bar = new ProgressBar(out, "comments", size.comments());
        String[] names = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
            "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent"};
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO comment (id, translation_id,"
                + " author_name, body, created_at, approved) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int id = 1; id <= size.comments(); id++) {
                long[] tr = translations.get(random.nextInt(translations.size()));
                String lang = Langs.ALL.get((int) tr[3]);
                ps.setLong(1, id);
                ps.setLong(2, tr[0]);
                ps.setString(3, names[random.nextInt(names.length)]);
                ps.setString(4, text.comment(lang));
                ps.setObject(5, EPOCH.plusMinutes(tr[2] + 30 + random.nextInt(60 * 24 * 60)));
                ps.setBoolean(6, random.nextInt(20) != 0);
                ps.addBatch();
                if (id % BATCH == 0 || id == size.comments()) {
                    ps.executeBatch();
                    c.commit();
                    bar.update(id);
                }
            }
        }
    }
}
