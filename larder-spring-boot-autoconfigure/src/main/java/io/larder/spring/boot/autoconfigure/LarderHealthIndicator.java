package io.larder.spring.boot.autoconfigure;

import io.larder.Larder;
import io.larder.RegionStats;
import io.larder.spi.Store;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.ClassUtils;

/**
 * The health of Larder's store, as {@code larder} in {@code /actuator/health}. A cache never takes
 * the site down, so a Redis that does not answer makes this {@link #DEGRADED}, not {@code DOWN}:
 * Spring Boot's default aggregation leaves statuses it does not order out, so the application
 * stays {@code UP} (HTTP 200) while the component shows {@code DEGRADED} with the store's
 * counters. Add {@code DEGRADED} to {@code management.endpoint.health.status.order} to let it
 * count.
 */
public class LarderHealthIndicator implements HealthIndicator {
    /** The store fails and calls fall back to misses; the site is served, more slowly. */
    public static final Status DEGRADED = new Status("DEGRADED",
            "the cache store fails: calls fall back to misses");
    private static final boolean REDIS = ClassUtils.isPresent("io.larder.redis.RedisStore",
            LarderHealthIndicator.class.getClassLoader());

    private final Larder larder;

    /** The health of {@code larder}'s store. */
    public LarderHealthIndicator(Larder larder) {
        this.larder = larder;
    }

    @Override
    public Health health() {
        Store store = larder.store();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("store", store.getClass().getSimpleName());
        long storeErrors = 0;
        for (RegionStats stats : larder.stats().values()) {
            storeErrors += stats.storeErrors();
        }
        details.put("storeErrors", storeErrors);
        details.put("invalidationErrors", larder.invalidationErrors());
        boolean degraded = false;
        if (REDIS) {
            degraded = RedisHealth.describe(store, details);
        }
        return Health.status(degraded ? DEGRADED : Status.UP).withDetails(details).build();
    }

    /** Redis's part, in a class of its own: larder-redis is optional. */
    private static final class RedisHealth {
        static boolean describe(Store store, Map<String, Object> details) {
            io.larder.redis.RedisStore redis = RedisStores.find(store);
            if (redis == null) {
                return false;
            }
            io.larder.redis.RedisStore.Stats stats = redis.stats();
            details.put("redisListening", stats.listening());
            details.put("redisBreakerOpen", stats.breakerOpen());
            details.put("redisFailures", stats.failures());
            return stats.breakerOpen() || !stats.listening();
        }
    }
}
