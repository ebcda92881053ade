package io.larder.spring.boot.autoconfigure.web;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.Ordered;

/**
 * Larder's web settings under {@code larder.web.*}: the page-cache filter (off unless
 * {@code larder.web.page.enabled=true}), the {@code Server-Timing} filter (off unless
 * {@code larder.web.server-timing.enabled=true}) and the Thymeleaf dialect (on when
 * larder-thymeleaf is present). The filter's own builder checks every value when the filter is
 * made, so a bad setting fails the start with a message that names it.
 */
@ConfigurationProperties(prefix = "larder.web")
public class LarderWebProperties {
    private final Page page = new Page();
    private final ServerTiming serverTiming = new ServerTiming();
    private final Thymeleaf thymeleaf = new Thymeleaf();

    public Page getPage() {
        return page;
    }

    public ServerTiming getServerTiming() {
        return serverTiming;
    }

    public Thymeleaf getThymeleaf() {
        return thymeleaf;
    }

    /** The whole-page cache for anonymous GET and HEAD requests. */
    public static class Page {
        /** Whether the page-cache filter is registered. */
        private boolean enabled;
        /** The region pages are kept in (its TTL applies unless page.ttl is set). */
        private String region = "page";
        /** How long a page is fresh; default: the region's TTL. */
        private Duration ttl;
        /** Tags every page carries, besides those of the cached values read to render it. */
        private List<String> tags = new ArrayList<>();
        /** Query parameters that select content: part of a page's key, seen by the render. */
        private List<String> query = new ArrayList<>();
        /**
         * Whether a request with other query parameters gets the page of its allowlisted ones
         * (true) or bypasses the cache (false).
         */
        private boolean stripOtherQuery = true;
        /** Request headers whose value selects content: part of every key and of Vary. */
        private List<String> vary = new ArrayList<>();
        /** Cookies that do not make a request personal (consent, analytics). */
        private List<String> ignoreCookies = new ArrayList<>();
        /** The Cache-Control of served pages that set none; empty for none. */
        private String cacheControl = "public, max-age=0, must-revalidate";
        /** The smallest body stored with compressed forms (gzip, Brotli), in bytes. */
        private int gzipMinBytes = 1500;
        /**
         * Whether pages are stored in Brotli too, when brotli4j
         * (com.aayushatharva.brotli4j:brotli4j) is on the class path and its native library
         * loads; without it, gzip only (said once in the log at INFO).
         */
        private boolean brotli = true;
        /** The Brotli quality, 0 (fastest) to 11 (smallest); a page is compressed once. */
        private int brotliQuality = 11;
        /**
         * How long past its TTL a page is still served, at once, while one background render
         * refreshes it; default: the region's stale window.
         */
        private Duration staleFor;
        /**
         * Pages rendered when the server has started and again right after an invalidation
         * touches them: URLs within the application, such as /en/ or /posts?page=2.
         */
        private List<String> warm = new ArrayList<>();
        /**
         * Values of a vary header to warm every URL with, by header name, such as
         * warm-vary.Accept-Language=en,de.
         */
        private Map<String, List<String>> warmVary = new LinkedHashMap<>();
        /** How long the start waits for the warm pages to be stored; 0 to warm in the background. */
        private Duration warmWait = Duration.ofMinutes(2);
        /**
         * Where background renders ask this server for a page; default
         * http://127.0.0.1:{server port} (or server.address). Set it when the server only listens
         * with TLS or elsewhere.
         */
        private URI renderOrigin;
        /** How long a background render may take before it counts as failed. */
        private Duration renderTimeout = Duration.ofSeconds(30);
        /** The paths the filter applies to. */
        private List<String> urlPatterns = new ArrayList<>(List.of("/*"));
        /** The filter's order (after the Server-Timing filter, so page lookups are timed). */
        private int order = Ordered.HIGHEST_PRECEDENCE + 20;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getRegion() {
            return region;
        }

        public void setRegion(String region) {
            this.region = region;
        }

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        public List<String> getTags() {
            return tags;
        }

        public void setTags(List<String> tags) {
            this.tags = tags;
        }

        public List<String> getQuery() {
            return query;
        }

        public void setQuery(List<String> query) {
            this.query = query;
        }

        public boolean isStripOtherQuery() {
            return stripOtherQuery;
        }

        public void setStripOtherQuery(boolean stripOtherQuery) {
            this.stripOtherQuery = stripOtherQuery;
        }

        public List<String> getVary() {
            return vary;
        }

        public void setVary(List<String> vary) {
            this.vary = vary;
        }

        public List<String> getIgnoreCookies() {
            return ignoreCookies;
        }

        public void setIgnoreCookies(List<String> ignoreCookies) {
            this.ignoreCookies = ignoreCookies;
        }

        public String getCacheControl() {
            return cacheControl;
        }

        public void setCacheControl(String cacheControl) {
            this.cacheControl = cacheControl;
        }

        public int getGzipMinBytes() {
            return gzipMinBytes;
        }

        public void setGzipMinBytes(int gzipMinBytes) {
            this.gzipMinBytes = gzipMinBytes;
        }

        public boolean isBrotli() {
            return brotli;
        }

        public void setBrotli(boolean brotli) {
            this.brotli = brotli;
        }

        public int getBrotliQuality() {
            return brotliQuality;
        }

        public void setBrotliQuality(int brotliQuality) {
            this.brotliQuality = brotliQuality;
        }

        public Duration getStaleFor() {
            return staleFor;
        }

        public void setStaleFor(Duration staleFor) {
            this.staleFor = staleFor;
        }

        public List<String> getWarm() {
            return warm;
        }

        public void setWarm(List<String> warm) {
            this.warm = warm;
        }

        public Map<String, List<String>> getWarmVary() {
            return warmVary;
        }

        public void setWarmVary(Map<String, List<String>> warmVary) {
            this.warmVary = warmVary;
        }

        public Duration getWarmWait() {
            return warmWait;
        }

        public void setWarmWait(Duration warmWait) {
            this.warmWait = warmWait;
        }

        public URI getRenderOrigin() {
            return renderOrigin;
        }

        public void setRenderOrigin(URI renderOrigin) {
            this.renderOrigin = renderOrigin;
        }

        public Duration getRenderTimeout() {
            return renderTimeout;
        }

        public void setRenderTimeout(Duration renderTimeout) {
            this.renderTimeout = renderTimeout;
        }

        public List<String> getUrlPatterns() {
            return urlPatterns;
        }

        public void setUrlPatterns(List<String> urlPatterns) {
            this.urlPatterns = urlPatterns;
        }

        public int getOrder() {
            return order;
        }

        public void setOrder(int order) {
            this.order = order;
        }
    }

    /** The filter that sends the time spent per cache, query, fragment and page. */
    public static class ServerTiming {
        /** Whether the Server-Timing filter is registered (it shows timings to every client). */
        private boolean enabled;
        /** The filter's order (before the page-cache filter). */
        private int order = Ordered.HIGHEST_PRECEDENCE + 10;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getOrder() {
            return order;
        }

        public void setOrder(int order) {
            this.order = order;
        }
    }

    /** The larder:cache attribute for Thymeleaf templates. */
    public static class Thymeleaf {
        /** Whether the larder dialect is registered with Thymeleaf. */
        private boolean enabled = true;
        /** Whether the render's locale is part of every fragment key. */
        private boolean varyOnLocale = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isVaryOnLocale() {
            return varyOnLocale;
        }

        public void setVaryOnLocale(boolean varyOnLocale) {
            this.varyOnLocale = varyOnLocale;
        }
    }
}
