package io.larder.http;

import io.larder.Invalidation;
import io.larder.Larder;
import io.larder.spi.ErrorLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * Purges the tags a {@link Larder} invalidates at the HTTP caches in front of it (pages there
 * carry their tags in a {@link TagHeader}), asynchronously: each cache has a bounded queue and
 * one thread that batches, sends and retries with a doubling pause, so an invalidation never
 * waits for an HTTP cache and no request does. Failures are counted ({@link #stats()}) and
 * logged once per burst, not once each.
 *
 * <pre>{@code
 * HttpPurge purge = HttpPurge.builder()
 *         .varnish(URI.create("http://127.0.0.1:6081/"))   // PURGE with an xkey header
 *         .webhook("https://cdn.example/purge/{tag}")       // PURGE per tag
 *         .build()
 *         .attach(larder);
 * }</pre>
 *
 * <p>It purges what its {@code Larder} applies: the application's own invalidations, and, with
 * larder-hibernate, its log follower's rows from other nodes and from writes that bypassed
 * Hibernate. A tag may so be purged once by each node; purges are idempotent, and a node whose
 * store applies an invalidation late then purges once more, after it can render fresh pages.
 * A key's invalidation purges nothing (no page carries a key); a region's purges its tag.
 */
public final class HttpPurge implements AutoCloseable {
    /**
     * What the purges did since the start.
     *
     * @param sent purge requests an HTTP cache answered with a 2xx
     * @param retried attempts that failed and were tried again
     * @param failed requests given up after their retries (their pages stay until they expire)
     * @param dropped tags not queued because the queue was full
     * @param pending tags queued or being sent now
     */
    public record Stats(long sent, long retried, long failed, long dropped, int pending) { }

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final List<PurgeTarget> targets;
    private final PurgeTarget.Counters counters;

    private HttpPurge(List<PurgeTarget> targets, PurgeTarget.Counters counters) {
        this.targets = targets;
        this.counters = counters;
    }

    /** A builder; at least one cache must be named. */
    public static Builder builder() {
        return new Builder();
    }

    /** Purges each tag {@code larder} invalidates from now on; returns this. */
    public HttpPurge attach(Larder larder) {
        larder.onInvalidation(this::invalidated);
        return this;
    }

    private void invalidated(Invalidation invalidation) {
        invalidation.tag().ifPresent(this::purge);
    }

    /** Queues {@code tag} (as {@link Larder} spells it) for every cache; never blocks. */
    public void purge(String tag) {
        String token = TagHeader.encode(tag);
        for (PurgeTarget target : targets) {
            target.offer(token);
        }
    }

    /** The counters, summed over the caches. */
    public Stats stats() {
        int pending = 0;
        for (PurgeTarget target : targets) {
            pending += target.pending();
        }
        return new Stats(counters.sent.sum(), counters.retried.sum(), counters.failed.sum(),
                counters.dropped.sum(), pending);
    }

    /** Stops the threads; tags still queued are not purged. */
    @Override
    public void close() {
        targets.forEach(PurgeTarget::close);
    }

    /** Builds an {@link HttpPurge}; bad values fail here. */
    public static final class Builder {
        private record Target(String name, URI uri, String method, String template) { }

        private final List<Target> targets = new ArrayList<>();
        private final List<String> headers = new ArrayList<>();
        private TagHeader header = TagHeader.xkey();
        private int queueSize = 10_000;
        private int retries = 5;
        private Duration backoff = Duration.ofMillis(200);
        private Duration timeout = Duration.ofSeconds(5);

        private Builder() {
        }

        /**
         * A Varnish at {@code uri}: one {@code PURGE} per batch of tags, the tags
         * space-separated in the {@link #tagHeader tag header} ({@code xkey}), which the VCL
         * passes to {@code xkey.purge} or to a {@code ban} (see the README).
         */
        public Builder varnish(URI uri) {
            targets.add(new Target("varnish " + uri, checked(uri), "PURGE", null));
            return this;
        }

        /** A {@code PURGE} to {@code urlTemplate} per tag, its {@code {tag}} the encoded tag. */
        public Builder webhook(String urlTemplate) {
            return webhook("PURGE", urlTemplate);
        }

        /** A {@code method} request to {@code urlTemplate} per tag ({@code {tag}}: the tag). */
        public Builder webhook(String method, String urlTemplate) {
            Objects.requireNonNull(urlTemplate, "urlTemplate");
            if (method == null || !method.matches("[A-Z]{1,16}")) {
                throw new IllegalArgumentException("webhook method must be upper-case letters,"
                        + " was '" + method + "'");
            }
            if (!urlTemplate.contains("{tag}")) {
                throw new IllegalArgumentException("webhook URL must contain {tag}, was '"
                        + urlTemplate + "'");
            }
            checked(URI.create(urlTemplate.replace("{tag}", "t")));
            targets.add(new Target("webhook " + urlTemplate, null, method, urlTemplate));
            return this;
        }

        /** A header every purge request carries (a CDN's API key, say). */
        public Builder header(String name, String value) {
            HttpRequest.newBuilder(URI.create("http://check/")).header(name, value); // checks
            headers.add(name);
            headers.add(value);
            return this;
        }

        /** The header Varnish purges read the tags from, and its bound; default xkey, 4 KB. */
        public Builder tagHeader(TagHeader header) {
            this.header = Objects.requireNonNull(header, "header");
            return this;
        }

        /** How many tags each cache's queue holds; more are dropped (counted); default 10,000. */
        public Builder queueSize(int tags) {
            if (tags < 1) {
                throw new IllegalArgumentException("queueSize must be positive, was " + tags);
            }
            this.queueSize = tags;
            return this;
        }

        /** How often a failed request is tried again, after {@code backoff}, doubling. */
        public Builder retries(int retries, Duration backoff) {
            if (retries < 0 || backoff == null || backoff.isNegative()) {
                throw new IllegalArgumentException("retries must not be negative and backoff"
                        + " must be a duration ≥ 0, were " + retries + " and " + backoff);
            }
            this.retries = retries;
            this.backoff = backoff;
            return this;
        }

        /** How long a purge request may take (connect and answer); default 5 s. */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** The purger, its threads started. */
        public HttpPurge build() {
            if (targets.isEmpty()) {
                throw new IllegalStateException("name at least one HTTP cache: varnish(uri) or"
                        + " webhook(urlTemplate)");
            }
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(timeout).build();
            PurgeTarget.Counters counters = new PurgeTarget.Counters();
            ErrorLog log = new ErrorLog(LoggerFactory.getLogger(HttpPurge.class), 60);
            PurgeTarget.Policy policy = new PurgeTarget.Policy(client, retries, backoff,
                    backoff.compareTo(MAX_BACKOFF) > 0 ? backoff : MAX_BACKOFF, counters, log);
            List<PurgeTarget> started = new ArrayList<>();
            for (Target t : targets) {
                started.add(t.uri() != null
                        ? new PurgeTarget(t.name(), queueSize, header.maxBytes(),
                                tags -> List.of(request(t.uri(), t.method())
                                        .header(header.name(), String.join(" ", tags)).build()),
                                policy)
                        : new PurgeTarget(t.name(), queueSize, header.maxBytes(),
                                tags -> tags.stream().map(tag -> request(URI.create(
                                        t.template().replace("{tag}", tag)), t.method())
                                        .build()).toList(),
                                policy));
            }
            return new HttpPurge(List.copyOf(started), counters);
        }

        private HttpRequest.Builder request(URI uri, String method) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                    .method(method, HttpRequest.BodyPublishers.noBody());
            for (int i = 0; i < headers.size(); i += 2) {
                request.header(headers.get(i), headers.get(i + 1));
            }
            return request;
        }

        private static URI checked(URI uri) {
            Objects.requireNonNull(uri, "uri");
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("an HTTP cache's URL must be http(s)://host...,"
                        + " was '" + uri + "'");
            }
            return uri;
        }
    }
}
