package io.larder.spring.boot.autoconfigure.web;

import io.larder.Larder;
import io.larder.servlet.PageCacheFilter;
import io.larder.servlet.ServerTimingFilter;
import io.larder.spring.boot.autoconfigure.LarderAutoConfiguration;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * larder-servlet's filters in a servlet web application, each registered for
 * {@code DispatcherType.REQUEST} only: the {@link PageCacheFilter} when
 * {@code larder.web.page.enabled=true} (from {@code larder.web.page.*}, then every
 * {@link LarderPageCacheCustomizer}), the {@link ServerTimingFilter} when
 * {@code larder.web.server-timing.enabled=true}. A registration bean of the same name replaces
 * either.
 */
@AutoConfiguration(after = LarderAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({Filter.class, PageCacheFilter.class})
@EnableConfigurationProperties(LarderWebProperties.class)
public class LarderWebAutoConfiguration {

    /** The page cache on the application's Larder. */
    @Bean
    @ConditionalOnBean(Larder.class)
    @ConditionalOnProperty(prefix = "larder.web.page", name = "enabled", havingValue = "true")
    @ConditionalOnMissingBean(name = "larderPageCacheFilter")
    public FilterRegistrationBean<PageCacheFilter> larderPageCacheFilter(Larder larder,
            LarderWebProperties properties,
            ObjectProvider<LarderPageCacheCustomizer> customizers) {
        LarderWebProperties.Page page = properties.getPage();
        PageCacheFilter.Builder builder = PageCacheFilter.builder(larder)
                .region(page.getRegion())
                .tags(page.getTags().toArray(String[]::new))
                .query(page.getQuery().toArray(String[]::new))
                .stripOtherQuery(page.isStripOtherQuery())
                .ignoreCookies(page.getIgnoreCookies().toArray(String[]::new))
                .cacheControl(page.getCacheControl())
                .gzipMinBytes(page.getGzipMinBytes())
                .brotli(page.isBrotli())
                .brotliQuality(page.getBrotliQuality());
        if (page.getTtl() != null) {
            builder.ttl(page.getTtl());
        }
        if (page.getStaleFor() != null) {
            builder.staleFor(page.getStaleFor());
        }
        page.getVary().forEach(builder::vary);
        if (!page.getWarm().isEmpty()) {
            builder.warm(page.getWarm().toArray(String[]::new));
        }
        page.getWarmVary().forEach((header, values) -> builder.warmVary(header,
                values.toArray(String[]::new)));
        builder.renderTimeout(page.getRenderTimeout());
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return registration(builder.build(), page.getOrder(),
                page.getUrlPatterns().toArray(String[]::new));
    }

    /**
     * Starts the page filter once the server listens (stale pages, warming), waiting up to
     * {@code larder.web.page.warm-wait} for the warm pages.
     */
    @Bean
    @ConditionalOnBean(Larder.class)
    @ConditionalOnProperty(prefix = "larder.web.page", name = "enabled", havingValue = "true")
    @ConditionalOnClass(name = "org.springframework.boot.web.server.context."
            + "WebServerInitializedEvent")
    public static LarderPageCacheStart larderPageCacheStart() {
        return new LarderPageCacheStart();
    }

    /** The page filter's warming counts, for {@code /actuator/larder}. */
    @Bean
    @ConditionalOnBean(Larder.class)
    @ConditionalOnProperty(prefix = "larder.web.page", name = "enabled", havingValue = "true")
    @ConditionalOnMissingBean
    public LarderPageWarming larderPageWarming(ApplicationContext context) {
        return new LarderPageWarming(() -> pageFilter(context).map(PageCacheFilter::warming));
    }

    /** The {@code Server-Timing} header on every response. */
    @Bean
    @ConditionalOnProperty(prefix = "larder.web.server-timing", name = "enabled",
            havingValue = "true")
    @ConditionalOnMissingBean(name = "larderServerTimingFilter")
    public FilterRegistrationBean<ServerTimingFilter> larderServerTimingFilter(
            LarderWebProperties properties) {
        return registration(new ServerTimingFilter(), properties.getServerTiming().getOrder(),
                "/*");
    }

    /** The auto-configured page filter of {@code context} (its registration), if any. */
    static Optional<PageCacheFilter> pageFilter(ApplicationContext context) {
        if (context.containsBean("larderPageCacheFilter")
                && context.getBean("larderPageCacheFilter") instanceof FilterRegistrationBean<?>
                        registration
                && registration.getFilter() instanceof PageCacheFilter filter) {
            return Optional.of(filter);
        }
        return Optional.empty();
    }

    private static <F extends Filter> FilterRegistrationBean<F> registration(F filter, int order,
            String... urlPatterns) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setAsyncSupported(false);
        registration.setUrlPatterns(List.of(urlPatterns));
        registration.setOrder(order);
        return registration;
    }
}
