package io.larder.javalin;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.Endpoint;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.larder.Invalidation;
import io.larder.Larder;
import io.larder.Trace;
import io.larder.http.HttpPurge;
import io.larder.insight.Advisor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The cache dashboard: every region's counters, charts over time (hit ratio, latency percentiles
 * per route, cached against uncached requests), the advisor's ranking, and forms that invalidate a
 * region or a tag. Plain HTML with server-side SVG; no script, nothing loaded from elsewhere.
 *
 * <pre>{@code
 * Dashboard dashboard = Dashboard.builder(larder).path("/admin/cache")
 *         .access(ctx -> sessions.current(ctx).isPresent()).loginPage("/admin/login")
 *         .advisor(Advisor.sampling(0.1)).build();
 * LarderPlugin plugin = new LarderPlugin(cfg -> cfg.larder(larder).onRequest(dashboard));
 * Javalin.create(config -> {
 *     config.registerPlugin(plugin);
 *     dashboard.routes(config.routes);
 * });
 * }</pre>
 *
 * <p>Every request to the dashboard's paths must pass {@link Builder#access}; others get 403 (or
 * a redirect to the login page). Every form carries a CSRF token; a POST without the right one
 * gets 403. Close the dashboard to stop its sampler thread.
 */
public final class Dashboard implements Consumer<RequestTiming>, AutoCloseable {
    private static final int RECENT = 20;

    private final Larder larder;
    private final String path;
    private final String pathPrefix;
    private final Predicate<Context> access;
    private final String loginPage;
    private final Advisor advisor;
    private final HttpPurge purge;
    private final Sampler sampler;
    private final Csrf csrf;
    private final Deque<Invalidation> recent = new ArrayDeque<>();
    private final ScheduledExecutorService scheduler;
    private final DashboardPage page;
    private volatile LarderPlugin warming;

    private Dashboard(Builder b) {
        this.larder = b.larder;
        this.path = b.path;
        this.pathPrefix = b.path + "/";
        this.access = b.access;
        this.loginPage = b.loginPage;
        this.advisor = b.advisor;
        this.purge = b.purge;
        int capacity = (int) Math.max(1, b.keep.toMillis() / b.every.toMillis());
        this.sampler = new Sampler(larder, path, capacity);
        this.csrf = new Csrf(path);
        this.page = new DashboardPage(path, b.every, Clock.systemUTC());
        larder.onInvalidation(this::remember);
        sampler.sample(Clock.systemUTC().instant());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "larder-dashboard-sampler");
            thread.setDaemon(true);
            return thread;
        });
        long every = b.every.toMillis();
        scheduler.scheduleAtFixedRate(() -> sampler.sample(Clock.systemUTC().instant()),
                every, every, TimeUnit.MILLISECONDS);
    }

    /** A builder of a dashboard over {@code larder}. */
    public static Builder builder(Larder larder) {
        return new Builder(Objects.requireNonNull(larder, "larder"));
    }

    /** The path the dashboard is served at, for example {@code "/_larder"}. */
    public String path() {
        return path;
    }

    /**
     * Registers the dashboard's page and forms under {@link #path()}. Requests reach its charts
     * and advisor through {@link #accept}, once the dashboard is a {@link LarderPlugin} listener.
     */
    public void routes(JavalinDefaultRoutingApi routes) {
        routes.get(path, this::show);
        routes.post(path + "/invalidate", this::invalidate);
    }

    /**
     * Records one request's latency for the charts; pass the dashboard to {@link
     * LarderPlugin.Config#onRequest}.
     */
    @Override
    public void accept(RequestTiming timing) {
        sampler.record(timing);
        if (advisor != null && !timing.route().equals(path)
                && !timing.route().startsWith(pathPrefix)
                && advisor.sample()) {
            advisor.record(timing.route(), timing.nanos(), timing.spans());
        }
    }

    /** Stops the sampler thread. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** Takes a snapshot now (tests; the sampler thread takes one every interval). */
    void sampleNow() {
        sampler.sample(Clock.systemUTC().instant());
    }

    private void show(Context ctx) {
        if (!allowed(ctx)) {
            return;
        }
        List<Advisor.Finding> findings = advisor == null ? null : advisor.findings(20);
        List<Invalidation> invalidations;
        synchronized (recent) {
            invalidations = List.copyOf(recent);
        }
        String token = csrf.token(ctx);
        headers(ctx);
        LarderPlugin plugin = warming;
        ctx.html(page.render(larder.stats(), sampler.history(), findings, invalidations,
                purge == null ? null : purge.stats(),
                plugin == null ? null : plugin.warmer().queue().stats(), token));
    }

    /**
     * Shows the page warming of {@code plugin} too: the pages it warms, how often they were
     * warmed, failures, and the pages waiting or being warmed now. Called once the plugin exists
     * (it takes this dashboard as a request listener first):
     * {@code dashboard.warming(plugin)}.
     */
    public Dashboard warming(LarderPlugin plugin) {
        this.warming = Objects.requireNonNull(plugin, "plugin");
        return this;
    }

    private void invalidate(Context ctx) {
        if (!allowed(ctx)) {
            return;
        }
        headers(ctx);
        if (!csrf.valid(ctx)) {
            ctx.status(HttpStatus.FORBIDDEN).result("Forbidden: missing or wrong CSRF token");
            return;
        }
        String kind = ctx.formParam("kind");
        String name = ctx.formParam("name");
        try {
            if ("region".equals(kind) && name != null) {
                larder.invalidateRegion(name);
            } else if ("tag".equals(kind) && name != null) {
                larder.invalidateTag(name);
            } else {
                ctx.status(HttpStatus.BAD_REQUEST).result("Bad request: kind must be region or tag"
                        + " and name is required");
                return;
            }
        } catch (IllegalArgumentException e) {
            ctx.status(HttpStatus.BAD_REQUEST).result("Bad request: " + e.getMessage());
            return;
        }
        ctx.redirect(path, HttpStatus.SEE_OTHER);
    }

    private boolean allowed(Context ctx) {
        if (access.test(ctx)) {
            return true;
        }
        if (loginPage != null && ctx.method().name().equals("GET")) {
            ctx.redirect(loginPage, HttpStatus.FOUND);
        } else {
            ctx.status(HttpStatus.FORBIDDEN).result("Forbidden");
        }
        return false;
    }

    private static void headers(Context ctx) {
        ctx.header("Cache-Control", "private, no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
                + "img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    }

    private void remember(Invalidation invalidation) {
        synchronized (recent) {
            recent.addFirst(invalidation);
            while (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
    }

    /** Settings of a {@link Dashboard}; {@link #access} is required. */
    public static final class Builder {
        private final Larder larder;
        private String path = "/_larder";
        private Predicate<Context> access;
        private String loginPage;
        private Advisor advisor;
        private HttpPurge purge;
        private Duration every = Duration.ofSeconds(10);
        private Duration keep = Duration.ofHours(1);

        private Builder(Larder larder) {
            this.larder = larder;
        }

        /** Where the dashboard is served; default {@code "/_larder"}. */
        public Builder path(String path) {
            Objects.requireNonNull(path, "path");
            if (!path.matches("(/[A-Za-z0-9._~-]+)+")) {
                throw new IllegalArgumentException("path must look like /_larder or /admin/cache"
                        + " (no trailing slash, no parameters), was '" + path + "'");
            }
            this.path = path;
            return this;
        }

        /** Who may see and use the dashboard (required), for example an admin session check. */
        public Builder access(Predicate<Context> access) {
            this.access = Objects.requireNonNull(access, "access");
            return this;
        }

        /** Where a visitor who fails {@link #access} is sent on GET; default: a plain 403. */
        public Builder loginPage(String url) {
            Objects.requireNonNull(url, "loginPage");
            if (!url.startsWith("/") || url.startsWith("//")) {
                throw new IllegalArgumentException("loginPage must be a path on this site, was '"
                        + url + "'");
            }
            this.loginPage = url;
            return this;
        }

        /** The advisor whose ranking is shown, fed by the dashboard from each request's trace. */
        public Builder advisor(Advisor advisor) {
            this.advisor = Objects.requireNonNull(advisor, "advisor");
            return this;
        }

        /** The purges of HTTP caches in front whose counters (failures too) are shown. */
        public Builder purge(HttpPurge purge) {
            this.purge = Objects.requireNonNull(purge, "purge");
            return this;
        }

        /** A snapshot every {@code every}, kept for {@code keep}; default 10 s and 1 hour. */
        public Builder history(Duration every, Duration keep) {
            Objects.requireNonNull(every, "every");
            Objects.requireNonNull(keep, "keep");
            if (every.toMillis() < 100) {
                throw new IllegalArgumentException("every must be at least 100 ms, was " + every);
            }
            if (keep.compareTo(every) < 0 || keep.toMillis() / every.toMillis() > 10_000) {
                throw new IllegalArgumentException("keep must be 1 to 10000 times every (" + every
                        + "), was " + keep);
            }
            this.every = every;
            this.keep = keep;
            return this;
        }

        /** The dashboard; fails if {@link #access} is missing. */
        public Dashboard build() {
            if (access == null) {
                throw new IllegalStateException("Dashboard needs an access rule: .access(ctx -> "
                        + "isAdmin(ctx)); use .access(ctx -> true) only on a private network");
            }
            return new Dashboard(this);
        }
    }
}
