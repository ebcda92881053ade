package io.larder.spring.boot.autoconfigure;

import io.larder.Larder;
import io.larder.spring.LarderCacheManager;
import io.larder.spring.LarderCachingConfiguration;
import org.springframework.aop.Advisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * Spring's caching on Larder: a {@link LarderCacheManager} (so {@code @EnableCaching}
 * applications and {@code /actuator/caches} use it) unless the application has a
 * {@link CacheManager}; Larder's cache resolver (generic return types, {@code @CacheTags}) unless
 * it has a {@link CachingConfigurer}; and {@code @InvalidateTags}. Runs before Spring Boot's own
 * cache auto-configuration, which then backs off. {@code larder.cache.enabled=false} turns it off.
 */
@AutoConfiguration(after = LarderAutoConfiguration.class,
        beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnClass({CacheManager.class, LarderCacheManager.class})
@ConditionalOnBean(Larder.class)
@ConditionalOnProperty(prefix = "larder.cache", name = "enabled", matchIfMissing = true)
public class LarderCacheAutoConfiguration {

    /**
     * The cache manager; the caches of the configured regions exist from the start (so that
     * they are listed and metered), others are made on first use unless
     * {@code larder.cache.names} fixes the list.
     */
    @Bean
    @ConditionalOnMissingBean(CacheManager.class)
    public LarderCacheManager cacheManager(Larder larder, LarderProperties properties) {
        LarderCacheManager manager = new LarderCacheManager(larder);
        manager.setAllowNullValues(properties.getCache().isAllowNullValues());
        if (!properties.getCache().getNames().isEmpty()) {
            manager.setCacheNames(properties.getCache().getNames());
        } else {
            properties.getRegions().keySet().forEach(manager::getCache);
        }
        return manager;
    }

    /** Larder's cache resolver as the application's caching configurer. */
    @Bean
    @ConditionalOnMissingBean(CachingConfigurer.class)
    @ConditionalOnBean(LarderCacheManager.class)
    public CachingConfigurer larderCachingConfigurer(LarderCacheManager cacheManager) {
        return LarderCachingConfiguration.cachingConfigurer(cacheManager);
    }

    /** Applies {@code @InvalidateTags}. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean(name = "larderInvalidateTagsAdvisor")
    public static Advisor larderInvalidateTagsAdvisor(ObjectProvider<Larder> larder) {
        return LarderCachingConfiguration.invalidateTagsAdvisor(larder);
    }
}
