package io.larder.spring.boot.autoconfigure;

import io.larder.Larder;
import io.larder.spring.LarderCache;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer meters: Larder's own per region ({@link LarderMeterBinder}) and, with Spring Boot's
 * cache metrics, the standard {@code cache.*} meters of each Larder cache.
 */
@AutoConfiguration(after = {LarderAutoConfiguration.class, LarderCacheAutoConfiguration.class})
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(Larder.class)
public class LarderMetricsAutoConfiguration {

    /** Larder's meters per region. */
    @Bean
    @ConditionalOnMissingBean
    public LarderMeterBinder larderMeterBinder(Larder larder, LarderProperties properties) {
        Set<String> regions = new LinkedHashSet<>(properties.getRegions().keySet());
        regions.addAll(properties.getCache().getNames());
        return new LarderMeterBinder(larder, regions);
    }

    /** Spring Boot's {@code cache.*} meters for Larder's caches. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({CacheMeterBinderProvider.class, LarderCache.class})
    static class CacheMeters {
        @Bean
        CacheMeterBinderProvider<LarderCache> larderCacheMeterBinderProvider() {
            return (cache, tags) -> new CacheMeterBinder<LarderCache>(cache, cache.getName(), tags) {
                @Override
                protected Long size() {
                    return null;
                }

                @Override
                protected long hitCount() {
                    return cache.counters().hits();
                }

                @Override
                protected Long missCount() {
                    return cache.counters().misses();
                }

                @Override
                protected Long evictionCount() {
                    return cache.counters().evictions();
                }

                @Override
                protected long putCount() {
                    return cache.counters().puts();
                }

                @Override
                protected void bindImplementationSpecificMetrics(
                        io.micrometer.core.instrument.MeterRegistry registry) {
                }
            };
        }
    }
}
