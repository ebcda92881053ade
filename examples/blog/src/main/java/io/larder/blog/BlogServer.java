package io.larder.blog;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import io.javalin.Javalin;
import io.javalin.compression.Brotli;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.http.HttpStatus;
import io.larder.Larder;
import io.larder.blog.admin.AdminPages;
import io.larder.blog.admin.Sessions;
import io.larder.blog.cache.CacheMode;
import io.larder.blog.cache.Caching;
import io.larder.blog.cache.EntityTags;
import io.larder.blog.cache.QueryMode;
import io.larder.blog.comment.CommentModeration;
import io.larder.blog.db.Database;
import io.larder.blog.db.SecondLevelCache;
import io.larder.blog.post.OrmPostQueries;
import io.larder.blog.post.PostEditor;
import io.larder.blog.post.PostPages;
import io.larder.blog.post.PostQueries;
import io.larder.blog.post.SqlPostQueries;
import io.larder.blog.seed.Seeder;
import io.larder.blog.sidebar.OrmSidebarQueries;
import io.larder.blog.sidebar.SidebarQueries;
import io.larder.blog.sidebar.SqlSidebarQueries;
import io.larder.blog.tag.TagPages;
import io.larder.http.HttpPurge;
import io.larder.http.TagHeader;
import io.larder.insight.Advisor;
import io.larder.javalin.Dashboard;
import io.larder.javalin.LarderPlugin;
import io.larder.javalin.Page;
import io.larder.blog.web.Pages;
import io.larder.blog.web.Layout;
import io.larder.blog.web.NotFoundException;
import io.larder.blog.web.Langs;
import io.larder.blog.web.Routes;
import io.larder.blog.web.Views;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blog: database, cache and web server wired for one configuration. Every Javalin plugin
 * and route is registered here, in {@link #createApp}. Tests start it on a free port.
 */
public final class BlogServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlogServer.class);
    /** The share of requests the advisor records: enough to rank, cheap enough to leave on. */
    private static final double ADVISOR_SAMPLING = 0.1;

    private final BlogConfig config;
    /** The server's view of the database: its factory invalidates this server's cache. */
    private final Database db;
    /** The database this server opened and closes, or {@code null} when shared. */
    private final Database owned;
    private final Larder larder;
    private final Javalin app;
    private final Advisor advisor;
    /** The purges of the HTTP caches in front, or {@code null}. */
    private final HttpPurge purge;

    private BlogServer(BlogConfig config, Database db, Database owned, Larder larder, Javalin app,
            Advisor advisor, HttpPurge purge) {
        this.config = config;
        this.db = db;
        this.owned = owned;
        this.larder = larder;
        this.app = app;
        this.advisor = advisor;
        this.purge = purge;
    }

    /**
     * Opens the database (migrating it, and seeding it if empty), builds the cache for the
     * configured mode and starts the web server. Bad configurations fail here.
     */
    public static BlogServer start(BlogConfig config, PrintStream progress) throws Exception {
        Path dataDir = config.dataDir();
        Files.createDirectories(dataDir);
        Database db = null;
        Larder larder = null;
        try {
            db = Database.open(config.effectiveJdbcUrl(), config.dbUser(), config.dbPassword(),
                    config.schema());
            Seeder seeder = new Seeder(db, progress);
            if (seeder.isEmpty()) {
                progress.println("Empty database: seeding " + config.seed().posts() + " posts and "
                        + config.seed().comments() + " comments");
                seeder.seed(config.seed(), config.adminPassword());
                Caching.clear(config.cacheDir());
                Caching.invalidateEverything(db);
                progress.println("Admin login: " + Seeder.ADMIN + " / " + config.adminPassword());
            }
            larder = Caching.larder(config);
            return start(config, db, larder, db);
        } catch (Exception | Error e) {
            if (larder != null) {
                larder.close();
            }
            if (db != null) {
                db.close();
            }
            throw e;
        }
    }

    /**
     * Starts a server for {@code config} on an open (migrated, seeded) database that it shares
     * and does not close: several modes side by side on the same data, as tests and
     * {@code measure} run them. The server has its own cache.
     */
    public static BlogServer start(BlogConfig config, Database db) throws Exception {
        Larder larder = Caching.larder(config);
        try {
            return start(config, db, larder, null);
        } catch (Exception | Error e) {
            larder.close();
            throw e;
        }
    }

    /**
     * Starts the server with its own entity manager factory over {@code db}'s pool, built after
     * {@code larder} and installed on it: every commit through it records what it changed in the
     * database's invalidation log and invalidates it. Building the factory catches the store up
     * with that log (commits made while it was not attached, by this or another server) before
     * the web server starts.
     */
    private static BlogServer start(BlogConfig config, Database db, Larder larder,
            Database owned) {
        Map<String, Object> settings = new HashMap<>(EntityTags.settings(larder));
        if (config.secondLevelCache()) {
            settings.putAll(SecondLevelCache.settings());
        }
        Database server = db.sharing(settings);
        // Attached before anything invalidates: the invalidation log's catch-up purges too.
        HttpPurge purge = config.purge().isEmpty() ? null
                : config.purgeTargets().build().attach(larder);
        try {
            Advisor advisor = Advisor.sampling(ADVISOR_SAMPLING);
            Javalin app = createApp(config, server, larder, advisor, purge);
            app.start(config.host(), config.port());
            return new BlogServer(config, server, owned, larder, app, advisor, purge);
        } catch (RuntimeException | Error e) {
            if (purge != null) {
                purge.close();
            }
            server.close();
            throw e;
        }
    }

    /** The Javalin app for {@code config}: the one place plugins and routes are registered. */
    static Javalin createApp(BlogConfig config, Database db, Larder larder, Advisor advisor,
            HttpPurge purge) {
        Views views = new Views(larder);
        Sessions sessions = new Sessions();
        PostQueries posts = config.queries() == QueryMode.ORM ? new OrmPostQueries(db)
                : new SqlPostQueries(db);
        SidebarQueries sidebar = config.queries() == QueryMode.ORM ? new OrmSidebarQueries(db)
                : new SqlSidebarQueries(db);
        Pages pages = Caching.pages(config.cache(), larder, posts, sidebar);
        Layout layout = new Layout(views, sessions, config.cache() == CacheMode.FRAGMENT);
        // No invalidation code: the entities the admin changes invalidate what shows them.
        AdminPages admin = new AdminPages(db, sessions, views, new PostEditor(db),
                new CommentModeration(db));
        PostPages postPages = new PostPages(pages, layout);
        TagPages tagPages = new TagPages(pages, layout);
        // The cache dashboard and the advisor, behind the admin login.
        Dashboard.Builder dashboardSettings = Dashboard.builder(larder).path("/admin/cache")
                .access(ctx -> sessions.current(ctx).isPresent()).loginPage("/admin/login")
                .advisor(advisor);
        Dashboard dashboard = (purge == null ? dashboardSettings
                : dashboardSettings.purge(purge)).build();
        // larder-javalin: Server-Timing on every response in every mode; page cache in page mode
        LarderPlugin larderPlugin = new LarderPlugin(p -> {
            p.larder(larder).anonymousWhen(ctx -> sessions.current(ctx).isEmpty())
                    // Sessions live in a cookie: a request without any cookie is anonymous, so
                    // the page cache's fast path may answer stored pages before Javalin's routing.
                    .fastPath(true)
                    .warming(1, 20).onRequest(dashboard);
            // Benchmark hook (bench's ColdStart): -Dblog.bench.warmUpRequests=N sets how many
            // in-memory requests run the fast path after warming (N=0: none).
            Integer warmUp = Integer.getInteger("blog.bench.warmUpRequests");
            if (warmUp != null) {
                p.warmUpRequests(warmUp, Duration.ofSeconds(10));
            }
            if (purge != null) {
                // Behind Varnish or a CDN: pages name their tags, and shared caches keep them
                // until a purge (browsers still ask each time).
                p.tagHeader(TagHeader.xkey()).cacheControl("public, max-age=0, s-maxage=86400");
            }
        });
        dashboard.warming(larderPlugin);
        return Javalin.create(cfg -> {
            // POST, PUT... on a page: 405 with Allow (larder-javalin adds HEAD where GET is)
            cfg.http.prefer405over404 = true;
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            // br where the client takes it (brotli4j's native library loads on the common
            // platforms), else gzip; the page cache compresses each stored page once per coding.
            cfg.http.compressionStrategy = Brotli4jLoader.isAvailable()
                    ? new CompressionStrategy(new Brotli(), new Gzip()) : CompressionStrategy.GZIP;
            cfg.registerPlugin(larderPlugin);
            admin.routes(cfg.routes);
            dashboard.routes(cfg.routes);
            cfg.events.serverStopped(dashboard::close);
            Routes routes = config.cache() == CacheMode.PAGE
                    ? Routes.cached(cfg.routes, larderPlugin, Page.regionDefaults()
                            .warm(() -> Langs.ALL.stream().map(l -> "/" + l + "/").toList()))
                    : Routes.plain(cfg.routes);
            tagPages.routes(routes);
            postPages.routes(routes);
            cfg.routes.exception(NotFoundException.class, (e, ctx) -> ctx
                    .status(HttpStatus.NOT_FOUND)
                    .html(views.error(404, Langs.ofPath(ctx.path()))));
            cfg.routes.exception(AdminPages.Redirected.class, (e, ctx) -> { });
            cfg.routes.exception(AdminPages.Forbidden.class, (e, ctx) -> ctx
                    .status(HttpStatus.FORBIDDEN).result("Forbidden: " + e.getMessage()));
            cfg.routes.exception(AdminPages.BadForm.class, (e, ctx) -> ctx
                    .status(HttpStatus.BAD_REQUEST).result("Bad request: " + e.getMessage()));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(HttpStatus.INTERNAL_SERVER_ERROR)
                        .html(views.error(500, Langs.ofPath(ctx.path())));
            });
            cfg.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    ctx.html(views.error(404, Langs.ofPath(ctx.path())));
                }
            });
        });
    }

    /** The port the server listens on. */
    public int port() {
        return app.port();
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:7070}. */
    public String url() {
        String host = config.host().equals("0.0.0.0") ? "localhost" : config.host();
        return "http://" + host + ":" + port();
    }

    /** The cache. */
    public Larder larder() {
        return larder;
    }

    /** The advisor that ranks this server's uncached work (shown at /admin/cache). */
    public Advisor advisor() {
        return advisor;
    }

    /**
     * The server's view of the database: the shared pool, and an entity manager factory whose
     * commits invalidate this server's cache.
     */
    public Database database() {
        return db;
    }

    /** The configuration it runs with. */
    public BlogConfig config() {
        return config;
    }

    /**
     * Stops the server, then closes its entity manager factory, the cache, and the database if
     * it opened it.
     */
    @Override
    public void close() {
        app.stop();
        if (purge != null) {
            purge.close();
        }
        db.close();
        larder.close();
        if (owned != null) {
            owned.close();
        }
    }
}
