package io.larder.spring.boot.autoconfigure.web;

import io.larder.Larder;
import io.larder.spring.boot.autoconfigure.LarderAutoConfiguration;
import io.larder.thymeleaf.LarderDialect;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * larder-thymeleaf's {@link LarderDialect} as a bean, which Spring Boot's Thymeleaf
 * auto-configuration adds to its template engine (it takes every {@code IDialect} bean), so
 * templates may use {@code larder:cache}. {@code larder.web.thymeleaf.enabled=false} turns it
 * off; an application's own {@code LarderDialect} bean replaces it.
 */
@AutoConfiguration(after = LarderAutoConfiguration.class,
        beforeName = "org.springframework.boot.thymeleaf.autoconfigure.ThymeleafAutoConfiguration")
@ConditionalOnClass(LarderDialect.class)
@ConditionalOnBean(Larder.class)
@ConditionalOnProperty(prefix = "larder.web.thymeleaf", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(LarderWebProperties.class)
public class LarderThymeleafAutoConfiguration {

    /** The dialect, caching in the application's Larder. */
    @Bean
    @ConditionalOnMissingBean
    public LarderDialect larderDialect(Larder larder, LarderWebProperties properties) {
        return LarderDialect.builder(larder)
                .varyOnLocale(properties.getThymeleaf().isVaryOnLocale()).build();
    }
}
