package io.larder.spring.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Larder's settings under {@code larder.*}: the store, its bounds, the default and per-region
 * TTL, stale window and early refresh, the HMAC secret, and the Spring cache manager's options.
 * Checked when bound: a store that needs a folder or a secret without one fails the start with
 * the property's name.
 */
@ConfigurationProperties(prefix = "larder")
public class LarderProperties implements Validator {
    /** Where entries live. */
    public enum StoreKind {
        /** This JVM's memory (Caffeine). */
        MEMORY,
        /** Files under {@code larder.file.folder}, shared by every JVM on the host. */
        FILE,
        /** Memory in front of files. */
        TIERED,
        /** Memory in front of Redis ({@code larder.redis.uri}), shared by every node. */
        REDIS
    }

    /** Where entries live: memory, file, tiered (memory over file) or redis (memory over Redis). */
    private StoreKind store = StoreKind.MEMORY;
    /** How long entries are fresh unless their region says otherwise. */
    private Duration ttl = Duration.ofMinutes(5);
    /** How long after their TTL entries are served stale while one refresh runs. */
    private Duration stale = Duration.ZERO;
    /**
     * The secret that authenticates entries other processes can write (file, tiered, redis);
     * at least 16 bytes, the same on every node. Without it the file store keeps a secret file of
     * its own in its folder; Redis needs it.
     */
    private String hmacSecret;
    private final Memory memory = new Memory();
    private final File file = new File();
    private final Redis redis = new Redis();
    private final Cache cache = new Cache();
    private final Hibernate hibernate = new Hibernate();
    /** Settings per region (a Spring cache is the region of its name). */
    private Map<String, RegionProperties> regions = new LinkedHashMap<>();

    public StoreKind getStore() {
        return store;
    }

    public void setStore(StoreKind store) {
        this.store = store;
    }

    public Duration getTtl() {
        return ttl;
    }

    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    public Duration getStale() {
        return stale;
    }

    public void setStale(Duration stale) {
        this.stale = stale;
    }

    public String getHmacSecret() {
        return hmacSecret;
    }

    public void setHmacSecret(String hmacSecret) {
        this.hmacSecret = hmacSecret;
    }

    public Memory getMemory() {
        return memory;
    }

    public File getFile() {
        return file;
    }

    public Redis getRedis() {
        return redis;
    }

    public Cache getCache() {
        return cache;
    }

    public Hibernate getHibernate() {
        return hibernate;
    }

    public Map<String, RegionProperties> getRegions() {
        return regions;
    }

    public void setRegions(Map<String, RegionProperties> regions) {
        this.regions = regions;
    }

    @Override
    public boolean supports(Class<?> type) {
        return LarderProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        LarderProperties p = (LarderProperties) target;
        if ((p.store == StoreKind.FILE || p.store == StoreKind.TIERED) && p.file.folder == null) {
            errors.rejectValue("file.folder", "required",
                    "larder.file.folder is required when larder.store is " + name(p.store));
        }
        if (p.store == StoreKind.REDIS && p.hmacSecret == null) {
            errors.rejectValue("hmacSecret", "required", "larder.hmac-secret is required when"
                    + " larder.store is redis (the same secret on every node)");
        }
        if (p.hmacSecret != null && p.hmacSecret.getBytes(
                java.nio.charset.StandardCharsets.UTF_8).length < 16) {
            errors.rejectValue("hmacSecret", "tooShort",
                    "larder.hmac-secret must have at least 16 bytes");
        }
        positive(errors, "ttl", p.ttl);
        notNegative(errors, "stale", p.stale);
        if (p.memory.maximumSize <= 0) {
            errors.rejectValue("memory.maximumSize", "positive",
                    "larder.memory.maximum-size must be positive, was " + p.memory.maximumSize);
        }
        p.regions.forEach((name, region) -> {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                errors.rejectValue("regions", "name", "larder.regions." + name + ": a region name"
                        + " must be 1-64 letters, digits, '.', '_' or '-'");
            }
            if (region.ttl != null) {
                positive(errors, "regions[" + name + "].ttl", region.ttl);
            }
            if (region.stale != null) {
                notNegative(errors, "regions[" + name + "].stale", region.stale);
            }
            if (region.earlyRefresh < 0 || region.earlyRefresh > 10) {
                errors.rejectValue("regions[" + name + "].earlyRefresh", "range", "larder.regions."
                        + name + ".early-refresh must be between 0 and 10, was "
                        + region.earlyRefresh);
            }
            if (region.maximumEntries != null && region.maximumBytes != null) {
                errors.rejectValue("regions[" + name + "].maximumBytes", "oneBound",
                        "larder.regions." + name + ": set maximum-entries or maximum-bytes, not both");
            }
            if ((region.maximumEntries != null && region.maximumEntries <= 0)
                    || (region.maximumBytes != null && region.maximumBytes.toBytes() <= 0)) {
                errors.rejectValue("regions[" + name + "].maximumEntries", "positive",
                        "larder.regions." + name + ": a region's bound must be positive");
            }
        });
    }

    private static void positive(Errors errors, String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            errors.rejectValue(field, "positive", "larder." + field + " must be positive, was " + d);
        }
    }

    private static void notNegative(Errors errors, String field, Duration d) {
        if (d == null || d.isNegative()) {
            errors.rejectValue(field, "notNegative",
                    "larder." + field + " must not be negative, was " + d);
        }
    }

    private static String name(StoreKind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The memory store's bound (also the near cache in front of files or Redis). */
    public static class Memory {
        /** Entries kept in memory at most. */
        private long maximumSize = 10_000;
        /** Bytes kept in memory at most (encoded size); replaces maximum-size when set. */
        private DataSize maximumBytes;

        public long getMaximumSize() {
            return maximumSize;
        }

        public void setMaximumSize(long maximumSize) {
            this.maximumSize = maximumSize;
        }

        public DataSize getMaximumBytes() {
            return maximumBytes;
        }

        public void setMaximumBytes(DataSize maximumBytes) {
            this.maximumBytes = maximumBytes;
        }
    }

    /** The file store. */
    public static class File {
        /** The folder entries live in (made 0700); every JVM that shares it shares the cache. */
        private Path folder;
        /** Entries kept at most. */
        private Long maximumEntries;
        /** Bytes kept at most. */
        private DataSize maximumBytes;

        public Path getFolder() {
            return folder;
        }

        public void setFolder(Path folder) {
            this.folder = folder;
        }

        public Long getMaximumEntries() {
            return maximumEntries;
        }

        public void setMaximumEntries(Long maximumEntries) {
            this.maximumEntries = maximumEntries;
        }

        public DataSize getMaximumBytes() {
            return maximumBytes;
        }

        public void setMaximumBytes(DataSize maximumBytes) {
            this.maximumBytes = maximumBytes;
        }
    }

    /** The Redis store (needs io.larder:larder-redis). */
    public static class Redis {
        /**
         * The server: redis://[user:password@]host:port[/db] (rediss:// for TLS); Sentinel:
         * redis-sentinel://host:port,host:port#primary-name; Cluster:
         * redis-cluster://host:port,host:port (or a plain host:port,host:port list).
         */
        private String uri = "redis://127.0.0.1:6379";
        /** What every key of this application starts with. */
        private String prefix = "larder:";
        /** How long one command may take before it counts as a failure (a miss). */
        private Duration timeout;

        public String getUri() {
            return uri;
        }

        public void setUri(String uri) {
            this.uri = uri;
        }

        public String getPrefix() {
            return prefix;
        }

        public void setPrefix(String prefix) {
            this.prefix = prefix;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** The Spring cache manager. */
    public static class Cache {
        /** Whether a CacheManager on Larder is registered (unless the application has one). */
        private boolean enabled = true;
        /** Whether null results are cached (as Spring's own caches do by default). */
        private boolean allowNullValues = true;
        /** Fixes the caches to these names; by default a cache is made on first use. */
        private List<String> names = new ArrayList<>();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isAllowNullValues() {
            return allowNullValues;
        }

        public void setAllowNullValues(boolean allowNullValues) {
            this.allowNullValues = allowNullValues;
        }

        public List<String> getNames() {
            return names;
        }

        public void setNames(List<String> names) {
            this.names = names;
        }
    }

    /** larder-hibernate's post-commit invalidation, under Spring Data JPA / Hibernate. */
    public static class Hibernate {
        /** Whether it is installed on the application's entity manager factory. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** One region's settings; unset ones are the defaults above. */
    public static class RegionProperties {
        /** How long its entries are fresh. */
        private Duration ttl;
        /** How long after that they are served stale while one refresh runs. */
        private Duration stale;
        /** Early refresh of hot entries (XFetch's beta): 0 off, 1 the usual value. */
        private double earlyRefresh;
        /** Tags every entry of the region carries. */
        private List<String> tags = new ArrayList<>();
        /** The most entries the region keeps in memory; a busy region evicts only its own. */
        private Long maximumEntries;
        /** The most bytes (encoded) the region keeps in memory; not with maximum-entries. */
        private DataSize maximumBytes;

        public Long getMaximumEntries() {
            return maximumEntries;
        }

        public void setMaximumEntries(Long maximumEntries) {
            this.maximumEntries = maximumEntries;
        }

        public DataSize getMaximumBytes() {
            return maximumBytes;
        }

        public void setMaximumBytes(DataSize maximumBytes) {
            this.maximumBytes = maximumBytes;
        }

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        public Duration getStale() {
            return stale;
        }

        public void setStale(Duration stale) {
            this.stale = stale;
        }

        public double getEarlyRefresh() {
            return earlyRefresh;
        }

        public void setEarlyRefresh(double earlyRefresh) {
            this.earlyRefresh = earlyRefresh;
        }

        public List<String> getTags() {
            return tags;
        }

        public void setTags(List<String> tags) {
            this.tags = tags;
        }
    }
}
