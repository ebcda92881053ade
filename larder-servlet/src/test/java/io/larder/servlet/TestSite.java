package io.larder.servlet;

import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.TypeRef;
import io.larder.insight.TimedDataSource;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A real Jetty 12 (ee10) server on a free loopback port with the Server-Timing filter, a page
 * cache filter and a servlet that renders pages from a real H2 database through a cached query
 * (tagged {@code posts}), counting its renders per path.
 */
final class TestSite implements AutoCloseable {
    /** A post row. */
    record Post(int id, String title) { }

    final Larder larder;
    final JdbcDataSource db = new JdbcDataSource();
    /** The database as the pages read it: each query recorded in the request's trace. */
    private final DataSource timed = TimedDataSource.wrap(db);
    final Map<String, AtomicInteger> renders = new ConcurrentHashMap<>();
    /** The thread priority of each path's last render. */
    final Map<String, Integer> renderPriorities = new ConcurrentHashMap<>();
    final AtomicInteger queries = new AtomicInteger();
    /** What {@code /flaky} does: "ok" (its version), "error" (503), "cookie", "session". */
    final AtomicReference<String> flaky = new AtomicReference<>("ok");
    /** The version {@code /flaky} shows. */
    final AtomicInteger version = new AtomicInteger(1);
    /** The render-secret headers the application saw (it must never see one). */
    final AtomicInteger secretsSeen = new AtomicInteger();
    private final Server server = new Server();
    private final HttpClient client = HttpClient.newHttpClient();
    private final int port;

    TestSite(Larder larder, PageCacheFilter pages) throws Exception {
        this.larder = larder;
        db.setURL("jdbc:h2:mem:servlet-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table post(id int primary key, title varchar(200))");
            for (int i = 1; i <= 40; i++) {
                s.execute("insert into post values (" + i + ", 'Post number " + i + "')");
            }
        }
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        EnumSet<DispatcherType> request = EnumSet.of(DispatcherType.REQUEST);
        context.addFilter(new FilterHolder(new ServerTimingFilter()), "/*", request);
        context.addFilter(new FilterHolder(pages), "/*", request);
        context.addServlet(new ServletHolder(new Pages()), "/*");
        server.setHandler(context);
        server.start();
        this.port = connector.getLocalPort();
    }

    /** This server's origin, {@code http://127.0.0.1:<port>}. */
    URI origin() {
        return URI.create("http://127.0.0.1:" + port);
    }

    int renders(String path) {
        AtomicInteger n = renders.get(path);
        return n == null ? 0 : n.get();
    }

    void retitle(int id, String title) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("update post set title=? where id=?")) {
            s.setString(1, title);
            s.setInt(2, id);
            s.executeUpdate();
        }
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, headers);
    }

    HttpResponse<byte[]> head(String path, String... headers) {
        return send("HEAD", path, headers);
    }

    HttpResponse<byte[]> send(String method, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + path)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("shutdown");
        }
    }

    /** The posts of one page of ten, through the query cache (region posts, tag posts). */
    private List<Post> posts(int page) {
        return larder.get(Key.of("posts", page), new TypeRef<List<Post>>() { },
                Options.tags("posts"), () -> {
                    queries.incrementAndGet();
                    List<Post> posts = new ArrayList<>();
                    try (Connection c = timed.getConnection();
                            PreparedStatement s = c.prepareStatement(
                            "select id, title from post order by id limit 10 offset ?")) {
                        s.setInt(1, (page - 1) * 10);
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next()) {
                                posts.add(new Post(rs.getInt(1), rs.getString(2)));
                            }
                        }
                    }
                    return posts;
                });
    }

    /** The site's pages; each counts its renders by path. */
    private final class Pages extends HttpServlet {
        /** Only {@code /login}: a login form posts. */
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse res)
                throws IOException {
            if (req.getRequestURI().equals("/login")) {
                doGet(req, res);
            } else {
                res.sendError(405);
            }
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            String path = req.getRequestURI();
            renderPriorities.put(path, Thread.currentThread().getPriority());
            renders.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            if (req.getHeader("X-Larder-Render") != null) {
                secretsSeen.incrementAndGet();
            }
            switch (path) {
                case "/posts", "/strict/posts" -> list(req, res);
                case "/me" -> me(req, res);
                case "/tracked" -> {
                    String id = UUID.randomUUID().toString();
                    res.addCookie(new Cookie("visitor", id));
                    html(res, "<p>visitor " + id + "</p>");
                }
                case "/private" -> {
                    res.setHeader("Cache-Control", "private, max-age=60");
                    html(res, "<p>yours " + UUID.randomUUID() + "</p>");
                }
                case "/login" -> {
                    HttpSession session = req.getSession(true);
                    session.setAttribute("user", req.getParameter("user"));
                    html(res, "<p>logged in " + req.getParameter("user") + "</p>");
                }
                case "/lang" -> {
                    res.setHeader("Vary", "Accept-Language");
                    String lang = req.getHeader("Accept-Language");
                    html(res, "<p>" + (lang != null && lang.startsWith("de") ? "Hallo" : "Hello")
                            + "</p>");
                }
                case "/text" -> {
                    res.setContentType("text/plain;charset=UTF-8");
                    res.getWriter().write("gr\u00fc\u00dfe " + req.getQueryString());
                }
                case "/fail" -> res.sendError(503, "down for a moment");
                case "/flaky" -> flaky(req, res);
                case "/stream" -> {
                    res.setContentType("text/plain");
                    posts(1);
                    res.getOutputStream().write(new byte[64 * 1024]);
                    res.flushBuffer();
                    res.getOutputStream().write(new byte[64 * 1024]);
                }
                default -> res.sendError(404);
            }
        }

        private void list(HttpServletRequest req, HttpServletResponse res) throws IOException {
            String p = req.getParameter("page");
            int page = p == null ? 1 : Integer.parseInt(p);
            StringBuilder html = new StringBuilder("<html><body><h1>Posts, page ").append(page)
                    .append("</h1><p>query: ").append(req.getQueryString()).append("</p><ul>");
            for (Post post : posts(page)) {
                html.append("<li id=\"post-").append(post.id()).append("\">")
                        .append(post.title()).append(" \u2014 caf\u00e9 </li>\n");
            }
            html(res, html.append("</ul></body></html>").toString());
        }

        /** A page whose render succeeds or is refused as {@link #flaky} says. */
        private void flaky(HttpServletRequest req, HttpServletResponse res) throws IOException {
            switch (flaky.get()) {
                case "error" -> res.sendError(503, "down for a moment");
                case "cookie" -> {
                    res.addCookie(new Cookie("visitor", "secret-" + version.get()));
                    html(res, "<p>flaky version " + version.get() + " with a cookie</p>");
                }
                case "session" -> {
                    req.getSession(true).setAttribute("user", "someone");
                    html(res, "<p>flaky version " + version.get() + " with a session</p>");
                }
                default -> html(res, "<p>flaky version " + version.get() + "</p>");
            }
        }

        /** A personal page for whoever the request says it is. */
        private void me(HttpServletRequest req, HttpServletResponse res) throws IOException {
            String who = "anonymous";
            HttpSession session = req.getSession(false);
            if (session != null) {
                who = "user " + session.getAttribute("user");
            } else if (req.getHeader("Authorization") != null) {
                who = "bearer " + req.getHeader("Authorization").substring(7);
            } else if (req.getCookies() != null) {
                for (Cookie cookie : req.getCookies()) {
                    who = "cookie " + cookie.getName() + "=" + cookie.getValue();
                }
            }
            html(res, "<p>hello " + who + "</p>");
        }

        private void html(HttpServletResponse res, String html) throws IOException {
            res.setContentType("text/html;charset=UTF-8");
            PrintWriter out = res.getWriter();
            out.write(html);
        }
    }
}
