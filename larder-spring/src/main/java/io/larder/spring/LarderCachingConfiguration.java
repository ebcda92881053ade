package io.larder.spring;

import io.larder.Larder;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * What Larder adds to Spring's caching: the {@link LarderCacheResolver} (generic return types,
 * {@link CacheTags}) as the application's {@link CachingConfigurer}, and the advisor that applies
 * {@link InvalidateTags}. Import it beside {@code @EnableCaching} and a {@link LarderCacheManager}
 * bean (Spring Boot's starter does both); an application with a {@code CachingConfigurer} of its
 * own returns {@code new LarderCacheResolver(cacheManager)} from its {@code cacheResolver()}.
 */
@Configuration(proxyBeanMethods = false)
public class LarderCachingConfiguration {

    /** The application's caching configurer: Larder's resolver over the cache manager. */
    @Bean
    public CachingConfigurer larderCachingConfigurer(LarderCacheManager cacheManager) {
        return cachingConfigurer(cacheManager);
    }

    /** Applies {@link InvalidateTags} to the methods that carry it. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static Advisor larderInvalidateTagsAdvisor(ObjectProvider<Larder> larder) {
        return invalidateTagsAdvisor(larder);
    }

    /** A caching configurer whose resolver is a {@link LarderCacheResolver} over the manager. */
    public static CachingConfigurer cachingConfigurer(LarderCacheManager cacheManager) {
        LarderCacheResolver resolver = new LarderCacheResolver(cacheManager);
        return new CachingConfigurer() {
            @Override
            public CacheResolver cacheResolver() {
                return resolver;
            }
        };
    }

    /**
     * The advisor that applies {@link InvalidateTags}; it finds the Larder on first use
     * (advisors are made before ordinary beans). Declare it with the infrastructure role.
     */
    public static Advisor invalidateTagsAdvisor(ObjectProvider<Larder> larder) {
        return new DefaultPointcutAdvisor(
                AnnotationMatchingPointcut.forMethodAnnotation(InvalidateTags.class),
                new LazyInvalidate(larder));
    }

    private static final class LazyInvalidate implements MethodInterceptor {
        private final ObjectProvider<Larder> larder;
        private volatile InvalidateTagsInterceptor delegate;

        LazyInvalidate(ObjectProvider<Larder> larder) {
            this.larder = larder;
        }

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            InvalidateTagsInterceptor d = delegate;
            if (d == null) {
                delegate = d = new InvalidateTagsInterceptor(larder.getObject());
            }
            return d.invoke(invocation);
        }
    }
}
