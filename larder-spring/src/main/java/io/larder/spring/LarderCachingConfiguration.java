package io.larder.spring;

import io.larder.Larder;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
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
 * bean; an application with a {@code CachingConfigurer} of its own returns
 * {@code new LarderCacheResolver(cacheManager)} from its {@code cacheResolver()} instead.
 */
@Configuration(proxyBeanMethods = false)
public class LarderCachingConfiguration {

    /** The application's caching configurer: Larder's resolver over the cache manager. */
    @Bean
    public CachingConfigurer larderCachingConfigurer(LarderCacheManager cacheManager) {
        LarderCacheResolver resolver = new LarderCacheResolver(cacheManager);
        return new CachingConfigurer() {
            @Override
            public CacheResolver cacheResolver() {
                return resolver;
            }
        };
    }

    /** Applies {@link InvalidateTags} to the methods that carry it. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static Advisor larderInvalidateTagsAdvisor(
            org.springframework.beans.factory.ObjectProvider<Larder> larder) {
        return new DefaultPointcutAdvisor(
                AnnotationMatchingPointcut.forMethodAnnotation(InvalidateTags.class),
                new LazyInvalidate(larder));
    }

    /** Finds the Larder on first use: advisors are made before ordinary beans. */
    private static final class LazyInvalidate implements org.aopalliance.intercept.MethodInterceptor {
        private final org.springframework.beans.factory.ObjectProvider<Larder> larder;
        private volatile InvalidateTagsInterceptor delegate;

        LazyInvalidate(org.springframework.beans.factory.ObjectProvider<Larder> larder) {
            this.larder = larder;
        }

        @Override
        public Object invoke(org.aopalliance.intercept.MethodInvocation invocation)
                throws Throwable {
            InvalidateTagsInterceptor d = delegate;
            if (d == null) {
                delegate = d = new InvalidateTagsInterceptor(larder.getObject());
            }
            return d.invoke(invocation);
        }
    }
}
