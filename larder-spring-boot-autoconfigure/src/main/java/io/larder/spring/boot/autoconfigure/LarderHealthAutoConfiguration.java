package io.larder.spring.boot.autoconfigure;

import io.larder.Larder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@link LarderHealthIndicator} ({@code management.health.larder.enabled}). */
@AutoConfiguration(after = LarderAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Larder.class)
@ConditionalOnEnabledHealthIndicator("larder")
public class LarderHealthAutoConfiguration {

    /** The store's health, as {@code larder}. */
    @Bean
    @ConditionalOnMissingBean(name = "larderHealthIndicator")
    public LarderHealthIndicator larderHealthIndicator(Larder larder) {
        return new LarderHealthIndicator(larder);
    }
}
